"""Prescriber clarification (hold, PDF, answer, resume), "is it ready?", refills, and who may
open which prescriptions page."""

import io

import pytest
from pypdf import PdfReader

from portal.audit.models import AuditEvent
from portal.auth.models import ROLES
from portal.prescriptions.fills.models import Clarification, Fill
from tests.factories import (
    advance_fill,
    make_fill,
    make_patient,
    make_prescription,
    make_user,
)

QUESTION = "Directions say 1 cap tid x10d but quantity is 20: which is intended?"


def test_clarification_holds_the_fill_prints_and_resumes_on_the_answer(client_as):
    fill = make_fill()
    technician = client_as("technician")
    response = technician.post(f"/fills/{fill.id}/clarify", data={"question": QUESTION})
    assert response.status_code == 302
    stored = Fill.get_by_id(fill.id)
    assert (stored.status, stored.held_from) == ("on_hold", "data_verify")
    assert QUESTION in stored.hold_reason
    clarification = Clarification.get()

    pdf = technician.get(f"/clarifications/{clarification.id}/request.pdf")
    assert pdf.headers["Content-Type"] == "application/pdf"
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.data)).pages)
    for expected in (
        "Prescription clarification request",
        f"Rx {fill.prescription.rx_number}",
        fill.patient.full_name,
        "Prescriber's answer",
        "Elm Street Compounding Pharmacy",
    ):
        assert expected.lower() in text.lower(), expected
    assert "1 cap po tid x10d" in text
    assert AuditEvent.select().where(AuditEvent.action == "print").count() == 1

    answered = technician.post(
        f"/clarifications/{clarification.id}",
        data={
            "answer": "30 capsules intended",
            "answered_by_name": "Dr. Whitfield (by phone)",
            "resume": "y",
        },
    )
    assert answered.status_code == 302
    clarification = Clarification.get_by_id(clarification.id)
    assert clarification.answered_by_name == "Dr. Whitfield (by phone)"
    assert clarification.answer_recorded_by_id == technician.user.id
    assert Fill.get_by_id(fill.id).status == "data_verify"


def test_an_answer_needs_who_gave_it(client_as):
    fill = make_fill()
    technician = client_as("technician")
    technician.post(f"/fills/{fill.id}/clarify", data={"question": QUESTION})
    clarification = Clarification.get()
    response = technician.post(
        f"/clarifications/{clarification.id}", data={"answer": "30", "resume": "y"}
    )
    assert "Who gave the answer" in response.text
    assert Fill.get_by_id(fill.id).status == "on_hold"


def test_is_it_ready_shows_each_open_fill_in_plain_words(client_as):
    patient = make_patient(last_name="Moreau", first_name="Anaïs")
    ready = advance_fill(make_fill(make_prescription(patient=patient)), "ready")
    checking = make_fill(make_prescription(patient=patient))
    advance_fill(make_fill(make_prescription(patient=patient)), "picked_up")
    clerk = client_as("manager")
    page = clerk.get(f"/ready?last_name=moreau&date_of_birth={patient.date_of_birth:%m/%d/%Y}")
    assert "Ready for pickup" in page.text and "Being checked by the pharmacist" in page.text
    assert f"{ready.prescription.rx_number}-0" in page.text
    assert f"{checking.prescription.rx_number}-0" in page.text
    assert page.text.count("Picked up") == 0
    wrong = clerk.get("/ready?last_name=moreau&date_of_birth=01/01/1999")
    assert "No patient with that name and date of birth" in wrong.text
    missing = clerk.get("/ready?last_name=moreau")
    assert "Enter the date of birth" in missing.text


def test_refill_page_says_why_not_when_none_remain(client_as):
    rx = make_prescription(refills_authorized=0)
    advance_fill(make_fill(rx), "picked_up")
    technician = client_as("technician")
    page = technician.get(f"/rx/{rx.rx_number}/refill")
    assert "cannot be refilled" in page.text and "No refills remain" in page.text
    response = technician.post(
        f"/rx/{rx.rx_number}/refill", data={"quantity": "30", "days_supply": "10"}
    )
    assert response.status_code == 409
    assert Fill.select().where(Fill.prescription == rx).count() == 1


def test_refill_page_makes_the_next_fill(client_as):
    rx = make_prescription(refills_authorized=2)
    advance_fill(make_fill(rx), "picked_up")
    technician = client_as("technician")
    response = technician.post(
        f"/rx/{rx.rx_number}/refill",
        data={"quantity": "30", "days_supply": "10", "priority": "waiting"},
    )
    assert response.status_code == 302
    refill = Fill.get((Fill.prescription == rx) & (Fill.fill_number == 1))
    assert (refill.status, refill.priority, refill.refills_remaining) == (
        "data_verify",
        "waiting",
        1,
    )


def _prescription_routes(app):
    return [r for r in app.url_map.iter_rules() if r.endpoint.startswith("prescriptions.")]


def test_every_prescriptions_route_declares_who_may_use_it(app):
    for rule in _prescription_routes(app):
        view = app.view_functions[rule.endpoint]
        assert hasattr(view, "roles_allowed"), rule.endpoint


@pytest.mark.parametrize("role", ROLES)
def test_each_role_reaches_only_its_prescriptions_pages(app, client_as, role):
    fill = make_fill()
    technician = make_user(roles=("technician",))
    fill.move_to("on_hold", technician, "waiting for insurance")
    from portal.prescriptions.fills.models import Clarification as Model

    clarification = Model.create(
        prescription=fill.prescription, fill=fill, question="?", asked_by=technician
    )
    ids = {
        "fill_id": fill.id,
        "rx_number": fill.prescription.rx_number,
        "clarification_id": clarification.id,
        "image_id": 1,
    }
    client = client_as(role)
    for rule in _prescription_routes(app):
        if "GET" not in rule.methods or rule.endpoint == "prescriptions.image":
            continue
        url = rule.build({name: ids[name] for name in rule.arguments})[1]
        status = client.get(url).status_code
        allowed = app.view_functions[rule.endpoint].roles_allowed
        if allowed is None or role in allowed:
            assert status in (200, 302), (role, url, status)
        else:
            assert status == 403, (role, url, status)
