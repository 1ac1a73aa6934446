"""PIN limits in a real browser: the switch-user dialog shows the per-address limit's
refusal (HTTP 429, with until when) instead of dropping it, and an administrator sees and
lifts a PIN-entry lock."""

from datetime import timedelta

import pytest

from portal.auth.models import User
from portal.foundation import settings
from portal.foundation.dates import utcnow
from portal.foundation.db import write_transaction
from tests.e2e.conftest import screenshot
from tests.e2e.helpers import sign_in
from tests.factories import make_pharmacy, make_user


@pytest.fixture
def make_app(make_app):
    """The live server's app with the rate limits on: 3 PIN entries a minute."""

    def build(**config):
        return make_app(RATELIMIT_ENABLED=True, LOGIN_RATE_LIMIT="3 per minute", **config)

    return build


def test_the_switch_dialog_shows_why_it_refuses_a_pin(page, live_server):
    make_pharmacy()
    technician = make_user(roles=("technician",), full_name="Tess Tech")
    pharmacist = make_user(roles=("pharmacist",), full_name="Phil Pharmacist", pin="482915")
    sign_in(page, live_server, technician)
    dialog = page.locator("#switch-dialog")

    assert _switch(page, pharmacist.pin) == 200
    dialog.wait_for(state="hidden")  # a right PIN: switched, and not counted
    # the fresh form and the top bar arrive after the dialog closes: wait for them
    page.locator("#acting-user").get_by_text("Phil Pharmacist").wait_for()

    for guess in ("111973", "222973", "333973"):
        assert _switch(page, guess) == 200
        page.get_by_text("That PIN or badge is not right").wait_for()
        page.get_by_role("button", name="Cancel").click()

    assert _switch(page, pharmacist.pin) == 429
    page.get_by_text("Too many PIN attempts from this computer. Try again after").wait_for()
    assert dialog.is_visible()
    screenshot(page, "switch-dialog-too-many-attempts")


def _switch(page, pin) -> int:
    """Press F2, type the PIN, press Switch; the HTTP status of the answer."""
    page.keyboard.press("F2")
    page.locator("#switch-pin").fill(pin)
    with page.expect_response(lambda response: "/terminal/switch" in response.url) as answer:
        page.get_by_role("button", name="Switch").click()
    return answer.value.status


def test_an_administrator_sees_and_lifts_a_pin_entry_lock(page, live_server):
    make_pharmacy()
    admin = make_user(roles=("admin",), full_name="Ada Admin")
    guesser = make_user(roles=("technician",), full_name="Gus Guesser")
    User.update(pin_entry_locked_until=utcnow() + timedelta(minutes=15)).where(
        User.id == guesser.id
    ).execute()
    sign_in(page, live_server, admin)
    page.goto(f"{live_server.url}/admin/staff/{guesser.id}")
    page.get_by_text("PIN entry locked until").first.wait_for()
    screenshot(page, "staff-pin-entry-locked")
    page.get_by_role("button", name="Unlock now").click()
    page.get_by_text("Gus Guesser can sign in and use their PIN again.").wait_for()
    assert User.get_by_id(guesser.id).pin_entry_locked_until is None


def test_the_switch_dialog_says_pin_entry_is_locked_before_anyone_types(page, live_server):
    make_pharmacy()
    technician = make_user(roles=("technician",), full_name="Tess Tech")
    with write_transaction():
        settings.put("pin_max_failures", 3)  # the fewest allowed, within the rate limit here
    sign_in(page, live_server, technician)
    for guess in ("111974", "222974", "333974"):
        _switch(page, guess)
        page.get_by_role("button", name="Cancel").click()
    page.reload()
    page.keyboard.press("F2")
    page.locator("#switch-dialog").get_by_text(
        "PIN and badge entry at this terminal is locked until"
    ).wait_for()
    screenshot(page, "switch-dialog-pin-entry-locked")
