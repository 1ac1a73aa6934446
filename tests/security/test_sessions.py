"""A PIN or password change ends that person's other sessions (issue 17)."""

from portal.audit.models import AuditEvent
from portal.auth.models import TerminalSession
from tests.factories import DEFAULT_PASSWORD, sign_in

NEW_PASSWORD = "amber lantern quietly folds"


def _terminal(client):
    return TerminalSession.get(TerminalSession.terminal == client.terminal.terminal)


def _second_terminal(app, user):
    client = app.test_client()
    client.terminal = sign_in(client, user)
    return client


def test_changing_ones_own_password_signs_out_ones_other_terminals(app, client_as):
    technician = client_as("technician")
    elsewhere = _second_terminal(app, technician.user)
    response = technician.post(
        "/account/password",
        data={
            "password-current_password": DEFAULT_PASSWORD,
            "password-password": NEW_PASSWORD,
            "password-confirm": NEW_PASSWORD,
        },
    )
    assert response.status_code == 302
    assert _terminal(elsewhere).ended_at is not None
    assert elsewhere.get("/").status_code == 302  # back to sign-in
    assert _terminal(technician).ended_at is None  # the terminal it was changed at stays
    assert technician.get("/").status_code == 200
    event = AuditEvent.select().where(AuditEvent.action == "end_sessions").get()
    assert "password changed: 1 other terminal(s) signed out" in event.note


def test_changing_ones_own_pin_locks_a_terminal_where_one_acts_by_pin(app, client_as):
    pharmacist = client_as("pharmacist")
    counter = client_as("technician")
    switched = counter.post("/terminal/switch", data={"pin": pharmacist.user.pin})
    assert switched.status_code == 302
    response = pharmacist.post(
        "/account/pin",
        data={
            "pin-current_password": DEFAULT_PASSWORD,
            "pin-pin": "582913",
            "pin-confirm_pin": "582913",
        },
    )
    assert response.status_code == 302
    shared = _terminal(counter)
    assert shared.locked and shared.ended_at is None  # the technician's own sign-in stays
    assert counter.get("/").status_code == 423  # but the old PIN's holder must unlock again


def test_an_administrators_reset_ends_every_session_of_that_person(app, client_as):
    admin = client_as("admin")
    technician = client_as("technician")
    elsewhere = _second_terminal(app, technician.user)
    response = admin.post(
        f"/admin/staff/{technician.user.id}/password",
        data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD},
    )
    assert response.status_code == 302
    assert _terminal(technician).ended_at is not None
    assert _terminal(elsewhere).ended_at is not None
    assert _terminal(admin).ended_at is None


def test_an_administrators_pin_reset_ends_that_persons_sessions(app, client_as):
    admin = client_as("admin")
    technician = client_as("technician")
    response = admin.post(
        f"/admin/staff/{technician.user.id}/pin", data={"pin": "739164", "confirm_pin": "739164"}
    )
    assert response.status_code == 302
    assert _terminal(technician).ended_at is not None
