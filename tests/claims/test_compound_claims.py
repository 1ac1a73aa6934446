"""Compound claims end to end: a compounded fill's claim bills what was measured on its
compounding record, as NCPDP's compound segment carries it (domain/claims.md)."""

from datetime import date
from decimal import Decimal as D

import pytest

from portal.claims.claims import actions
from portal.claims.claims.models import Claim, ClaimError, ClaimEvent
from portal.compounding.records import actions as record_actions
from portal.foundation import settings
from portal.foundation.db import write_transaction
from portal.prescriptions.fills.models import Fill
from tests.factories import (
    advance_fill,
    claims_user,
    complete_record,
    make_claim,
    make_compound_fill,
    make_compound_prescription,
    make_coverage,
    make_formula,
    make_ingredient,
    make_payer,
    make_user,
    stock_formula,
)

TODAY = date(2025, 3, 20)


def _cream(cost_of_lidocaine=D("0.8400")):
    """Ketoprofen 10% / lidocaine 5% cream per 100 g; lidocaine is written in mg, as
    formulas often are, while its cost is kept per gram."""
    ketoprofen = make_ingredient(
        name="Ketoprofen USP", potency=D(1), cost_per_unit=D("1.2500"), bulk_ndc="38779-0039-05"
    )
    lidocaine = make_ingredient(
        name="Lidocaine HCl USP",
        potency=D(1),
        cost_per_unit=cost_of_lidocaine,
        bulk_ndc="38779-0515-05",
    )
    base = make_ingredient(
        name="PLO gel base", potency=D(1), cost_per_unit=D("0.0950"), bulk_ndc="51552-0001-07"
    )
    return make_formula(
        lines=[
            (ketoprofen, D(10), "g", True),
            (lidocaine, D(5000), "mg", True),
            (base, D(85), "g", False),
        ],
        approved_by=True,
        name="Ketoprofen 10% / lidocaine 5%",
        strength="",
        dosage_form="cream",
    )


MEASURED = {"Ketoprofen USP": D("6.02"), "Lidocaine HCl USP": D(2990), "PLO gel base": D("51.3")}


def _fees(dispensing="11.00", compounding="17.25"):
    with write_transaction():
        settings.put("claims.dispensing_fee", dispensing)
        settings.put("claims.compounding_fee", compounding)


def _coverage(fill):
    return make_coverage(fill.patient, make_payer(code="ACME", name="Acme Health"))


def test_compounded_fill_bills_its_measured_ingredients_as_a_compound(app):
    _fees()
    fill = make_compound_fill(_cream(), quantity=D(60), measured=MEASURED)
    claim = Claim.open_for_fill(fill, _coverage(fill), user=claims_user())
    stored = Claim.get_by_id(claim.id)
    lines = [
        (line.ingredient_name, line.ndc, line.quantity, line.unit, line.cost)
        for line in stored.compound_lines()
    ]
    assert lines == [
        ("Ketoprofen USP", "38779-0039-05", D("6.02"), "g", D("7.53")),  # 7.525 half up
        ("Lidocaine HCl USP", "38779-0515-05", D("2.99"), "g", D("2.51")),  # 2990 mg weighed
        ("PLO gel base", "51552-0001-07", D("51.3"), "g", D("4.87")),
    ]
    assert stored.ingredient_cost == sum(line[4] for line in lines) == D("14.91")
    assert (stored.dispensing_fee, stored.compounding_fee) == (D("11.00"), D("17.25"))
    assert stored.billed == D("43.16")
    assert stored.is_compound and stored.product_id == "0"
    assert stored.product_description == "Ketoprofen 10% / lidocaine 5% cream"
    assert (stored.quantity, stored.quantity_unit) == (D(60), "g")
    # Code 8 accepts payment for covered ingredients only: not sent until a 70 asks for it.
    assert stored.submission_clarification_code == ""


def test_a_compound_is_not_billed_before_its_record_is_completed(app):
    prescription = make_compound_prescription(_cream(), quantity=D(60))
    fill = advance_fill(prescription.fills.first(), "compound")
    coverage = _coverage(fill)
    with pytest.raises(ClaimError, match="has no compounding record yet"):
        Claim.open_for_fill(fill, coverage, user=claims_user())
    stock_formula(prescription.formula)
    record_actions.start_for_fill(fill, make_user(), today=date.today())
    with pytest.raises(ClaimError, match="still in progress. Bill it once the record is"):
        Claim.open_for_fill(fill, coverage, user=claims_user())
    assert Claim.select().count() == 0


def test_an_ingredient_without_a_cost_is_named_instead_of_billed_at_zero(app):
    fill = make_compound_fill(_cream(cost_of_lidocaine=None), measured=MEASURED)
    with pytest.raises(ClaimError, match="No cost is on file for Lidocaine HCl USP"):
        Claim.open_for_fill(fill, _coverage(fill), user=claims_user())


def test_a_compound_of_more_ingredients_than_the_claim_segment_holds_says_so(app):
    ingredients = [
        (
            make_ingredient(name=f"Ingredient {n} USP", potency=D(1), cost_per_unit=D("0.10")),
            D(1),
            "g",
            n == 0,
        )
        for n in range(26)
    ]
    formula = make_formula(lines=ingredients, approved_by=True, name="Twenty-six part base")
    fill = make_compound_fill(formula)
    with pytest.raises(ClaimError, match="26 ingredients, and a claim's compound segment holds"):
        Claim.open_for_fill(fill, _coverage(fill), user=claims_user())
    assert Claim.select().count() == 0


def test_bill_insurance_on_an_unfinished_compound_says_why(client_as):
    tech = client_as("technician")
    prescription = make_compound_prescription(_cream(), quantity=D(60))
    fill = advance_fill(prescription.fills.first(), "compound")
    _coverage(fill)
    page = tech.post(f"/claims/fills/{fill.id}/bill", follow_redirects=True)
    text = page.get_data(as_text=True)
    assert "is a compound, and a compound is billed for what was measured" in text
    assert Claim.select().count() == 0


def test_claim_page_shows_the_compound_segment(client_as):
    _fees()
    tech = client_as("technician")
    fill = make_compound_fill(_cream(), quantity=D(60), measured=MEASURED)
    _coverage(fill)
    response = tech.post(f"/claims/fills/{fill.id}/bill")
    claim = Claim.get(Claim.fill == fill)
    assert response.headers["Location"].endswith(f"/claims/{claim.id}")
    page = tech.get(f"/claims/{claim.id}").get_data(as_text=True)
    assert "Compound ingredients" in page and "Compound Code 2, product id 0" in page
    for text in ("Lidocaine HCl USP", "38779-0515-05", "2.99 g", "$2.51", "$14.91", "$17.25"):
        assert text in page
    record = Fill.get_by_id(fill.id).compounding_records.first()
    assert f"/compounding/records/{record.id}" in page


def test_compound_rejected_70_is_resubmitted_with_clarification_code_8(client_as):
    tech = client_as("technician")
    fill = make_compound_fill(_cream(), measured=MEASURED)
    claim = Claim.open_for_fill(fill, _coverage(fill), user=claims_user())
    actions.record_response(claim, claims_user(), "rejected", TODAY, reject_codes="70")
    page = tech.get(f"/claims/{claim.id}").get_data(as_text=True)
    assert 'name="covered_ingredients_only" value="y" checked' in page  # the 70's next step
    response = tech.post(
        f"/claims/{claim.id}/resubmit",
        data={"reason": "PLO base not covered", "covered_ingredients_only": "y"},
    )
    assert response.status_code == 302
    stored = Claim.get_by_id(claim.id)
    assert (stored.status, stored.submission_clarification_code) == ("submitted", "8")
    event = ClaimEvent.select().order_by(ClaimEvent.id.desc()).first()
    assert "with Submission Clarification Code 8" in event.note
    page = tech.get(f"/claims/{claim.id}").get_data(as_text=True)
    assert "8 - Process compound for approved ingredients" in page


def test_a_claim_for_a_compound_made_again_bills_the_remake_when_sent(client_as):
    _fees()
    tech = client_as("technician")
    fill = make_compound_fill(_cream(), measured=MEASURED)
    claim = Claim.open_for_fill(fill, _coverage(fill), user=claims_user())
    first = fill.compounding_records.get()
    pharmacist = make_user(roles=("pharmacist",))
    record_actions.reject(first, pharmacist, "lumpy: made again", today=date.today())

    page = tech.get(f"/claims/{claim.id}").get_data(as_text=True)
    assert "These ingredients are what a rejected compounding record measured" in page
    assert "once its new record is completed" in page
    refused = tech.post(f"/claims/{claim.id}/submit")
    assert refused.status_code == 422
    assert "its compounding record was rejected" in refused.get_data(as_text=True)
    assert Claim.get_by_id(claim.id).status == "draft"

    remake = record_actions.start_for_fill(Fill.get_by_id(fill.id), make_user(), today=date.today())
    complete_record(remake, measured=dict(MEASURED, **{"Ketoprofen USP": D("6.00")}))
    page = tech.get(f"/claims/{claim.id}").get_data(as_text=True)
    assert f"made again in compounding record {remake.id}" in page
    assert tech.post(f"/claims/{claim.id}/submit").status_code == 302
    stored = Claim.get_by_id(claim.id)
    assert stored.status == "submitted"
    assert [line.quantity for line in stored.compound_lines()][0] == D("6.00")
    assert stored.ingredient_cost == D("14.88")  # 6.00 g x 1.25 = 7.50, was 7.53
    event = ClaimEvent.select().order_by(ClaimEvent.id.desc()).first()
    assert f"ingredients billed from compounding record {remake.id}" in event.note
    assert "billed $43.16, now $43.13" in event.note
    page = tech.get(f"/claims/{claim.id}").get_data(as_text=True)
    assert "rejected compounding record" not in page
    assert f"compounding record {remake.id}" in page


def test_clarification_code_8_is_for_compounds_only(app):
    claim = make_claim("rejected", reject_codes="70", today=TODAY)
    with pytest.raises(ClaimError, match="is for compounds"):
        actions.resubmit(
            claim, claims_user(), TODAY, "formulary alternative", covered_ingredients_only=True
        )
    assert Claim.get_by_id(claim.id).status == "rejected"


def test_claim_for_a_product_carries_no_compound_segment(client_as):
    tech = client_as("technician")
    claim = make_claim("submitted")
    page = tech.get(f"/claims/{claim.id}").get_data(as_text=True)
    assert "Compound ingredients" not in page and not claim.is_compound
