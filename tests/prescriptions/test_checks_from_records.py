"""The safety checks run on real records (gather.py): each check against domain/ tables,
the pharmacy's settings, and a compound whose ingredient matches an allergy class."""

from datetime import date, timedelta
from decimal import Decimal

from portal.foundation import settings
from portal.foundation.db import write_transaction
from portal.prescriptions.intake import entry
from portal.prescriptions.screening import gather
from portal.prescriptions.screening.facts import Status
from portal.prescriptions.screening.rules import check_allergies
from tests.factories import (
    advance_fill,
    make_allergy,
    make_c2_product,
    make_fill,
    make_formula,
    make_ingredient,
    make_patient,
    make_prescriber,
    make_prescription,
    make_product,
    make_user,
)

TODAY = date.today()


def _result(fill, check):
    return next(r for r in gather.checks_for(fill, TODAY) if r.check == check)


def test_allergy_to_a_class_named_on_the_catalog_ingredient_blocks(app):
    patient = make_patient()
    make_allergy(patient, "sulfonamides", kind="class")
    smx = make_ingredient(name="Sulfamethoxazole", allergen_classes="sulfonamides")
    product = make_product(ingredients=[smx], name="Sulfamethoxazole-Trimethoprim DS")
    result = _result(make_fill(make_prescription(patient=patient, product=product)), "allergy")
    assert result.status is Status.BLOCK
    assert "Sulfamethoxazole" in result.message and "sulfonamides" in result.message


def test_a_compound_whose_ingredient_matches_the_allergy_class_blocks(app):
    patient = make_patient()
    make_allergy(patient, "parabens", kind="class", reaction="contact dermatitis")
    methylparaben = make_ingredient(name="Methylparaben NF", allergen_classes="parabens")
    hydrocortisone = make_ingredient(name="Hydrocortisone USP")
    base = make_ingredient(name="Vanishing cream base")
    with_preservative = make_formula(
        lines=[
            (hydrocortisone, Decimal("2.5"), "g", True),
            (base, Decimal("97.3"), "g", False),
            (methylparaben, Decimal("0.2"), "g", False),
        ],
    )
    result = check_allergies(gather.patient_facts(patient), gather.formula_facts(with_preservative))
    assert result.status is Status.BLOCK
    assert "Methylparaben NF in this compound belongs to parabens" in result.message


def test_the_custom_preparation_made_without_the_allergen_passes(app):
    patient = make_patient()
    make_allergy(patient, "parabens", kind="class")
    paraben_free = make_formula(
        name="Hydrocortisone (paraben-free)",
        lines=[
            (make_ingredient(name="Hydrocortisone USP"), Decimal("2.5"), "g", True),
            (make_ingredient(name="Paraben-free cream base"), Decimal("97.5"), "g", False),
        ],
    )
    facts = gather.formula_facts(paraben_free)
    assert facts.is_compound and facts.product_key.startswith("formula:")
    result = check_allergies(gather.patient_facts(patient), facts)
    assert result.status is Status.PASS


def test_c2_with_refills_blocks(app):
    product = make_c2_product()
    rx = make_prescription(
        product=product,
        refills_authorized=1,
        sig="1 tab po q6h prn pain",
        quantity=Decimal(20),
        quantity_unit="tab",
        days_supply=5,
    )
    assert rx.schedule == "2" and rx.expires_on == rx.written_on + timedelta(days=180)
    result = _result(make_fill(rx), "controlled")
    assert result.status is Status.BLOCK and "cannot be refilled" in result.message


def test_a_prescriber_without_dea_cannot_prescribe_c4(app):
    product = make_product(name="Alprazolam", strength="0.5 mg", schedule="4")
    rx = make_prescription(
        product=product,
        prescriber=make_prescriber(dea=None, dea_schedules=""),
        sig="1 tab po bid",
        quantity=Decimal(60),
        quantity_unit="tab",
        days_supply=30,
    )
    result = _result(make_fill(rx), "controlled")
    assert result.status is Status.BLOCK and "DEA number" in result.message


def test_c4_refills_are_capped_by_the_setting(app):
    with write_transaction():
        settings.put("prescriptions.max_refills_c3_c4", 2)
    product = make_product(name="Zolpidem", strength="5 mg", schedule="4")
    rx = make_prescription(
        product=product,
        refills_authorized=3,
        sig="1 tab po qhs",
        quantity=Decimal(30),
        quantity_unit="tab",
        days_supply=30,
    )
    result = _result(make_fill(rx), "controlled")
    assert result.status is Status.BLOCK and "at most 2 refills" in result.message


def test_a_prescription_past_the_pharmacys_limit_is_blocked(app):
    with write_transaction():
        settings.put("prescriptions.days_valid", 180)
    rx = make_prescription(written_on=TODAY - timedelta(days=200))
    result = _result(make_fill(rx), "expired")
    assert result.status is Status.BLOCK and "180 days" in result.message


def test_refill_too_soon_warns_and_the_share_is_a_setting(app):
    product = make_product(name="Metformin", strength="500 mg", dosage_form="tablet")
    rx = make_prescription(
        product=product,
        refills_authorized=2,
        sig="1 tab po daily",
        quantity=Decimal(30),
        quantity_unit="tab",
        days_supply=30,
    )
    first = advance_fill(make_fill(rx), "picked_up")
    first.filled_on = TODAY - timedelta(days=20)
    first.save()
    refill = entry.refill(
        rx, user=make_user(), quantity=Decimal(30), days_supply=30, priority="today"
    )
    result = _result(refill, "refill_too_soon")
    assert result.status is Status.WARN and "75%" in result.message
    with write_transaction():
        settings.put("prescriptions.refill_too_soon_percent", 60)
    assert _result(refill, "refill_too_soon").status is Status.PASS


def test_duplicate_therapy_across_prescriptions_warns(app):
    patient = make_patient()
    ibuprofen = make_ingredient(name="Ibuprofen", allergen_classes="NSAIDs")
    make_prescription(
        patient=patient,
        product=make_product(ingredients=[ibuprofen], name="Ibuprofen", strength="800 mg"),
        sig="1 tab po tid",
        quantity=Decimal(30),
        quantity_unit="tab",
        days_supply=10,
    )
    other = make_prescription(
        patient=patient,
        product=make_product(ingredients=[ibuprofen], name="Ibuprofen", strength="600 mg"),
        sig="1 tab po tid",
        quantity=Decimal(30),
        quantity_unit="tab",
        days_supply=10,
    )
    result = _result(make_fill(other), "duplicate_therapy")
    assert result.status is Status.WARN and "also contains Ibuprofen" in result.message


def test_quantity_that_disagrees_with_the_directions_warns(app):
    rx = make_prescription(sig="1 cap po tid x10d", quantity=Decimal(20), days_supply=10)
    result = _result(make_fill(rx), "quantity")
    assert result.status is Status.WARN and "need 30" in result.message


def test_an_incomplete_entry_blocks_until_it_is_filled_in(app):
    fill = entry.receive(patient=make_patient(), values={}, priority="today", user=make_user())
    results = gather.checks_for(fill, TODAY)
    assert [(r.check, r.status) for r in results] == [("complete", Status.BLOCK)]
