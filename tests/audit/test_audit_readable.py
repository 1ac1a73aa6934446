"""The audit page reads like the pharmacy talks: names, local times, only real changes,
filters by patient name and area, a total count."""

from datetime import datetime

from portal.audit import log as audit
from portal.audit.display import same
from portal.audit.models import AuditEvent
from portal.foundation.db import write_transaction
from tests.factories import make_claim, make_coverage, make_patient, make_user


def _delgado_paid_claim():
    patient = make_patient(last_name="Delgado", first_name="Rosa")
    claim = make_claim("paid", coverage=make_coverage(patient), rx_number="100001")
    return patient, claim


def test_same_amount_written_two_ways_is_not_a_change():
    assert same("0.00", 0) and same("30.0000", "30") and same("", None)
    assert not same("0.00", "11.57") and not same(None, 0) and not same("draft", "paid")


def test_a_claims_moves_name_the_claim_and_the_patient(client_as):
    manager = client_as("manager")
    patient, claim = _delgado_paid_claim()
    page = manager.get("/audit/?area=Claims").get_data(as_text=True)
    assert "Claim for Rx 100001" in page
    assert "Delgado, Rosa" in page
    assert f"claim {claim.id}<" not in page and f"patient {patient.id}<" not in page
    # paid 0.00 -> 0 is the same amount: never listed as a change
    assert "<del>0.00</del> → <ins>0</ins>" not in page
    assert "<del>submitted</del> → <ins>paid</ins>" in page


def test_times_in_changes_are_local_not_iso(client_as):
    manager = client_as("manager")
    _delgado_paid_claim()
    page = manager.get("/audit/?area=Claims").get_data(as_text=True)
    submitted = [e for e in AuditEvent.select() if '"submitted_at": "' in e.after]
    assert submitted
    iso = submitted[0].after_data()["submitted_at"]
    assert iso not in page
    assert iso[:4] in page  # shown as MM/DD/YYYY hh:mm AM


def test_patient_filter_takes_a_name(client_as):
    manager = client_as("manager")
    delgado, _ = _delgado_paid_claim()
    other = make_patient(last_name="Okafor", first_name="Grace")
    make_claim("submitted", coverage=make_coverage(other), rx_number="100002")
    page = manager.get("/audit/?patient=delgado, ro").get_data(as_text=True)
    assert "Claim for Rx 100001" in page
    assert "Rx 100002" not in page
    assert "1 patient: Delgado, Rosa" in page
    nobody = manager.get("/audit/?patient=zzyzx").get_data(as_text=True)
    assert "No patient has that name." in nobody and "No events match" in nobody


def test_area_filter_keeps_to_its_records(client_as):
    manager = client_as("manager")
    patient, _ = _delgado_paid_claim()
    with write_transaction():
        audit.record("view", "patient", patient.id, patient_id=patient.id)
    page = manager.get("/audit/?area=Patients").get_data(as_text=True)
    assert "Delgado, Rosa" in page
    assert "Claim for Rx" not in page


def test_pages_count_the_whole_trail(client_as):
    manager = client_as("manager")
    user = make_user(roles=("technician",))
    with write_transaction():
        for number in range(120):
            audit.record("view", "patient", number, user=user)
    first = manager.get(f"/audit/?user={user.id}").get_data(as_text=True)
    assert "Events 1–50 of 120" in first
    ids = [e.id for e in AuditEvent.select().where(AuditEvent.user_id == user.id)]
    second = manager.get(f"/audit/?user={user.id}&before={sorted(ids)[-50]}")
    assert "Events 51–100 of 120" in second.get_data(as_text=True)
    back = manager.get(f"/audit/?user={user.id}&after={sorted(ids)[-51]}")
    assert "Events 1–50 of 120" in back.get_data(as_text=True)


def test_a_created_record_is_folded_not_a_list_of_changes(client_as):
    manager = client_as("manager")
    patient = make_patient(last_name="Delgado", first_name="Rosa")
    with write_transaction():
        audit.record(
            "create",
            "patient",
            patient.id,
            after={"last_name": "Delgado", "created_at": datetime(2030, 1, 1).isoformat()},
            patient_id=patient.id,
        )
    page = manager.get(f"/audit/?patient={patient.id}").get_data(as_text=True)
    assert "Created with 2 fields" in page
    assert "Patient: Delgado, Rosa" in page
