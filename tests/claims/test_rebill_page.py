"""B3 rebill on the claim page: offered on a paid claim with its values to correct, refused
in words for a rejected claim and for a rebill that changes nothing; after a B2 reversal the
fill's page offers to bill it again."""

from decimal import Decimal as D

from portal.audit.models import AuditEvent
from portal.claims.claims import actions
from portal.claims.claims.models import Claim
from portal.foundation.dates import local_today
from tests.factories import claims_user, make_claim, make_coverage, make_fill, make_payer


def pharmacy_today():
    return local_today("America/Chicago")


def rebill_data(claim, **changes):
    data = {
        "quantity": "30",
        "days_supply": str(claim.days_supply or 30),
        "daw": claim.daw,
        "ingredient_cost": str(claim.ingredient_cost),
        "dispensing_fee": str(claim.dispensing_fee),
        "reason": "quantity was 60, not 30",
    }
    data.update(changes)
    return data


def test_a_paid_claim_offers_the_rebill_with_its_values(client_as):
    claim = make_claim("paid", today=pharmacy_today())
    page = client_as("technician").get(f"/claims/{claim.id}").get_data(as_text=True)
    assert "Correct and rebill (B3)" in page
    assert f'value="{claim.ingredient_cost}"' in page
    rejected = make_claim("rejected", today=pharmacy_today())
    page = client_as("technician").get(f"/claims/{rejected.id}").get_data(as_text=True)
    assert "Correct and rebill (B3)" not in page


def test_a_biller_rebills_a_paid_claim_corrected_in_one_step(client_as):
    tech = client_as("technician")
    claim = make_claim("paid", today=pharmacy_today(), quantity_unit="cap")
    data = rebill_data(claim, quantity="60", ingredient_cost="80.00")
    response = tech.post(f"/claims/{claim.id}/rebill", data=data)
    assert response.status_code == 302
    new = Claim.select().where(Claim.id != claim.id).order_by(Claim.id.desc()).get()
    assert response.headers["Location"].endswith(f"/claims/{new.id}")
    assert Claim.get_by_id(claim.id).status == "reversed"
    assert (new.status, new.quantity, new.quantity_unit, new.billed) == (
        "submitted",
        D(60),
        "cap",
        D("90.50"),
    )
    assert new.claim_reference == claim.claim_reference
    trail = AuditEvent.select().where(
        AuditEvent.entity == "claim", AuditEvent.user_id == tech.user.id
    )
    assert {(e.action, e.entity_id) for e in trail} >= {
        ("transition", str(claim.id)),
        ("create", str(new.id)),
        ("transition", str(new.id)),
    }
    assert "rebill (B3) of claim" in tech.get(f"/claims/{new.id}").get_data(as_text=True)


def test_bad_rebill_input_re_renders_with_messages_and_keeps_what_was_typed(client_as):
    tech = client_as("technician")
    claim = make_claim("paid", today=pharmacy_today())
    data = rebill_data(claim, quantity="sixty", dispensing_fee="1.234", reason="")
    response = tech.post(f"/claims/{claim.id}/rebill", data=data)
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Enter the quantity as a number, e.g. 30 or 2.5." in page
    assert "more than two decimal places" in page
    assert "Say what the rebill corrects." in page
    assert 'value="sixty"' in page and 'value="1.234"' in page
    assert Claim.get_by_id(claim.id).status == "paid" and Claim.select().count() == 1


def test_a_rebill_that_changes_nothing_is_refused_in_words(client_as):
    tech = client_as("technician")
    claim = make_claim("paid", today=pharmacy_today())
    data = rebill_data(claim, quantity=f"{claim.quantity.normalize():f}")
    response = tech.post(f"/claims/{claim.id}/rebill", data=data)
    assert response.status_code == 422
    assert "The rebill changes nothing on the claim" in response.get_data(as_text=True)
    assert Claim.get_by_id(claim.id).status == "paid"


def test_a_rejected_claim_is_refused_a_rebill_and_told_to_resubmit(client_as):
    tech = client_as("technician")
    claim = make_claim("rejected", today=pharmacy_today())
    response = tech.post(f"/claims/{claim.id}/rebill", data=rebill_data(claim, quantity="60"))
    assert response.status_code == 422
    assert "correct it and resubmit it instead" in response.get_data(as_text=True)
    assert Claim.get_by_id(claim.id).status == "rejected" and Claim.select().count() == 1


def test_after_a_reversal_the_fill_page_bills_the_fill_again(client_as):
    tech = client_as("technician")
    fill = make_fill()
    claim = make_claim(
        "paid",
        coverage=make_coverage(fill.patient, make_payer()),
        fill=fill,
        rx_number=fill.prescription.rx_number,
        today=pharmacy_today(),
    )
    page = tech.get(f"/fills/{claim.fill_id}").get_data(as_text=True)
    assert "Bill insurance" not in page
    actions.reverse(claim, claims_user(), "billed the wrong plan year")
    page = tech.get(f"/fills/{claim.fill_id}").get_data(as_text=True)
    assert "Every claim of this fill was reversed" in page and "Bill insurance again" in page
    response = tech.post(f"/claims/fills/{claim.fill_id}/bill")
    assert response.status_code == 302
    again = Claim.select().where(Claim.fill == claim.fill_id, Claim.id != claim.id).get()
    assert (again.status, again.claim_reference) == ("draft", claim.claim_reference)
