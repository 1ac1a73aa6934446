"""Compounds on prescriptions: the allergy check reaches every formula ingredient, the fill
routes to compounding, the record is made for the fill, and final verification needs it."""

from datetime import date
from decimal import Decimal

import pytest

from portal.compounding.records import actions
from portal.compounding.records.models import CompoundingRecord
from portal.compounding.records.pages import fills_waiting
from portal.foundation.db import write_transaction
from portal.prescriptions.fills import steps
from portal.prescriptions.fills.models import Fill, WorkflowError
from portal.prescriptions.screening import gather
from portal.prescriptions.screening.facts import Status
from tests.factories import (
    advance_fill,
    make_allergy,
    make_compound_prescription,
    make_formula,
    make_ingredient,
    make_patient,
    make_user,
    stock_formula,
)

D = Decimal
TODAY = date.today()


def _fill(prescription) -> Fill:
    return prescription.fills.order_by(Fill.fill_number).first()


def _finish(record, user):
    with write_transaction():
        for line in record.lines():
            lot = actions.suggested_lots(line, TODAY)[0]
            actions.record_line(record, line, lot=lot, measured=line.required_amount, user=user,
                                today=TODAY)  # fmt: skip
        for result in record.quality_results():
            actions.record_quality(record, result, measured=record.quantity, observed="smooth",
                                   judged_pass=True, user=user)  # fmt: skip
    actions.complete(record, user, today=TODAY)


def test_allergy_to_a_class_of_any_formula_ingredient_blocks_the_compound(app):
    # The patient reacts to parabens; only the (inactive) base of the cream contains them.
    base = make_ingredient(name="Cream base with methylparaben", allergen_classes="parabens")
    active = make_ingredient(name="Ketoconazole USP")
    formula = make_formula(
        lines=[(active, D(2), "g", True), (base, D(98), "g", False)], approved_by=True
    )
    patient = make_patient(allergy_status="has_allergies")
    make_allergy(patient, allergen="parabens", kind="class")
    fill = _fill(make_compound_prescription(formula, patient=patient))
    allergy = next(r for r in gather.checks_for(fill, TODAY) if r.check == "allergy")
    assert allergy.status is Status.BLOCK
    assert "Cream base with methylparaben" in allergy.message


def test_a_compound_without_the_allergen_passes_the_allergy_check(app):
    patient = make_patient(allergy_status="has_allergies")
    make_allergy(patient, allergen="parabens", kind="class")
    fill = _fill(make_compound_prescription(patient=patient))
    allergy = next(r for r in gather.checks_for(fill, TODAY) if r.check == "allergy")
    assert allergy.status is Status.PASS


def test_data_verification_routes_a_compound_to_compounding(app):
    fill = _fill(make_compound_prescription())
    advance_fill(fill, "compound")
    assert Fill.get_by_id(fill.id).status == "compound"
    assert [f.id for f in fills_waiting()] == [fill.id]


def test_the_record_is_scaled_to_the_fill_and_carries_its_rx_number(app):
    prescription = make_compound_prescription(quantity=D(30))
    fill = advance_fill(_fill(prescription), "compound")
    record = actions.start_for_fill(fill, make_user(), today=TODAY)
    assert record.fill_id == fill.id and record.batch_number is None
    assert record.internal_id == str(prescription.rx_number)
    assert [line.required_amount for line in record.lines()] == [D("0.75"), D("29.25")]
    # Asking again opens the same record.
    assert actions.start_for_fill(fill, make_user(), today=TODAY).id == record.id
    assert fills_waiting() == []


def test_completing_sends_the_fill_to_final_verification_which_needs_the_record_approved(app):
    prescription = make_compound_prescription()
    fill = advance_fill(_fill(prescription), "compound")
    stock_formula(prescription.formula)
    technician = make_user(roles=("technician",))
    record = actions.start_for_fill(fill, technician, today=TODAY)
    _finish(record, technician)
    fill = Fill.get_by_id(fill.id)
    assert fill.status == "final_verify" and fill.filled_by_id == technician.id
    pharmacist = make_user(roles=("pharmacist",))
    with pytest.raises(WorkflowError, match="Approve the compounding record"):
        steps.approve_final(fill, pharmacist)
    with write_transaction():
        actions.approve(CompoundingRecord.get_by_id(record.id), pharmacist)
    steps.approve_final(fill, pharmacist, scan=record.internal_id)
    assert Fill.get_by_id(fill.id).status == "ready"


def test_a_compound_cannot_skip_its_record(app):
    fill = advance_fill(_fill(make_compound_prescription()), "compound")
    with pytest.raises(WorkflowError, match="compounding record is completed"):
        steps.mark_compounded(fill, make_user())


def test_sent_back_at_final_verification_the_record_is_rejected_and_a_new_one_made(app):
    prescription = make_compound_prescription()
    fill = advance_fill(_fill(prescription), "compound")
    stock_formula(prescription.formula)
    first = actions.start_for_fill(fill, make_user(), today=TODAY)
    _finish(first, make_user())
    pharmacist = make_user(roles=("pharmacist",))
    steps.send_back_final(Fill.get_by_id(fill.id), pharmacist, "Gritty texture")
    second = actions.start_for_fill(Fill.get_by_id(fill.id), make_user(), today=TODAY)
    first = CompoundingRecord.get_by_id(first.id)
    assert second.id != first.id
    assert first.status == "rejected" and first.rejected_by_id == pharmacist.id
    assert "Gritty texture" in first.rejection_reason


def test_rejecting_a_completed_record_sends_the_fill_back_to_compounding(app):
    prescription = make_compound_prescription()
    fill = advance_fill(_fill(prescription), "compound")
    stock_formula(prescription.formula)
    record = actions.start_for_fill(fill, make_user(), today=TODAY)
    _finish(record, make_user())
    actions.reject(record, make_user(roles=("pharmacist",)), "Wrong base used", today=TODAY)
    assert Fill.get_by_id(fill.id).status == "compound"


def test_a_retired_formula_version_compounds_from_the_approved_one(app):
    formula = make_formula(approved_by=True)
    prescription = make_compound_prescription(formula)
    pharmacist = make_user(roles=("pharmacist",))
    with write_transaction():
        newer = formula.new_version(make_user())
        newer.approve(pharmacist)
    fill = advance_fill(_fill(prescription), "compound")
    record = actions.start_for_fill(fill, make_user(), today=TODAY)
    assert record.formula_id == newer.id
