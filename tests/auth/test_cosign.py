"""Co-sign: a technician's action approved by a pharmacist's (or a manager's) PIN, recorded as
the signer's, at the technician's terminal."""

import pytest
from flask import Blueprint, g, render_template_string

from portal.audit import log as audit
from portal.audit.models import AuditEvent
from portal.auth import cosign
from portal.foundation.access import roles_required
from portal.foundation.db import write_transaction
from tests.factories import make_user

PAGE = """<form method="post">{% include "auth/_cosign.html" %}<button>Verify</button></form>
{{ done }}"""


@pytest.fixture
def verify_app(app):
    """An app with a demo 'verify' action that needs a pharmacist."""
    demo = Blueprint("demo", __name__)

    @demo.route("/demo/verify/<int:fill_id>", methods=["GET", "POST"])
    @roles_required("technician", "pharmacist")
    def verify(fill_id):
        done = ""
        from flask import request

        if request.method == "POST":
            signoff = cosign.require_pharmacist()
            if signoff:
                with write_transaction(), signoff:
                    audit.record("verify", "fill", fill_id, patient_id=7)
                    done = f"verified by {g.user.full_name}"
        return render_template_string(PAGE, done=done)

    @demo.route("/demo/write-off/<int:claim_id>", methods=["POST"])
    @roles_required("technician", "manager")
    def write_off(claim_id):
        done = ""
        signoff = cosign.require_role("manager")
        if signoff:
            with write_transaction(), signoff:
                audit.record("transition", "claim", claim_id, patient_id=7)
                done = f"written off by {g.user.full_name}"
        return render_template_string(PAGE, done=done)

    app.register_blueprint(demo)
    return app


def _last_event():
    return AuditEvent.select().order_by(AuditEvent.id.desc()).first()


def test_technician_is_asked_for_a_pharmacist_pin(verify_app, client_as):
    technician = client_as("technician")
    page = technician.post("/demo/verify/3")
    assert b"Pharmacist approval needed" in page.data
    assert b'name="cosign_pin"' in page.data
    assert not AuditEvent.select().where(AuditEvent.action == "verify").exists()


def test_pharmacist_pin_records_the_action_as_the_pharmacists(verify_app, client_as):
    technician = client_as("technician")
    pharmacist = make_user(roles=("pharmacist",), full_name="Ann Pharmacist")
    page = technician.post("/demo/verify/3", data={"cosign_pin": pharmacist.pin})
    assert b"verified by Ann Pharmacist" in page.data
    event = _last_event()
    assert event.action == "verify"
    assert event.user_id == pharmacist.id
    assert event.terminal == technician.terminal.terminal
    assert "co-signed by Ann Pharmacist" in event.note
    assert technician.user.full_name in event.note


def test_the_terminal_still_acts_as_the_technician_after_a_cosign(verify_app, client_as):
    technician = client_as("technician")
    pharmacist = make_user(roles=("pharmacist",))
    technician.post("/demo/verify/3", data={"cosign_pin": pharmacist.pin})
    home = technician.get("/")
    assert technician.user.full_name.encode() in home.data


def test_a_technicians_pin_cannot_cosign(verify_app, client_as):
    technician = client_as("technician")
    other = make_user(roles=("technician",), full_name="Tom Other")
    page = technician.post("/demo/verify/3", data={"cosign_pin": other.pin})
    assert b"Tom Other, who is not a pharmacist" in page.data
    assert not AuditEvent.select().where(AuditEvent.action == "verify").exists()


def test_a_wrong_cosign_pin_is_refused_and_counted(verify_app, client_as):
    technician = client_as("technician")
    page = technician.post("/demo/verify/3", data={"cosign_pin": "13579"})
    assert b"That PIN or badge is not right" in page.data
    assert AuditEvent.select().where(AuditEvent.action == "pin_failed").count() == 1


def test_a_pharmacist_acting_needs_no_pin(verify_app, client_as):
    pharmacist = client_as("pharmacist")
    page = pharmacist.post("/demo/verify/3")
    assert b"verified by" in page.data
    event = _last_event()
    assert event.user_id == pharmacist.user.id and event.note == ""


def test_a_managers_decision_asks_for_a_manager_in_words(verify_app, client_as):
    technician = client_as("technician")
    page = technician.post("/demo/write-off/3").get_data(as_text=True)
    assert "Manager approval needed" in page and "Manager's PIN or badge" in page
    assert "A manager enters their PIN" in page and "Pharmacist" not in page


def test_a_pharmacists_pin_cannot_sign_for_a_manager(verify_app, client_as):
    technician = client_as("technician")
    pharmacist = make_user(roles=("pharmacist",), full_name="Ann Pharmacist")
    page = technician.post("/demo/write-off/3", data={"cosign_pin": pharmacist.pin})
    assert b"Ann Pharmacist, who is not a manager" in page.data
    assert not AuditEvent.select().where(AuditEvent.action == "transition").exists()


def test_a_managers_pin_signs_for_the_manager(verify_app, client_as):
    technician = client_as("technician")
    manager = make_user(roles=("manager",), full_name="Mo Manager")
    page = technician.post("/demo/write-off/3", data={"cosign_pin": manager.pin})
    assert b"written off by Mo Manager" in page.data
    event = _last_event()
    assert event.user_id == manager.id and "co-signed by Mo Manager" in event.note
