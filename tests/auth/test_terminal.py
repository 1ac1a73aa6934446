"""The counter terminal: server-side idle lock, unlock and switch by PIN, background polls."""

from datetime import timedelta

import pytest
from flask import Blueprint

from portal.audit.models import AuditEvent
from portal.auth.models import TerminalSession
from portal.auth.terminal import background_poll
from portal.foundation.access import login_required
from portal.foundation.dates import utcnow
from tests.factories import make_user


def _idle(terminal, seconds=3600):
    TerminalSession.update(last_activity=utcnow() - timedelta(seconds=seconds)).where(
        TerminalSession.id == terminal.id
    ).execute()


def _terminal(client):
    return TerminalSession.get(TerminalSession.terminal == client.terminal.terminal)


@pytest.fixture
def polled_app(app):
    demo = Blueprint("poll", __name__)

    @demo.route("/demo/counts")
    @login_required
    @background_poll
    def counts():
        return "3 waiting"

    @demo.route("/demo/plain")
    @login_required
    def plain():
        return "plain"

    app.register_blueprint(demo)
    return app


def test_a_request_after_the_idle_time_gets_the_lock_screen(client_as):
    technician = client_as("technician")
    _idle(technician.terminal)
    page = technician.get("/")
    assert page.status_code == 423
    assert b"Terminal locked" in page.data
    assert technician.user.full_name.encode() not in page.data  # nothing of the page shows
    assert _terminal(technician).locked


def test_a_post_at_a_locked_terminal_is_refused(client_as):
    admin = client_as("admin")
    _idle(admin.terminal)
    response = admin.post("/admin/pharmacy", data={"name": "Changed"})
    assert response.status_code == 423
    assert not AuditEvent.select().where(AuditEvent.entity == "pharmacy").exists()


def test_htmx_requests_at_a_locked_terminal_trigger_the_lock_overlay(client_as):
    technician = client_as("technician")
    _idle(technician.terminal)
    response = technician.get("/", headers={"HX-Request": "true"})
    assert response.status_code == 423
    assert response.headers["HX-Trigger"] == "terminal-locked"
    assert response.data == b""


def test_unlocking_with_a_pin_makes_that_person_the_acting_user(client_as):
    technician = client_as("technician")
    pharmacist = make_user(roles=("pharmacist",), full_name="Ann Pharmacist")
    _idle(technician.terminal)
    technician.get("/")
    response = technician.post(
        "/terminal/unlock", data={"pin": pharmacist.pin, "next": "/admin/staff/"}
    )
    assert response.status_code == 302
    assert response.headers["Location"] == "/admin/staff/"
    assert _terminal(technician).user_id == pharmacist.id
    assert b"Ann Pharmacist" in technician.get("/").data
    event = AuditEvent.select().where(AuditEvent.action == "unlock").get()
    assert event.user_id == pharmacist.id
    assert technician.user.full_name in event.note


def test_htmx_unlock_swaps_the_top_bar_and_keeps_the_page(client_as):
    technician = client_as("technician")
    pharmacist = make_user(roles=("pharmacist",), full_name="Ann Pharmacist")
    _idle(technician.terminal)
    response = technician.post(
        "/terminal/unlock",
        data={"pin": pharmacist.pin},
        headers={"HX-Request": "true", "HX-Current-URL": "http://localhost/"},
    )
    assert response.status_code == 200
    assert "terminal-acted" in response.headers["HX-Trigger"]
    assert b'id="acting-user"' in response.data and b'hx-swap-oob="true"' in response.data
    assert b"Ann Pharmacist" in response.data


def test_a_wrong_unlock_pin_keeps_the_terminal_locked(client_as):
    technician = client_as("technician")
    _idle(technician.terminal)
    response = technician.post("/terminal/unlock", data={"pin": "97531"})
    assert response.status_code == 423
    assert b"That PIN or badge is not right" in response.data
    assert technician.get("/").status_code == 423


def test_switch_user_by_pin_keeps_the_terminal_and_attributes_what_follows(client_as):
    technician = client_as("technician")
    pharmacist = make_user(roles=("pharmacist",))
    before = _terminal(technician)
    response = technician.post(
        "/terminal/switch", data={"pin": pharmacist.pin}, headers={"HX-Request": "true"}
    )
    assert response.status_code == 200
    after = _terminal(technician)
    assert after.id == before.id and after.user_id == pharmacist.id
    switch = AuditEvent.select().where(AuditEvent.action == "switch_user").get()
    assert switch.user_id == pharmacist.id and switch.terminal == before.terminal


def test_badge_scan_works_like_a_pin(client_as):
    from portal.auth import accounts

    technician = client_as("technician")
    pharmacist = make_user(roles=("pharmacist",))
    accounts.set_badge(pharmacist, "BADGE-0042-XK")
    technician.post("/terminal/switch", data={"pin": "BADGE-0042-XK"})
    assert _terminal(technician).user_id == pharmacist.id


def test_background_polls_do_not_count_as_activity(polled_app, client_as):
    technician = client_as("technician")
    _idle(technician.terminal, seconds=100)
    before = _terminal(technician).last_activity
    assert technician.get("/demo/counts").data == b"3 waiting"
    assert technician.get("/demo/plain", headers={"X-Background": "1"}).data == b"plain"
    assert _terminal(technician).last_activity == before
    technician.get("/demo/plain")
    assert _terminal(technician).last_activity > before


def test_background_polls_are_refused_while_locked(polled_app, client_as):
    technician = client_as("technician")
    _idle(technician.terminal)
    assert technician.get("/demo/counts").status_code == 423


def test_status_reports_seconds_left_without_counting_as_activity(client_as):
    technician = client_as("technician")
    _idle(technician.terminal, seconds=60)
    status = technician.get("/terminal/status").get_json()
    assert status["locked"] is False
    assert 230 <= status["seconds_left"] <= 240
    _idle(technician.terminal)
    assert technician.get("/terminal/status").get_json()["locked"] is True


def test_lock_button_locks_now(client_as):
    technician = client_as("technician")
    response = technician.post("/terminal/lock", headers={"HX-Request": "true"})
    assert response.status_code == 423
    assert technician.get("/").status_code == 423


def test_idle_time_comes_from_the_setting(app, client_as):
    from portal.foundation import settings
    from portal.foundation.db import write_transaction

    with write_transaction():
        settings.put("idle_lock_minutes", 2)
    technician = client_as("technician")
    _idle(technician.terminal, seconds=150)
    assert technician.get("/").status_code == 423
