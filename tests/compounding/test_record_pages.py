"""Compounding record pages: start a batch, save lines and checks, notes, complete, approve,
the printable record."""

import io
from datetime import date, timedelta
from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pypdf import PdfReader

from portal.audit.models import AuditEvent
from portal.compounding.records.models import CompoundingRecord
from tests.factories import make_batch_record, make_formula, make_lot, make_user, stock_formula

D = Decimal


def _text(response) -> str:
    return response.get_data(as_text=True)


def _lines_data(record, measured: dict, lots: dict | None = None) -> dict:
    data = {}
    for i, line in enumerate(record.lines()):
        data[f"lines-{i}-line_id"] = str(line.id)
        data[f"lines-{i}-lot"] = str((lots or {}).get(line.name, ""))
        data[f"lines-{i}-measured"] = measured.get(line.name, "")
    return data


def _quality_data(record, weight: str) -> dict:
    data = {}
    for i, result in enumerate(record.quality_results()):
        data[f"results-{i}-result_id"] = str(result.id)
        if result.check.kind == "final_weight":
            data[f"results-{i}-measured"] = weight
        else:
            data[f"results-{i}-observed"] = "Smooth white cream"
            data[f"results-{i}-judged"] = "pass"
    return data


def test_technician_starts_a_batch_from_an_approved_formula(client_as):
    formula = make_formula(approved_by=True)
    make_formula(name="Draft only")  # not offered
    client = client_as("technician")
    page = _text(client.get("/compounding/records/new-batch"))
    assert "Hydrocortisone 2.5% cream (version 1, per 100 g)" in page
    assert "Draft only" not in page
    response = client.post(
        "/compounding/records/new-batch",
        data={"formula": str(formula.id), "quantity": "60", "unit": "g"},
    )
    record = CompoundingRecord.get()
    assert response.headers["Location"].endswith(f"/compounding/records/{record.id}")
    assert record.batch_number.startswith("B") and record.started_by_id == client.user.id
    assert AuditEvent.get(AuditEvent.entity == "compounding_record").action == "create"


def test_a_batch_in_another_kind_of_unit_is_explained(client_as):
    formula = make_formula(approved_by=True)
    response = client_as("technician").post(
        "/compounding/records/new-batch",
        data={"formula": str(formula.id), "quantity": "30", "unit": "each"},
    )
    assert response.status_code == 422
    assert "cannot be scaled to 30 each" in _text(response)
    assert CompoundingRecord.select().count() == 0


def test_a_batch_without_a_formula_chosen_says_so(client_as):
    make_formula(approved_by=True)
    response = client_as("technician").post(
        "/compounding/records/new-batch", data={"formula": "", "quantity": "60", "unit": "g"}
    )
    assert response.status_code == 422
    assert "Choose an approved master formula." in _text(response)
    assert CompoundingRecord.select().count() == 0


def test_the_record_page_suggests_the_first_expiring_lot(client_as):
    record = make_batch_record()
    item = record.lines()[0].formula_line.item
    make_lot(item, lot_number="LATE", expires_on=date.today() + timedelta(days=300))
    make_lot(item, lot_number="SOON", expires_on=date.today() + timedelta(days=20))
    page = _text(client_as("technician").get(f"/compounding/records/{record.id}"))
    assert "SOON · expires" in page and "first to expire" in page
    soon = page.index("SOON · expires")
    assert page.rfind("selected", 0, soon) > page.rfind("<select", 0, soon)


def test_saving_lines_shows_the_deviation_and_asks_for_a_note(client_as):
    record = make_batch_record()
    lots = {lot.ingredient.name: lot.id for lot in stock_formula(record.formula)}
    active, base = record.lines()
    client = client_as("technician")
    data = _lines_data(record, {active.name: "1.6", base.name: "58.5"}, lots)
    response = client.post(
        f"/compounding/records/{record.id}/lines", data=data, headers={"HX-Request": "true"}
    )
    text = _text(response)
    assert response.status_code == 200 and 'class="topbar"' not in text
    assert "Lots and amounts saved." in text
    assert "+6.67%" in text and "Outside ±5%" in text
    assert "Deviations waiting for a pharmacist" in text


def test_an_expired_lot_posted_anyway_is_refused_and_nothing_saved(client_as):
    record = make_batch_record()
    stock_formula(record.formula)
    active, base = record.lines()
    old = make_lot(
        active.formula_line.item, lot_number="OLD", expires_on=date.today() - timedelta(days=2)
    )
    client = client_as("technician")
    data = _lines_data(record, {active.name: "1.5", base.name: "58.5"}, {active.name: old.id})
    response = client.post(f"/compounding/records/{record.id}/lines", data=data)
    assert response.status_code == 422
    assert "an expired component cannot be used" in _text(response)
    assert all(line.measured_amount is None for line in record.lines())


def test_a_technicians_deviation_note_needs_a_pharmacists_pin(client_as):
    record = make_batch_record()
    lots = {lot.ingredient.name: lot.id for lot in stock_formula(record.formula)}
    active, base = record.lines()
    technician = client_as("technician")
    technician.post(
        f"/compounding/records/{record.id}/lines",
        data=_lines_data(record, {active.name: "1.6", base.name: "58.5"}, lots),
    )
    note = {"notes-0-line_id": str(active.id), "notes-0-note": "Within assay range."}
    asked = technician.post(f"/compounding/records/{record.id}/notes", data=note)
    assert "Pharmacist approval needed" in _text(asked)
    assert record.lines()[0].pharmacist_note == ""
    pharmacist = make_user(roles=("pharmacist",), full_name="Paula Reyes")
    technician.post(
        f"/compounding/records/{record.id}/notes", data={**note, "cosign_pin": pharmacist.pin}
    )
    line = record.lines()[0]
    assert line.pharmacist_note == "Within assay range." and line.noted_by_id == pharmacist.id


def test_complete_then_approve_through_the_pages(client_as):
    record = make_batch_record()
    lots = {lot.ingredient.name: lot.id for lot in stock_formula(record.formula)}
    active, base = record.lines()
    technician = client_as("technician")
    technician.post(
        f"/compounding/records/{record.id}/lines",
        data=_lines_data(record, {active.name: "1.5", base.name: "58.5"}, lots),
    )
    technician.post(f"/compounding/records/{record.id}/quality", data=_quality_data(record, "59.8"))
    response = technician.post(f"/compounding/records/{record.id}/complete", follow_redirects=True)
    assert "Beyond-use date" in _text(response)
    record = CompoundingRecord.get_by_id(record.id)
    assert record.status == "completed"
    # A technician's approval asks for a PIN; a pharmacist approves at once.
    assert "Pharmacist approval needed" in _text(
        technician.post(f"/compounding/records/{record.id}/approve")
    )
    pharmacist = client_as("pharmacist")
    pharmacist.post(f"/compounding/records/{record.id}/approve")
    record = CompoundingRecord.get_by_id(record.id)
    assert record.status == "approved" and record.approved_by_id == pharmacist.user.id


def test_completing_too_early_lists_what_is_missing(client_as):
    record = make_batch_record()
    response = client_as("technician").post(
        f"/compounding/records/{record.id}/complete", follow_redirects=True
    )
    text = _text(response)
    assert "Choose the lot of" in text and "Record the quality check" in text
    assert CompoundingRecord.get_by_id(record.id).status == "in_progress"


def test_rejection_needs_a_reason_and_a_pharmacist(client_as):
    record = make_batch_record()
    technician = client_as("technician")
    assert "Say why the record is rejected." in _text(
        technician.post(f"/compounding/records/{record.id}/reject", data={"reason": ""})
    )
    asked = technician.post(f"/compounding/records/{record.id}/reject", data={"reason": "Spilled"})
    assert "Pharmacist approval needed" in _text(asked)
    client_as("pharmacist").post(
        f"/compounding/records/{record.id}/reject", data={"reason": "Spilled"}
    )
    record = CompoundingRecord.get_by_id(record.id)
    assert record.status == "rejected" and record.rejection_reason == "Spilled"


def test_the_printable_record_has_what_usp_795_lists(client_as):
    record = make_batch_record()
    lots = stock_formula(record.formula, supplier="Medisca")
    by_name = {lot.ingredient.name: lot.id for lot in lots}
    active, base = record.lines()
    client = client_as("technician")
    client.post(
        f"/compounding/records/{record.id}/lines",
        data=_lines_data(record, {active.name: "1.5", base.name: "58.5"}, by_name),
    )
    client.post(f"/compounding/records/{record.id}/quality", data=_quality_data(record, "59.8"))
    client.post(f"/compounding/records/{record.id}/complete")
    response = client.get(f"/compounding/records/{record.id}/record.pdf")
    assert response.headers["Content-Type"] == "application/pdf"
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(response.data)).pages)
    text = " ".join(text.split())
    for expected in (
        "Hydrocortisone 2.5% cream",  # name, strength, dosage form
        "version 1",  # master formulation record and version
        lots[0].lot_number, lots[1].lot_number, "Medisca",  # lots and vendor
        "60 g",  # total quantity
        record.batch_number,  # internal id
        "Store in a refrigerator",  # storage
        "Final weight", "59.8 g",  # quality checks
        "Compounded by", "Verified by",
    ):  # fmt: skip
        assert expected in text, expected
    assert AuditEvent.get(AuditEvent.action == "print").entity == "compounding_record"


def test_records_list_groups_by_status(client_as):
    record = make_batch_record()
    text = _text(client_as("pharmacist").get("/compounding/records"))
    assert "In progress" in text and record.batch_number in text


junk = st.one_of(
    st.text(max_size=10),
    st.sampled_from(["0", "-1", "1e30", "NaN", "1.5", "58.5", "999999999", "0.0000001", "7", ""]),
)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.data())
def test_any_posted_line_or_check_gives_a_message_never_a_crash(client_as, data):
    record = make_batch_record()
    stock_formula(record.formula)
    client = client_as("technician")
    lines = {
        key: data.draw(junk | st.just(value), label=key)
        for key, value in _lines_data(record, {}).items()
    }
    for i in range(len(record.lines())):
        lines[f"lines-{i}-measured"] = data.draw(junk, label=f"measured {i}")
    assert client.post(f"/compounding/records/{record.id}/lines", data=lines).status_code < 500
    quality = {key: data.draw(junk, label=key) for key in _quality_data(record, "")}
    assert client.post(f"/compounding/records/{record.id}/quality", data=quality).status_code < 500
