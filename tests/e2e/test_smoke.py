"""First run in a real browser: set up the pharmacy, land signed in on the start page."""

from playwright.sync_api import expect

from tests.e2e.conftest import screenshot


def test_first_run_setup_then_signed_in(page, live_server):
    page.goto(live_server.url + "/")
    assert page.url.endswith("/setup")
    screenshot(page, "setup-empty")
    page.get_by_label("Pharmacy name").fill("Oak Hill Pharmacy")
    page.get_by_label("Street address").fill("4 Oak Hill Road")
    page.get_by_label("City").fill("Dayton")
    page.get_by_label("State").select_option("OH")
    page.get_by_label("ZIP code").fill("45402")
    page.get_by_label("Phone", exact=True).fill("937-555-0100")
    page.get_by_label("Pharmacy NPI").fill("1234567893")
    page.get_by_label("NCPDP ID").fill("3612345")
    page.get_by_label("Your full name").fill("Maria Lopez")
    page.get_by_label("Username").fill("mlopez")
    page.get_by_label("Password", exact=True).fill("a long passphrase")
    page.get_by_label("Password again").fill("a long passphrase!")
    page.get_by_role("button", name="Create pharmacy and sign in").click()
    # A mismatch: the form comes back with the message and what was typed.
    expect(page.get_by_text("The two passwords differ.")).to_be_visible()
    expect(page.get_by_label("Pharmacy name")).to_have_value("Oak Hill Pharmacy")
    screenshot(page, "setup-error")
    page.get_by_label("Password", exact=True).fill("a long passphrase")
    page.get_by_label("Password again").fill("a long passphrase")
    page.get_by_role("button", name="Create pharmacy and sign in").click()
    page.wait_for_url(live_server.url + "/")
    assert page.locator(".acting-name").inner_text() == "Maria Lopez"
    assert page.locator(".brand").inner_text() == "Oak Hill Pharmacy"
    screenshot(page, "home")
