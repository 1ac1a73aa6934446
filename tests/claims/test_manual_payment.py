"""A payer's answer typed in by hand: plan paid plus patient pay above the amount billed is
refused in words until a reason is given; the reason goes in the claim's history."""

from decimal import Decimal as D

import pytest

from portal.claims.claims import actions
from portal.claims.claims.models import Claim, ClaimError
from tests.factories import claims_user, make_claim


def test_payment_above_billed_needs_a_reason(app):
    claim = make_claim("submitted", ingredient_cost=D("11.32"), dispensing_fee=D(0))
    with pytest.raises(ClaimError, match=r"is \$17.40, more than the \$11.32 billed"):
        actions.record_response(claim, claims_user(), "paid", claim.date_of_service,
                                paid=D("12.40"), patient_pay=D("5.00"))  # fmt: skip
    assert Claim.get_by_id(claim.id).status == "submitted"
    actions.record_response(claim, claims_user(), "paid", claim.date_of_service,
                            paid=D("12.40"), patient_pay=D("5.00"),
                            over_billed_reason="plan's MAC is above our usual price")  # fmt: skip
    stored = Claim.get_by_id(claim.id)
    assert stored.status == "paid" and stored.adjudicated == D("12.40")
    assert "Above billed by $6.08: plan's MAC is above our usual price" in (
        stored.history().first().note
    )


def test_the_claim_page_keeps_what_was_typed_and_asks_for_the_reason(client_as):
    claim = make_claim("submitted", ingredient_cost=D("11.32"), dispensing_fee=D(0))
    tech = client_as("technician")
    typed = {"outcome": "paid", "paid": "12.40", "patient_pay": "5.00"}
    refused = tech.post(f"/claims/{claim.id}/response", data=typed)
    page = refused.get_data(as_text=True)
    assert refused.status_code == 422
    assert "more than the $11.32 billed" in page and 'value="12.40"' in page
    done = tech.post(
        f"/claims/{claim.id}/response", data={**typed, "over_billed_reason": "checked, correct"}
    )
    assert done.status_code in (302, 303) and Claim.get_by_id(claim.id).status == "paid"
