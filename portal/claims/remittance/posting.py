"""Posting a remittance to claims: the new amounts and state a claim's payments give it.

Pure decisions only; the app looks claims up (matching.py), applies ``lifecycle.check_move``
and records the events. Three facts from payer practice shape this:

- A payer that re-prices a claim sends a reversal (CLP02 = 22) and the new adjudication for
  the same claim in the same 835, in that order: one correction to post.
- Patient responsibility (CAS group PR) is the patient's, collected at pickup; a claim paid
  with a copay is paid, never "partially paid" (NCPDP D.0 505-F5 patient pay amount).
- A contractual adjustment (CAS group CO) is never owed. Only a plan paying less than its own
  adjudicated amount, for another reason (OA, PI), is a short pay to work.
"""

from __future__ import annotations

from decimal import Decimal

from portal.claims.claims.lifecycle import ClaimState
from portal.claims.remittance import rules
from portal.claims.remittance.values import ClaimPayment

_PROCESSED = frozenset({"1", "2", "3", "19", "20", "21"})
_NOT_PAID = frozenset({"4", "23"})  # denied; not our claim (forwarded elsewhere)


def is_payer_correction(payments: list[ClaimPayment]) -> bool:
    """Whether one claim's payments are a reversal followed by its new adjudication."""
    return len(payments) >= 2 and payments[0].is_reversal and not payments[-1].is_reversal


def adjudicated_for(payment: ClaimPayment) -> Decimal:
    """The plan amount this payment adjudicates: charge less CO and PR adjustments."""
    totals = rules.adjustment_totals(payment.adjustments)
    return rules.adjudicated_plan_amount(payment.charge, totals.contractual, totals.patient)


def state_after_payment(payment: ClaimPayment) -> ClaimState | None:
    """The state a claim moves to on this payment; None when there is nothing to post.

    Reversal -> reversed; denied -> rejected; processed -> paid, unless the plan paid less
    than it adjudicated (a short pay) -> partially paid. A copay or a CO-45 alone is paid.
    A predetermination (CLP02 = 25) pays nothing and changes nothing.
    """
    if payment.is_reversal:
        return ClaimState.REVERSED
    if payment.status_code in _NOT_PAID:
        return ClaimState.REJECTED
    if payment.status_code not in _PROCESSED:
        return None
    if payment.paid < adjudicated_for(payment):
        return ClaimState.PARTIALLY_PAID
    return ClaimState.PAID
