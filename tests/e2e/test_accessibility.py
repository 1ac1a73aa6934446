"""Every page each role reaches passes every axe-core rule (critical, serious, moderate and
minor alike): the demo pharmacy walked as its technician, pharmacist, manager and admin
(the walk of tests/walk.py), the sign-in page before anyone signs in, and on a phone (390 px)
the sign-in page, "Is it ready?" and the queue, which must fit its width.

axe-core is vendored in tests/e2e/axe/ (npm package axe-core, version in axe.min.js's first
line, Mozilla Public License 2.0 in LICENSE beside it); it runs in the page, never in the app.
"""

import pytest
from playwright.sync_api import expect

from portal.auth.models import User
from portal.patients.demo import DEMO_PASSWORD
from tests.e2e.conftest import screenshot
from tests.e2e.helpers import axe_violations
from tests.factories import sign_in as sign_in_client
from tests.walk import shape, walk


@pytest.fixture
def demo(live_server):
    result = live_server.app.test_cli_runner().invoke(args=["demo", "load"])
    assert result.exit_code == 0, result.output
    return live_server


@pytest.fixture
def axe_page(browser):
    context = browser.new_context(viewport={"width": 1366, "height": 768})
    context.set_default_timeout(20_000)
    yield context.new_page()
    context.close()


def violations(page, url: str) -> list[str]:
    page.goto(url)
    # htmx sends a page's load-time requests before the load event; wait until they are in.
    page.wait_for_function("() => !document.querySelector('.htmx-request')")
    return axe_violations(page)


ROLES = ["tina", "paul", "maria", "adam"]


def _kinds_left_for(demo, username: str) -> list[str]:
    """The pages of this role's walk whose kind no role before it has already checked: the
    same page seen by two roles differs only in its menu, which each role's start page shows."""
    done = set()
    for earlier in ROLES[: ROLES.index(username)]:
        client = demo.app.test_client()
        sign_in_client(client, User.get(User.username == earlier))
        done |= {shape(path) for path in walk(client)[0]}
    client = demo.app.test_client()
    sign_in_client(client, User.get(User.username == username))
    pages = walk(client)[0]
    assert len(pages) > 10, pages
    return [path for path in pages if path == "/" or shape(path) not in done]


def test_sign_in_page_passes_axe(axe_page, demo):
    assert violations(axe_page, f"{demo.url}/login") == []


@pytest.mark.parametrize("username", ROLES)
def test_every_page_a_role_reaches_passes_axe(axe_page, demo, username):
    pages = _kinds_left_for(demo, username)
    axe_page.goto(f"{demo.url}/login")
    axe_page.get_by_label("Username").fill(username)
    axe_page.get_by_label("Password").fill(DEMO_PASSWORD)
    axe_page.get_by_role("button", name="Sign in").click()
    axe_page.wait_for_url(f"{demo.url}/")
    found = []
    for path in pages:
        found += violations(axe_page, demo.url + path)
    print(f"\naxe: {username}: {len(pages)} pages, {len(found)} violations")
    assert found == [], "\n".join(found)


@pytest.fixture
def phone(browser):
    context = browser.new_context(viewport={"width": 390, "height": 844})
    context.set_default_timeout(20_000)
    yield context.new_page()
    context.close()


def _fits(page) -> None:
    """Nothing is wider than the phone: no sideways scrolling of the page itself."""
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 390


def test_sign_in_ready_and_queue_work_on_a_phone(phone, demo):
    assert violations(phone, f"{demo.url}/login") == []
    _fits(phone)
    screenshot(phone, "phone-sign-in")
    phone.get_by_label("Username").fill("tina")
    phone.get_by_label("Password").fill(DEMO_PASSWORD)
    phone.get_by_role("button", name="Sign in").click()
    phone.wait_for_url(f"{demo.url}/")
    for name, path in (("ready", "/ready"), ("queue", "/queue")):
        assert violations(phone, demo.url + path) == []
        _fits(phone)
        screenshot(phone, f"phone-{name}")
    expect(phone.get_by_label("Scan a label or type an Rx number")).to_be_visible()
    expect(phone.get_by_role("button", name="Sign out")).to_be_in_viewport()
