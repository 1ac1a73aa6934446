"""Posting a remittance to claims: which claim each payment is for, and its new state.

Pure decisions only; the app looks claims up, applies ``lifecycle.check_move``
and records the events. Two facts from payer practice shape this:

- A payer that re-prices a claim sends a reversal (CLP02 = 22) and the new
  adjudication for the same claim reference in the same 835, in that order.
  The pair is one correction to post, not a reversal of the claim.
- Patient responsibility on the 835 (copay, coinsurance, deductible) is often
  already collected at the counter; only what is still owed after that makes
  a claim partially paid.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass
from decimal import Decimal

from portal.claims.claims.lifecycle import ClaimState
from portal.claims.claims.references import ClaimReferenceError, parse_claim_reference
from portal.claims.remittance.values import ClaimPayment
from portal.foundation.money import ZERO, parse_money

_PROCESSED = frozenset({"1", "2", "3", "19", "20", "21"})
_NOT_PAID = frozenset({"4", "23"})  # denied; not our claim (forwarded elsewhere)


@dataclass(frozen=True)
class PaymentMatch:
    """Claim payments sorted into those for known claims and those for none."""

    matched: dict[str, list[ClaimPayment]]  # claim reference -> its payments, in file order
    unmatched: list[ClaimPayment]


def canonical_reference(text: str) -> str:
    """The reference as Mortar writes it ("100123-00-medrx" -> "100123-0-MEDRX")."""
    try:
        return str(parse_claim_reference(text))
    except ClaimReferenceError:
        return text.strip().upper()


def match_payments(
    payments: Iterable[ClaimPayment], known_references: Collection[str]
) -> PaymentMatch:
    """Group payments by the claim they are for; CLP01 that names no known claim is unmatched."""
    known = {canonical_reference(reference): reference for reference in known_references}
    matched: dict[str, list[ClaimPayment]] = {}
    unmatched: list[ClaimPayment] = []
    for payment in payments:
        reference = known.get(canonical_reference(payment.claim_reference))
        if reference is None:
            unmatched.append(payment)
        else:
            matched.setdefault(reference, []).append(payment)
    return PaymentMatch(matched, unmatched)


def is_payer_correction(payments: list[ClaimPayment]) -> bool:
    """Whether one claim's payments are a reversal followed by its new adjudication."""
    return len(payments) >= 2 and payments[0].is_reversal and not payments[-1].is_reversal


def state_after_payment(
    payment: ClaimPayment, patient_paid_at_counter: Decimal = ZERO
) -> ClaimState | None:
    """The state a claim moves to on this payment; None when there is nothing to post.

    Reversal -> reversed; denied -> rejected; processed -> partially paid while
    the patient responsibility exceeds what the patient already paid, else paid.
    A predetermination (CLP02 = 25) pays nothing and changes nothing.
    """
    if payment.is_reversal:
        return ClaimState.REVERSED
    if payment.status_code in _NOT_PAID:
        return ClaimState.REJECTED
    if payment.status_code not in _PROCESSED:
        return None
    still_owed = payment.patient_responsibility - parse_money(patient_paid_at_counter)
    return ClaimState.PARTIALLY_PAID if still_owed > 0 else ClaimState.PAID
