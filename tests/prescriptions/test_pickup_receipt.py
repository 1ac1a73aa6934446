"""The pickup receipt: printed for the patient in the patient's language, with the drug name,
Rx number and pharmacy as recorded; only for a fill that was picked up."""

from portal.audit.models import AuditEvent
from tests.factories import advance_fill, make_fill, make_patient, make_prescription


def _picked_up(language: str = ""):
    patient = make_patient(preferred_language=language, allergy_status="nkda")
    return advance_fill(make_fill(make_prescription(patient=patient)), "picked_up")


def test_a_spanish_speaking_patients_receipt_is_in_spanish(client_as):
    fill = _picked_up("Spanish")
    page = client_as("technician").get(f"/fills/{fill.id}/receipt").text
    assert '<html lang="es">' in page
    assert "Comprobante de entrega" in page and "Fecha de entrega" in page
    assert "Llame a la farmacia al" in page and "cápsulas" in page
    assert fill.prescription.product.description in page  # the drug name unchanged
    assert f"{fill.prescription.rx_number}-0" in page
    assert "Pickup receipt" not in page
    assert AuditEvent.select().where(AuditEvent.note == "pickup receipt printed").count() == 1


def test_an_english_receipt_and_none_before_pickup(client_as):
    technician = client_as("technician")
    page = technician.get(f"/fills/{_picked_up().id}/receipt").text
    assert '<html lang="en">' in page and "Pickup receipt" in page
    waiting = advance_fill(make_fill(), "ready")
    response = technician.get(f"/fills/{waiting.id}/receipt")
    assert response.status_code == 302
    assert "has not been picked up" in technician.get(response.location).text
