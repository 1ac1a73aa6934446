"""What a new claim bills for a fill: cost from the product or the compound's ingredients."""

from datetime import date
from decimal import Decimal as D

import pytest

from portal.claims.claims.billing import (
    claim_values_for_fill,
    compound_line,
    product_ingredient_cost,
)
from portal.claims.claims.models import Claim, ClaimError
from tests.factories import (
    claims_user,
    make_coverage,
    make_fill,
    make_patient,
    make_payer,
    make_prescription,
    make_product,
)


def test_ingredient_cost_is_acquisition_cost_prorated_to_the_quantity():
    assert product_ingredient_cost(D("4.20"), D(100), D(30)) == D("1.26")
    assert product_ingredient_cost(D("89.99"), D(473), D(150)) == D("28.54")  # half up
    assert product_ingredient_cost(None, D(100), D(30)) == D("0.00")


def test_compound_line_costs_the_amount_at_the_unit_cost():
    line = compound_line("Ketoprofen USP", "38779-0039-05", D("6.12"), "g", D("1.2500"))
    assert line["cost"] == D("7.65") and line["ndc"] == "38779-0039-05"


def _fill(patient=None, **fields):
    product = make_product(
        acquisition_cost=D("42.00"),
        package_size=D(100),
        ndc="00093-3109-01",
        name="Amoxicillin",
        strength="500 mg",
        dosage_form="capsule",
    )
    fill = make_fill(make_prescription(patient=patient, product=product, daw="1", **fields))
    fill.filled_on = date(2025, 3, 4)
    fill.save()
    return fill


def test_claim_for_a_fill_bills_the_product_with_the_default_dispensing_fee(app):
    fill = _fill()
    values = claim_values_for_fill(fill)
    assert values["ingredient_cost"] == D("12.60")  # 30 of 100 at $42.00
    assert values["dispensing_fee"] == D("10.50") and values["compounding_fee"] == D("0.00")
    assert values["rx_number"] == str(fill.prescription.rx_number)
    assert (values["fill_number"], values["daw"]) == (0, "1")
    assert values["product_id"] == "00093-3109-01"
    assert values["date_of_service"] == date(2025, 3, 4)


def test_open_for_fill_opens_the_claim_on_the_coverage(app):
    patient = make_patient(allergy_status="nkda")
    fill = _fill(patient)
    coverage = make_coverage(patient, make_payer(code="ACME"))
    claim = Claim.open_for_fill(fill, coverage, user=claims_user())
    stored = Claim.get_by_id(claim.id)
    assert stored.claim_reference == f"{fill.prescription.rx_number}-0-ACME"
    assert stored.fill_id == fill.id and list(Claim.for_fill(fill)) == [stored]
    assert stored.billed == D("12.60") + D("10.50")


def test_bill_insurance_on_a_fill_page(client_as):
    tech = client_as("technician")
    patient = make_patient(allergy_status="nkda")
    fill = _fill(patient)
    page = tech.get(f"/fills/{fill.id}").get_data(as_text=True)
    assert "Bill insurance" in page
    refused = tech.post(f"/claims/fills/{fill.id}/bill", follow_redirects=True)
    assert "has no coverage in effect" in refused.get_data(as_text=True)
    make_coverage(patient, make_payer(code="ACME", name="Acme Health"))
    response = tech.post(f"/claims/fills/{fill.id}/bill")
    claim = Claim.get(Claim.fill == fill)
    assert response.headers["Location"].endswith(f"/claims/{claim.id}")
    page = tech.get(f"/fills/{fill.id}").get_data(as_text=True)
    assert claim.claim_reference in page and "Bill insurance" not in page


def test_a_product_without_a_cost_is_named_instead_of_billed_at_zero(app):
    fill = _fill()
    fill.prescription.product.acquisition_cost = None
    fill.prescription.product.save()
    with pytest.raises(ClaimError, match="No acquisition cost is on file for Amoxicillin"):
        claim_values_for_fill(fill)
