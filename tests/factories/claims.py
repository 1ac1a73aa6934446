"""Claims, walked to the state a test needs through the real actions (so events exist)."""

import itertools
from datetime import date, timedelta
from decimal import Decimal

from portal.auth.models import User
from portal.claims.claims import actions
from portal.claims.claims.models import Claim
from tests.factories.auth import make_user
from tests.factories.patients import make_coverage, make_patient, make_payer

__all__ = ["make_claim", "claims_user"]

_rx_numbers = itertools.count(200001)


def claims_user() -> User:
    """A manager who may make every move (for factories and set-up)."""
    return User.get_or_none(User.username == "claimsmgr") or make_user(
        roles=("technician", "manager"), username="claimsmgr", full_name="Claims Manager"
    )


def make_claim(
    status="draft",
    coverage=None,
    payer=None,
    date_of_service=None,
    ingredient_cost=Decimal("40.00"),
    dispensing_fee=Decimal("10.50"),
    compounding_fee=Decimal("0.00"),
    rx_number=None,
    fill_number=0,
    today=None,
    reject_codes="75",
    paid=None,
    patient_pay=Decimal("0.00"),
    **fields,
) -> Claim:
    """A claim on a new patient's coverage (or the one given), moved to `status` by the
    actions a person would take: submitted, paid, partially_paid, rejected, reversed..."""
    today = today or date.today()
    coverage = coverage or make_coverage(make_patient(), payer or make_payer())
    user = claims_user()
    claim = Claim.open(
        coverage,
        rx_number=str(rx_number or next(_rx_numbers)),
        fill_number=fill_number,
        date_of_service=date_of_service or today - timedelta(days=3),
        user=user,
        ingredient_cost=ingredient_cost,
        dispensing_fee=dispensing_fee,
        compounding_fee=compounding_fee,
        product_id=fields.pop("product_id", "00093-0150-01"),
        product_description=fields.pop("product_description", "Lisinopril 10 mg tablet"),
        quantity=fields.pop("quantity", Decimal(30)),
        days_supply=fields.pop("days_supply", 30),
        **fields,
    )
    billed = claim.billed
    if status == "draft":
        return claim
    if status == "submitted":
        actions.submit(claim, user, today)
    elif status in ("paid", "reversed"):
        amount = billed - patient_pay if paid is None else paid
        actions.record_response(claim, user, "paid", today, paid=amount, patient_pay=patient_pay)
        if status == "reversed":
            actions.reverse(claim, user, "returned to stock")
    elif status == "partially_paid":
        amount = billed / 2 if paid is None else paid
        actions.record_response(
            claim,
            user,
            "partially_paid",
            today,
            paid=amount.quantize(Decimal("0.01")),
            patient_pay=patient_pay,
        )
    elif status in ("rejected", "appealed", "written_off", "billed_patient"):
        actions.record_response(claim, user, "rejected", today, reject_codes=reject_codes)
        if status == "appealed":
            actions.appeal(claim, user, today, "faxed appeal letter")
        elif status == "written_off":
            actions.write_off(claim, user, "below collection threshold")
        elif status == "billed_patient":
            actions.bill_patient(claim, user)
    else:
        raise ValueError(f"make_claim cannot reach {status}")
    return Claim.get_by_id(claim.id)
