"""Final verification of a compound: the internal ID on its label is scanned (or typed) and
must match the fill's compounding record; a mismatch is refused in words and audited."""

import pytest

from portal.audit.models import AuditEvent
from portal.compounding.records import actions
from portal.compounding.records.models import CompoundingRecord
from portal.foundation.db import write_transaction
from portal.prescriptions.fills import steps
from portal.prescriptions.fills.models import Fill, ScanMismatch, WorkflowError
from tests.factories import make_compound_fill, make_user


def _approved_compound_fill(pharmacist) -> tuple[Fill, CompoundingRecord]:
    """A compound fill at final verification whose compounding record is approved."""
    fill = make_compound_fill()
    with write_transaction():
        actions.approve(CompoundingRecord.latest_for_fill(fill), pharmacist)
    return fill, CompoundingRecord.latest_for_fill(fill)


# ---- the rule, on plain values ------------------------------------------------------------


@pytest.mark.parametrize("scan", ["100125", " 100125\r\n", "\t100125"])
def test_the_internal_id_matches_whatever_whitespace_the_scanner_adds(scan):
    assert steps.preparation_scan_problem(scan, "100125") is None


def test_a_batch_lot_number_matches_in_any_case():
    assert steps.preparation_scan_problem("b2611-0001", "B2611-0001") is None


def test_another_preparation_is_refused_naming_both():
    problem = steps.preparation_scan_problem("100999", "100125")
    assert problem == (
        "Wrong preparation: the scan reads 100999, this fill's compounding record is 100125."
    )


def test_scanning_the_label_barcode_instead_says_what_to_scan():
    problem = steps.preparation_scan_problem("RX100125-0", "100125")
    assert problem.startswith("Wrong preparation: the scan reads RX100125-0")
    assert "scan or type the internal ID" in problem


# ---- approve_final ---------------------------------------------------------------------------


def test_a_compound_cannot_be_approved_without_a_scan(app):
    pharmacist = make_user(roles=("pharmacist",))
    fill, _ = _approved_compound_fill(pharmacist)
    with pytest.raises(WorkflowError, match="Scan or type the internal ID"):
        steps.approve_final(fill, pharmacist)
    assert Fill.get_by_id(fill.id).status == "final_verify"


def test_a_wrong_lot_blocks_final_verification(app):
    pharmacist = make_user(roles=("pharmacist",))
    fill, record = _approved_compound_fill(pharmacist)
    with pytest.raises(ScanMismatch, match="Wrong preparation: the scan reads B2601-0042"):
        steps.approve_final(fill, pharmacist, scan="B2601-0042")
    assert Fill.get_by_id(fill.id).status == "final_verify"


def test_the_records_internal_id_passes(app):
    pharmacist = make_user(roles=("pharmacist",))
    fill, record = _approved_compound_fill(pharmacist)
    assert record.internal_id == str(fill.prescription.rx_number)
    steps.approve_final(fill, pharmacist, scan=f" {record.internal_id}\n")
    assert Fill.get_by_id(fill.id).status == "ready"


def test_the_record_must_be_approved_before_the_scan_counts(app):
    pharmacist = make_user(roles=("pharmacist",))
    fill, record = _approved_compound_fill(pharmacist)
    with write_transaction():
        CompoundingRecord.update(status="completed").where(
            CompoundingRecord.id == record.id
        ).execute()
    with pytest.raises(WorkflowError, match="Approve the compounding record"):
        steps.approve_final(Fill.get_by_id(fill.id), pharmacist, scan=record.internal_id)


# ---- the page ------------------------------------------------------------------------------


def test_final_verification_page_asks_for_the_internal_id_of_a_compound(client_as):
    pharmacist = client_as("pharmacist")
    fill, record = _approved_compound_fill(pharmacist.user)
    page = pharmacist.get(f"/fills/{fill.id}/verify-final")
    assert page.status_code == 200
    assert "Scan or type the internal ID on the preparation&#39;s label" in page.text
    assert f"compounding record, {record.internal_id}." in page.text
    assert "Scan the package barcode" not in page.text


def test_the_label_preview_shows_the_records_beyond_use_date_and_internal_id(client_as):
    pharmacist = client_as("pharmacist")
    fill, record = _approved_compound_fill(pharmacist.user)
    page = pharmacist.get(f"/fills/{fill.id}/verify-final").text
    bud = record.beyond_use_date
    assert f"Beyond-use date: {bud:%b}" in page and f"{bud.year}" in page
    assert f"Internal\u00a0ID:\u00a0{record.internal_id}" in page
    assert "This is a compounded preparation" in page


def test_a_wrong_scan_on_the_page_is_refused_in_words_and_audited(client_as):
    pharmacist = client_as("pharmacist")
    fill, record = _approved_compound_fill(pharmacist.user)
    response = pharmacist.post(
        f"/fills/{fill.id}/verify-final", data={"approve": "Approve", "scan": "100999"}
    )
    assert response.status_code == 422
    assert "Wrong preparation: the scan reads 100999" in response.text
    assert Fill.get_by_id(fill.id).status == "final_verify"
    event = AuditEvent.get(AuditEvent.action == "scan_mismatch")
    assert (event.entity, event.entity_id) == ("fill", str(fill.id))
    assert (event.patient_id, event.user_id) == (fill.patient_id, pharmacist.user.id)
    assert "100999" in event.after and record.internal_id in event.after

    response = pharmacist.post(
        f"/fills/{fill.id}/verify-final", data={"approve": "Approve", "scan": record.internal_id}
    )
    assert response.status_code == 302
    assert Fill.get_by_id(fill.id).status == "ready"
    assert AuditEvent.select().where(AuditEvent.action == "scan_mismatch").count() == 1


def test_a_missing_scan_is_not_audited_as_a_mismatch(client_as):
    pharmacist = client_as("pharmacist")
    fill, _ = _approved_compound_fill(pharmacist.user)
    response = pharmacist.post(f"/fills/{fill.id}/verify-final", data={"approve": "Approve"})
    assert response.status_code == 422
    assert "Scan or type the internal ID" in response.text
    assert not AuditEvent.select().where(AuditEvent.action == "scan_mismatch").exists()
