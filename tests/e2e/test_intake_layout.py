"""New Rx at the counter screen (1366 × 768): Send is in view from the start (a sticky
action bar over a compact form), and still in view after a refused send with its messages."""

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import ARTIFACTS, screenshot
from tests.e2e.helpers import axe_violations
from tests.factories import DEFAULT_PASSWORD, make_pharmacy, make_user


@pytest.fixture
def counter(browser):
    context = browser.new_context(viewport={"width": 1366, "height": 768})
    context.set_default_timeout(20_000)
    yield context.new_page()
    context.close()


def test_send_is_in_view_on_the_counter_screen(counter, live_server):
    make_pharmacy()
    technician = make_user(roles=("technician",))
    counter.goto(f"{live_server.url}/login")
    counter.get_by_label("Username").fill(technician.username)
    counter.get_by_label("Password").fill(DEFAULT_PASSWORD)
    counter.get_by_role("button", name="Sign in").click()
    counter.wait_for_url(f"{live_server.url}/")
    counter.goto(f"{live_server.url}/prescriptions/new")
    send = counter.get_by_role("button", name="Send to pharmacist")
    expect(send).to_be_in_viewport()
    height = counter.evaluate("() => document.querySelector('.intake').offsetHeight")
    print(f"\nNew Rx form: {height} px tall at 1366 x 768")
    counter.screenshot(path=str(ARTIFACTS / "intake-counter-screen.png"))

    counter.get_by_label("Directions (sig codes)").fill("1 tab po qd")
    send.click()
    expect(counter.locator(".field-error").first).to_be_visible()
    expect(send).to_be_in_viewport()
    screenshot(counter, "intake-counter-screen-errors")
    assert axe_violations(counter) == []
