"""A compound's label comes from its completed compounding record: the BUD printed is the
record's, and until there is one the label is refused in words, never printed with a
made-up date."""

from datetime import date, timedelta

import pytest
from flask import current_app

from portal.compounding.records import actions
from portal.compounding.records.models import CompoundingRecord
from portal.labels.from_fill import LabelNotReady, label_for_fill, label_not_ready
from portal.labels.models import LabelPrint
from portal.labels.print_rules import compound_label_problem
from portal.labels.render import render_label
from portal.prescriptions.fills.models import Fill
from portal.prescriptions.screening.facts import plain_date
from tests.factories import (
    advance_fill,
    complete_record,
    make_compound_fill,
    make_compound_prescription,
    make_fill,
    make_user,
    stock_formula,
)
from tests.labels.pdfcheck import compact, page_texts

TODAY = date.today()


def _compounded() -> tuple[Fill, CompoundingRecord]:
    """A compound fill made from a completed compounding record, and the record."""
    fill = make_compound_fill()
    return fill, CompoundingRecord.latest_for_fill(fill)


def _compound_at_compounding(started: bool = False) -> Fill:
    """A compound fill waiting to be compounded; with ``started``, its record in progress."""
    prescription = make_compound_prescription()
    fill = advance_fill(prescription.fills.get(), "compound")
    if started:
        stock_formula(prescription.formula)
        actions.start_for_fill(fill, make_user(roles=("technician",)), today=TODAY)
    return Fill.get_by_id(fill.id)


# ---- the rule, on plain values ------------------------------------------------------------


def test_no_record_yet_is_a_reason_in_words():
    assert "no compounding record has been started" in compound_label_problem(None, "", None)


def test_a_record_in_progress_is_a_reason_in_words():
    problem = compound_label_problem(7, "in_progress", None)
    assert problem.startswith("compounding record #7 is not completed yet")


def test_a_rejected_record_is_a_reason_in_words():
    assert "#7 was rejected" in compound_label_problem(7, "rejected", TODAY)


@pytest.mark.parametrize("status", ["completed", "approved"])
def test_a_completed_record_with_a_bud_may_print(status):
    assert compound_label_problem(7, status, TODAY) is None


def test_a_completed_record_without_a_bud_may_not():
    assert compound_label_problem(7, "completed", None) == (
        "compounding record #7 has no beyond-use date."
    )


# ---- building the label -------------------------------------------------------------------


def test_compound_label_carries_the_records_bud_and_every_required_element(app):
    fill, record = _compounded()
    label = label_for_fill(fill, today=TODAY)
    assert label.discard_after == record.beyond_use_date == TODAY + timedelta(days=13)
    assert label.compound.internal_id == record.internal_id == str(fill.prescription.rx_number)
    pdf = render_label(label, "4x2.5", current_app.jinja_env).pdf
    text = compact(" ".join(page_texts(pdf)))
    formula = fill.prescription.formula
    (active,) = [line.component_name for line in formula.lines() if line.is_active]
    for expected in (
        formula.name,
        formula.strength,
        f"Dosage form: {formula.dosage_form}",
        "This is a compounded preparation",
        f"Internal ID: {record.internal_id}",
        f"Active: {active} 2.5%",
        f"Beyond-use date: {plain_date(record.beyond_use_date)}",
        record.storage,
    ):
        assert compact(expected) in text, f"{expected!r} not on the label: {text}"


def test_a_compound_with_no_record_is_refused_not_dated_today(app):
    fill = _compound_at_compounding()
    with pytest.raises(LabelNotReady, match="no compounding record has been started"):
        label_for_fill(fill, today=TODAY)
    assert label_not_ready(fill).startswith(f"The label of Rx {fill.rx_fill} cannot print yet")


def test_a_compound_whose_record_is_in_progress_is_refused(app):
    fill = _compound_at_compounding(started=True)
    with pytest.raises(LabelNotReady, match="is not completed yet"):
        label_for_fill(fill, today=TODAY)


def test_after_a_rejection_the_old_records_bud_is_not_used(app):
    fill, record = _compounded()
    actions.reject(record, make_user(roles=("pharmacist",)), "Gritty texture", today=TODAY)
    with pytest.raises(LabelNotReady, match=f"record #{record.id} was rejected"):
        label_for_fill(Fill.get_by_id(fill.id), today=TODAY)
    # The remade preparation prints with its own record.
    remade = actions.start_for_fill(Fill.get_by_id(fill.id), make_user(), today=TODAY)
    complete_record(remade, make_user(roles=("technician",)), today=TODAY)
    label = label_for_fill(Fill.get_by_id(fill.id), today=TODAY)
    assert label.discard_after == CompoundingRecord.get_by_id(remade.id).beyond_use_date


def test_a_manufactured_product_is_always_ready(app):
    assert label_not_ready(advance_fill(make_fill(), "fill")) is None


# ---- the pages ------------------------------------------------------------------------------


def test_print_page_says_why_a_compound_label_cannot_print(app, client_as):
    tech = client_as("technician")
    fill = _compound_at_compounding(started=True)
    page = tech.get(f"/labels/fills/{fill.id}")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert f"The label of Rx {fill.rx_fill} cannot print yet" in text
    assert "is not completed yet" in text
    assert "Print label</button>" not in text and 'value="Print label"' not in text
    response = tech.post(f"/labels/fills/{fill.id}", data={"copies": "1"})
    assert response.status_code == 409
    assert response.mimetype == "text/html"
    assert LabelPrint.select().count() == 0


def test_fill_page_says_why_instead_of_offering_to_print(app, client_as):
    tech = client_as("technician")
    fill = _compound_at_compounding()
    text = tech.get(f"/fills/{fill.id}").get_data(as_text=True)
    assert f"The label of Rx {fill.rx_fill} cannot print yet" in text
    assert f'href="/labels/fills/{fill.id}"' not in text


def test_a_completed_compound_prints_from_its_page(app, client_as):
    tech = client_as("technician")
    fill, record = _compounded()
    assert f'href="/labels/fills/{fill.id}"' in tech.get(f"/fills/{fill.id}").get_data(as_text=True)
    response = tech.post(f"/labels/fills/{fill.id}", data={"copies": "1"})
    assert response.mimetype == "application/pdf"
    text = compact(" ".join(page_texts(response.data)))
    assert compact(f"Beyond-use date: {plain_date(record.beyond_use_date)}") in text


def test_batch_leaves_a_waiting_compound_unchosen_and_refuses_it_in_words(app, client_as):
    tech = client_as("technician")
    plain = advance_fill(make_fill(), "fill")
    waiting = _compound_at_compounding()
    page = tech.get("/labels/batch").get_data(as_text=True)
    assert "label not ready" in page
    assert f'value="{waiting.id}" id="fill-{waiting.id}" >' in page  # not checked
    response = tech.post("/labels/batch", data={"fill": [str(plain.id), str(waiting.id)]})
    assert response.status_code == 422
    text = response.get_data(as_text=True)
    assert f"The label of Rx {waiting.rx_fill} cannot print yet" in text
    assert "Leave it out to print the others." in text
    assert LabelPrint.select().count() == 0
    response = tech.post("/labels/batch", data={"fill": [str(plain.id)]})
    assert response.mimetype == "application/pdf"
