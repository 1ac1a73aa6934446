"""Discontinuing a prescription: the pharmacist records that the prescriber stopped it."""

from portal.audit.models import AuditEvent
from portal.prescriptions.models import Prescription
from portal.prescriptions.screening import gather
from tests.factories import advance_fill, make_fill
from tests.factories.catalog import make_ingredient, make_product


def _picked_up_rx(**fields):
    fill = advance_fill(make_fill(**fields), "picked_up")
    return fill.prescription


def test_a_pharmacist_discontinues_a_prescription_with_the_reason(client_as):
    rx = _picked_up_rx(refills_authorized=3)
    pharmacist = client_as("pharmacist")
    page = pharmacist.get(f"/rx/{rx.rx_number}").get_data(as_text=True)
    assert "Discontinue this prescription" in page
    response = pharmacist.post(
        f"/rx/{rx.rx_number}/discontinue", data={"reason": "Dr Lee stopped it: rash"}
    )
    assert response.status_code == 302
    stored = Prescription.get_by_id(rx.id)
    assert stored.status == "inactive" and stored.discontinued_reason == "Dr Lee stopped it: rash"
    assert stored.discontinued_by_id == pharmacist.user.id
    event = AuditEvent.get(AuditEvent.action == "discontinue")
    assert event.entity == "prescription" and event.note == "Dr Lee stopped it: rash"
    assert '"inactive"' in event.after and event.patient_id == rx.patient_id
    page = pharmacist.get(f"/rx/{rx.rx_number}").get_data(as_text=True)
    assert "Dr Lee stopped it: rash" in page and "Discontinue this prescription" not in page
    assert "inactive; a new prescription is needed" in page  # no refill from it


def test_without_a_reason_the_page_comes_back_with_the_field_message(client_as):
    rx = _picked_up_rx()
    response = client_as("pharmacist").post(f"/rx/{rx.rx_number}/discontinue", data={})
    assert response.status_code == 422
    assert "Say why." in response.get_data(as_text=True)
    assert Prescription.get_by_id(rx.id).status == "active"


def test_a_prescription_with_a_fill_in_progress_is_not_discontinued(client_as):
    fill = make_fill()
    response = client_as("pharmacist").post(
        f"/rx/{fill.prescription.rx_number}/discontinue", data={"reason": "stopped"}
    )
    assert response.status_code == 409
    body = response.get_data(as_text=True)
    assert "Original fill" in body and "still in progress" in body and "stopped" in body
    assert Prescription.get_by_id(fill.prescription_id).status == "active"


def test_only_a_pharmacist_discontinues(client_as):
    rx = _picked_up_rx()
    technician = client_as("technician")
    assert "Discontinue this prescription" not in technician.get(f"/rx/{rx.rx_number}").get_data(
        as_text=True
    )
    response = technician.post(f"/rx/{rx.rx_number}/discontinue", data={"reason": "stopped"})
    assert response.status_code == 403
    assert Prescription.get_by_id(rx.id).status == "active"


def _ssri(name):
    return make_product(
        ingredients=[make_ingredient(name=name.title())], name=name.title(), strength="20 mg"
    )


def test_the_switch_by_the_same_prescriber_is_not_screened_as_a_duplicate(client_as):
    old = _picked_up_rx(product=_ssri("sertraline"))
    new_fill = make_fill(
        product=_ssri("fluoxetine"), patient=old.patient, prescriber=old.prescriber
    )
    warned = {r.check: r for r in gather.checks_for(new_fill, new_fill.created_at.date())}
    assert warned["duplicate_therapy"].status.value == "warn"

    client_as("pharmacist").post(
        f"/rx/{old.rx_number}/discontinue", data={"reason": "switched to fluoxetine"}
    )
    found = {r.check: r for r in gather.checks_for(new_fill, new_fill.created_at.date())}
    assert found["duplicate_therapy"].status.value == "pass"
    assert "which the same prescriber discontinued" in found["duplicate_therapy"].message
