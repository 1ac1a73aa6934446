"""What a claim's money means: one definition for the claim page, the queue, aging and the
dashboard.

A pharmacy claim is adjudicated at the counter (NCPDP D.0 response: 505-F5 patient pay
amount, 509-F9 total amount paid): the payer says what it will pay (the adjudicated plan
amount) and what the patient pays at pickup. So:

- billed - plan amount - patient pay is a contractual adjustment (X12 CAS group CO, e.g.
  CARC 45): never collectable, never outstanding;
- patient pay (CAS group PR: 1 deductible, 2 coinsurance, 3 copay) is the patient's, not
  the payer's, and never makes a claim "partially paid";
- what the payer still owes is the plan amount less what it has paid.
"""

from __future__ import annotations

from decimal import Decimal

from portal.foundation.money import ZERO


def expected_from_payer(
    billed: Decimal, other_payer_paid: Decimal, adjudicated: Decimal | None
) -> Decimal:
    """What the payer is expected to pay: its adjudicated plan amount once it answered,
    before that the amount billed less what another payer already paid (COB)."""
    if adjudicated is not None:
        return adjudicated
    return max(billed - other_payer_paid, ZERO)


def outstanding(
    billed: Decimal,
    other_payer_paid: Decimal,
    adjudicated: Decimal | None,
    paid: Decimal,
    written_off: Decimal,
) -> Decimal:
    """What the payer still owes: expected - paid - written off, never below zero."""
    return max(
        expected_from_payer(billed, other_payer_paid, adjudicated) - paid - written_off, ZERO
    )


def is_short_pay(adjudicated: Decimal | None, paid: Decimal) -> bool:
    """Whether the plan paid less than it said it would (the only underpayment to work)."""
    return adjudicated is not None and paid < adjudicated


def over_billed(billed: Decimal, plan_paid: Decimal, patient_pay: Decimal) -> Decimal:
    """How much plan payment plus patient pay exceed the amount billed (ZERO if not)."""
    return max(plan_paid + patient_pay - billed, ZERO)
