"""The counter terminal in a real browser: idle lock over a half-filled form, unlock by a
pharmacist's PIN, the page and typed values intact, the next change the pharmacist's."""

import pytest
from flask import Blueprint, flash, redirect, render_template_string, request
from playwright.sync_api import expect

from portal.audit import log as audit
from portal.audit.models import AuditEvent
from portal.foundation.access import roles_required
from portal.foundation.db import write_transaction
from tests.e2e.conftest import screenshot
from tests.e2e.helpers import sign_in
from tests.factories import make_pharmacy, make_user

# A stand-in for any area's form (a counter note about a patient), so this test depends
# on nothing but the terminal itself.
NOTE_PAGE = """{% extends "base.html" %}
{% block title %}Counter note{% endblock %}
{% block content %}
<section class="card wide">
  <h1>Counter note</h1>
  <form method="post">
    <input type="hidden" name="csrf_token" value="{{ csrf_token() }}">
    <div class="field"><label for="patient">Patient</label>
      <input id="patient" name="patient"></div>
    <div class="field"><label for="note">Note</label>
      <textarea id="note" name="note"></textarea></div>
    <button class="button primary" type="submit">Save note</button>
  </form>
</section>
{% endblock %}"""


@pytest.fixture
def counter(live_server):
    notes = Blueprint("notes", __name__)

    @notes.route("/demo/note", methods=["GET", "POST"])
    @roles_required("technician", "pharmacist")
    def note():
        if request.method == "POST":
            with write_transaction():
                audit.record(
                    "create",
                    "counter_note",
                    1,
                    after={"patient": request.form["patient"], "note": request.form["note"]},
                )
            flash("Note saved.", "success")
            return redirect("/demo/note")
        return render_template_string(NOTE_PAGE)

    make_pharmacy()
    live_server.app.register_blueprint(notes)
    live_server.app.config["IDLE_LOCK_SECONDS"] = 4
    return live_server


def test_idle_lock_keeps_the_form_and_the_unlocker_saves_it(page, counter):
    technician = make_user(roles=("technician",), full_name="Tess Tech")
    pharmacist = make_user(roles=("pharmacist",), full_name="Phil Pharmacist", pin="482915")
    sign_in(page, counter, technician)
    page.goto(counter.url + "/demo/note")
    page.get_by_label("Patient", exact=True).fill("Rivera, Ana")
    page.get_by_label("Note").fill("Asked about the cream's beyond-use date")

    lock = page.locator("#lock-dialog")
    lock.wait_for(state="visible", timeout=15_000)  # 4 idle seconds, then the lock screen
    assert page.locator("#lock-dialog h2").inner_text() == "Terminal locked"
    screenshot(page, "terminal-locked")

    page.locator("#unlock-pin").fill("000000")
    page.get_by_role("button", name="Unlock").click()
    page.get_by_text("That PIN or badge is not right").wait_for()
    expect(lock).to_be_visible()
    screenshot(page, "terminal-locked-wrong-pin")

    page.locator("#unlock-pin").fill(pharmacist.pin)
    page.get_by_role("button", name="Unlock").click()
    lock.wait_for(state="hidden")
    assert page.locator(".acting-name").inner_text() == "Phil Pharmacist"
    assert page.url.endswith("/demo/note")
    expect(page.get_by_label("Patient", exact=True)).to_have_value("Rivera, Ana")
    expect(page.get_by_label("Note")).to_have_value("Asked about the cream's beyond-use date")
    screenshot(page, "terminal-unlocked-form-kept")

    page.get_by_role("button", name="Save note").click()
    page.get_by_text("Note saved.").wait_for()
    saved = AuditEvent.select().where(AuditEvent.entity == "counter_note").get()
    assert saved.user_id == pharmacist.id
    assert saved.actor == "Phil Pharmacist"
    unlock = AuditEvent.select().where(AuditEvent.action == "unlock").get()
    assert unlock.user_id == pharmacist.id and "Tess Tech" in unlock.note
    assert saved.terminal == unlock.terminal


def test_opening_a_page_at_a_locked_terminal_shows_the_lock_page_then_the_page(page, counter):
    technician = make_user(roles=("technician",), full_name="Tess Tech")
    sign_in(page, counter, technician)
    page.goto(counter.url + "/demo/note")
    page.locator("#lock-dialog").wait_for(state="visible", timeout=15_000)
    other = page.context.new_page()  # a second tab at the same terminal
    other.goto(counter.url + "/demo/note?from=tab")
    expect(other.get_by_role("heading", name="Terminal locked")).to_be_visible()
    assert other.locator(".acting-name").count() == 0  # nobody's name or menu while locked
    screenshot(other, "terminal-locked-page")
    other.locator("#unlock-pin").fill(technician.pin)
    other.get_by_role("button", name="Unlock").click()
    other.get_by_role("heading", name="Counter note").wait_for()  # same URL, now the page
    assert other.url.endswith("/demo/note?from=tab")


def test_switch_user_with_f2_keeps_the_page(page, counter):
    technician = make_user(roles=("technician",), full_name="Tess Tech")
    pharmacist = make_user(roles=("pharmacist",), full_name="Phil Pharmacist", pin="482915")
    counter.app.config["IDLE_LOCK_SECONDS"] = 300
    sign_in(page, counter, technician)
    page.goto(counter.url + "/demo/note")
    page.get_by_label("Note").fill("Half typed")
    page.keyboard.press("F2")
    dialog = page.locator("#switch-dialog")
    dialog.wait_for(state="visible")
    screenshot(page, "terminal-switch-user")
    page.locator("#switch-pin").fill(pharmacist.pin)
    page.locator("#switch-pin").press("Enter")  # a badge scanner types the code and Enter
    dialog.wait_for(state="hidden")
    assert page.locator(".acting-name").inner_text() == "Phil Pharmacist"
    expect(page.get_by_label("Note")).to_have_value("Half typed")
    page.get_by_role("button", name="Save note").click()
    page.get_by_text("Note saved.").wait_for()
    saved = AuditEvent.select().where(AuditEvent.entity == "counter_note").get()
    assert saved.user_id == pharmacist.id


def test_typing_keeps_the_terminal_awake(page, counter):
    technician = make_user(roles=("technician",), full_name="Tess Tech")
    sign_in(page, counter, technician)
    page.goto(counter.url + "/demo/note")
    box = page.get_by_label("Note")
    for _ in range(12):  # about 6 seconds of typing with no request of its own
        box.type("ab", delay=250)
    expect(page.locator("#lock-dialog")).to_be_hidden()
    response = page.request.get(counter.url + "/demo/note")
    assert response.status == 200


def test_the_terminal_runs_under_the_content_security_policy(page, counter):
    """No inline script, no eval, no injected style: the CSP blocks none of what runs.
    (No screenshots here: Playwright's own caret-hiding style would be reported.)"""
    refused = []
    page.add_init_script(
        "document.addEventListener('securitypolicyviolation', e => "
        "console.log('CSP refused', e.violatedDirective, e.sourceFile))"
    )
    page.on(
        "console",
        lambda message: refused.append(message.text) if "CSP refused" in message.text else None,
    )
    technician = make_user(roles=("technician",), full_name="Tess Tech")
    pharmacist = make_user(roles=("pharmacist",), full_name="Phil Pharmacist", pin="482915")
    sign_in(page, counter, technician)
    page.goto(counter.url + "/demo/note")
    page.locator("#lock-dialog").wait_for(state="visible", timeout=15_000)
    page.locator("#unlock-pin").fill("000000")
    page.get_by_role("button", name="Unlock").click()
    page.get_by_text("That PIN or badge is not right").wait_for()
    page.locator("#unlock-pin").fill(pharmacist.pin)
    page.get_by_role("button", name="Unlock").click()
    page.locator("#lock-dialog").wait_for(state="hidden")
    page.keyboard.press("F2")
    page.locator("#switch-pin").fill(technician.pin)
    page.locator("#switch-pin").press("Enter")
    page.locator("#switch-dialog").wait_for(state="hidden")
    assert page.locator(".acting-name").inner_text() == "Tess Tech"
    assert refused == []
