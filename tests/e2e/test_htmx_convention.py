"""The one htmx convention (README, architecture notes), checked in a real browser on the
counter's htmx requests: queue tabs and filter, the prescriber and patient lookups, the
switch-user PIN form. Each request is held or failed by the browser (Playwright routes):
slow ones show "Working…", failed ones a message in place (500, 423, 429, no network), and
the tabs keep working however often they are used."""

import re
import time

from playwright.sync_api import expect

from tests.e2e.conftest import screenshot
from tests.e2e.helpers import sign_in
from tests.factories import advance_fill, make_fill, make_patient, make_pharmacy, make_user


def _queue_setup():
    make_pharmacy()
    technician = make_user(roles=("technician",), full_name="Tess Nguyen")
    pharmacist = make_user(roles=("pharmacist",))
    waiting = make_fill(patient=make_patient(last_name="Okafor", first_name="Grace"))
    ready = advance_fill(
        make_fill(patient=make_patient(last_name="Brown", first_name="Lee")),
        "ready",
        pharmacist=pharmacist,
        technician=technician,
    )
    return technician, waiting, ready


def _answer(status):
    """A route handler that answers with status and an empty body."""
    return lambda route: route.fulfill(status=status, body="")


def _held(page, pattern):
    """Hold every request matching pattern until the test lets it go (returns the list)."""
    held = []
    page.route(pattern, lambda route: held.append(route))
    return held


def test_queue_tabs_and_filter_work_every_time(live_server, page):
    technician, waiting, ready = _queue_setup()
    sign_in(page, live_server, technician)
    page.goto(f"{live_server.url}/queue?state=data_verify")
    tabs = page.get_by_role("navigation", name="Queues")
    queue = page.locator("#queue")
    for label, rx in (("Ready", ready), ("Data verification", waiting), ("Ready", ready)):
        tabs.get_by_role("link", name=re.compile(label)).click()
        expect(queue.locator("tbody")).to_contain_text(f"{rx.prescription.rx_number}-0")
        # Focus stays on the tabs (the clicked one, now current), not lost to <body>.
        expect(page.locator(":focus")).to_have_attribute("aria-current", "page")
    expect(page.locator("#queue")).to_have_count(1)
    page.get_by_label("Patient", exact=True).fill("brown")
    page.get_by_label("Patient", exact=True).press("Enter")
    expect(queue).to_contain_text("Showing fills for Brown, Lee")
    tabs.get_by_role("link", name=re.compile("Data verification")).click()
    expect(queue).to_contain_text("Showing fills for Brown, Lee")
    expect(page).to_have_url(re.compile(r"state=data_verify"))


def test_tab_clicks_count_as_activity(live_server, page):
    technician, _waiting, _ready = _queue_setup()
    sign_in(page, live_server, technician)
    page.goto(f"{live_server.url}/queue?state=data_verify")
    with page.expect_request(re.compile(r"/queue\?state=ready")) as tab_request:
        page.get_by_role("navigation", name="Queues").get_by_role(
            "link", name=re.compile("Ready")
        ).click()
    headers = tab_request.value.headers
    assert "x-background" not in headers and headers.get("hx-target") == "queue"
    # The 30 s poller is beside the tabs, so no tab inherits its swap or its header.
    inherited = page.evaluate(
        """() => [...document.querySelectorAll('.queue-tab')].filter(tab =>
             tab.parentElement.closest(
               '[hx-swap="outerHTML"], [hx-headers*="X-Background"]')).length"""
    )
    assert inherited == 0


def test_a_slow_tab_shows_working_and_marks_the_region_busy(live_server, page):
    technician, _waiting, ready = _queue_setup()
    sign_in(page, live_server, technician)
    page.goto(f"{live_server.url}/queue?state=data_verify")
    held = _held(page, re.compile(r"/queue\?state=ready"))
    page.get_by_role("navigation", name="Queues").get_by_role(
        "link", name=re.compile("Ready")
    ).click()
    indicator = page.locator("#request-indicator")
    expect(page.locator("#queue")).to_have_attribute("aria-busy", "true")
    page.wait_for_timeout(450)  # past the 300 ms threshold
    expect(indicator).to_be_visible()
    screenshot(page, "htmx-slow-tab")
    assert held, "the tab's request was not made"
    held[0].continue_()
    page.unroute(re.compile(r"/queue\?state=ready"))
    expect(page.locator("#queue tbody")).to_contain_text(f"{ready.prescription.rx_number}-0")
    expect(indicator).to_be_hidden()
    expect(page.locator("#queue")).not_to_have_attribute("aria-busy", "true")


def test_failed_tab_says_so_in_place_and_keeps_the_rows(live_server, page):
    technician, waiting, _ready = _queue_setup()
    sign_in(page, live_server, technician)
    page.goto(f"{live_server.url}/queue?state=data_verify")
    tabs = page.get_by_role("navigation", name="Queues")
    page.route(
        re.compile(r"/queue\?state=ready"), lambda route: route.fulfill(status=500, body="boom")
    )
    tabs.get_by_role("link", name=re.compile("Ready")).click()
    alert = page.locator("[data-request-error]")
    expect(alert).to_contain_text("error 500")
    expect(page.locator("#queue tbody")).to_contain_text(f"{waiting.prescription.rx_number}-0")
    screenshot(page, "htmx-failed-tab")
    # The network gone: a different message, still in place; the next success clears it.
    page.unroute(re.compile(r"/queue\?state=ready"))
    page.route(re.compile(r"/queue\?state=ready"), lambda route: route.abort())
    tabs.get_by_role("link", name=re.compile("Ready")).click()
    expect(alert).to_contain_text("could not be reached")
    page.unroute(re.compile(r"/queue\?state=ready"))
    tabs.get_by_role("link", name=re.compile("Ready")).click()
    expect(alert).to_have_count(0)


def test_failed_prescriber_lookup_shows_a_message_not_an_empty_list(live_server, page):
    technician, _waiting, _ready = _queue_setup()
    sign_in(page, live_server, technician)
    page.goto(f"{live_server.url}/prescriptions/new")
    page.route(re.compile(r"/prescribers/lookup"), lambda route: route.fulfill(status=500, body=""))
    lookup = page.get_by_label("Find the prescriber")
    lookup.fill("whit")
    lookup.press("Enter")
    alert = page.locator("[data-request-error]")
    expect(alert).to_contain_text("error 500")
    screenshot(page, "htmx-failed-lookup")


def test_switch_user_dialog_says_when_it_is_rate_limited_or_locked(live_server, page):
    technician, _waiting, _ready = _queue_setup()
    sign_in(page, live_server, technician)
    page.goto(f"{live_server.url}/queue")
    for status, words in ((429, "Too many tries"), (423, "terminal is locked")):
        page.route(re.compile(r"/terminal/switch"), _answer(status))
        page.keyboard.press("F2")
        dialog = page.locator("#switch-dialog")
        dialog.get_by_label("PIN or badge").fill("123456")
        dialog.get_by_role("button", name="Switch").click()
        expect(dialog.locator("[data-request-error]")).to_contain_text(words)
        expect(dialog.get_by_role("button", name="Switch")).to_be_enabled()
        if status == 429:
            screenshot(page, "htmx-switch-429")
        page.unroute(re.compile(r"/terminal/switch"))
        page.keyboard.press("Escape")


def test_submit_is_disabled_while_its_request_runs_and_focus_goes_to_the_error(live_server, page):
    technician, _waiting, _ready = _queue_setup()
    sign_in(page, live_server, technician)
    page.goto(f"{live_server.url}/queue")
    held = _held(page, re.compile(r"/terminal/switch"))
    page.keyboard.press("F2")
    dialog = page.locator("#switch-dialog")
    dialog.get_by_label("PIN or badge").fill("999999")
    dialog.get_by_role("button", name="Switch").click()
    expect(dialog.get_by_role("button", name="Switch")).to_be_disabled()
    for _ in range(200):  # the route handler hears of the request a moment after it leaves
        if held:
            break
        page.wait_for_timeout(25)
    held[0].continue_()
    page.unroute(re.compile(r"/terminal/switch"))
    expect(dialog.locator(".field-error")).to_be_visible()
    expect(dialog.get_by_label("PIN or badge")).to_be_focused()
    expect(dialog.get_by_role("button", name="Switch")).to_be_enabled()


# Every other htmx request a page makes, failed by the browser: the page says so in place.
# (page, role, what the person does, the region the request fills)
LOOKUPS = [
    (
        "/patients/search",
        "technician",
        lambda page: page.locator("#patient-q").fill("smi"),
        "#patient-results",
    ),
    (
        "/prescribers/",
        "technician",
        lambda page: page.locator("#prescriber-q").fill("whit"),
        "#prescriber-results",
    ),
    (
        "/inventory/products",
        "technician",
        lambda page: page.locator("#catalog-q").fill("amox"),
        "#catalog-results",
    ),
    (
        "/prescriptions/new",
        "technician",
        lambda page: page.locator("#patient-q").fill("oka"),
        "#patient-choices",
    ),
    (
        "/prescriptions/new",
        "technician",
        lambda page: page.locator("#drug-q").fill("amox"),
        "#drug-choices",
    ),
    (
        "/claims/",
        "manager",
        lambda page: page.locator("#queue-payer").select_option(index=1),
        "#queue-rows",
    ),
    (
        "/compounding/calculations",
        "pharmacist",
        lambda page: (
            page.get_by_role("navigation", name="Calculations").get_by_role("link").nth(1).click()
        ),
        "#calc-area",
    ),
]


def _fail_htmx(route):
    if route.request.headers.get("hx-request") and not route.request.headers.get("x-background"):
        route.fulfill(status=500, body="")
    else:
        route.continue_()


def test_every_lookup_says_in_place_when_it_fails(live_server, page):
    make_pharmacy()
    from tests.factories import make_payer

    make_payer()
    people = {role: make_user(roles=(role,)) for role in ("technician", "pharmacist", "manager")}
    signed_in = None
    for path, role, act, region in LOOKUPS:
        if signed_in != role:
            page.context.clear_cookies()
            sign_in(page, live_server, people[role])
            signed_in = role
        page.goto(f"{live_server.url}{path}")
        page.route("**/*", _fail_htmx)
        act(page)
        message = page.locator("[data-request-error]")
        expect(message).to_have_count(1)
        expect(message).to_be_visible()
        expect(message).to_contain_text("error 500")
        # In place: inside the region the request fills, or just before it.
        assert message.evaluate(
            """(message, selector) => { const region = document.querySelector(selector);
                 return region.contains(message) || message.nextElementSibling === region; }""",
            region,
        ), f"{path}: the message is not at {region}"
        page.unroute("**/*", _fail_htmx)


def test_a_slow_page_post_cannot_be_sent_twice_and_shows_working(live_server, page):
    technician, _waiting, ready = _queue_setup()
    sign_in(page, live_server, technician)
    page.goto(f"{live_server.url}/fills/{ready.id}/pickup")
    posts = []
    served = live_server.app.wsgi_app

    def slow_posts(environ, start_response):  # the server takes 3 s to answer a POST
        if environ["REQUEST_METHOD"] == "POST":
            posts.append(environ["PATH_INFO"])
            time.sleep(3)
        return served(environ, start_response)

    live_server.app.wsgi_app = slow_posts
    # The page is leaving while the server works, and Playwright waits for that: the page
    # itself looks 450 ms after the press, presses again, and keeps what it saw.
    page.evaluate(
        """() => document.addEventListener("submit", (event) => setTimeout(() => {
             const button = event.target.querySelector(".actions button");
             const working = document.getElementById("request-indicator");
             sessionStorage.setItem("seen", JSON.stringify({disabled: button.disabled,
               working: getComputedStyle(working).visibility}));
             event.target.requestSubmit();  // a second press (Enter): must not be sent
           }, 450), {once: true})"""
    )
    page.get_by_role("button", name="Picked up").click(no_wait_after=True)
    expect(page.locator(".flash-success")).to_contain_text("picked up by")
    seen = page.evaluate("JSON.parse(sessionStorage.getItem('seen'))")
    assert seen == {"disabled": True, "working": "visible"}
    assert posts == [f"/fills/{ready.id}/pickup"]  # the second press sent nothing
