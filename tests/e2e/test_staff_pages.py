"""Staff and audit pages in a real browser: an administrator adds a pharmacist, a manager
reads what happened."""

from playwright.sync_api import expect

from portal.auth.models import User
from tests.e2e.conftest import screenshot
from tests.e2e.helpers import sign_in
from tests.factories import make_pharmacy, make_user
from tests.factories.auth import DEFAULT_PASSWORD


def test_admin_adds_a_pharmacist_and_the_trail_shows_it(page, live_server):
    make_pharmacy()
    admin = make_user(roles=("admin", "manager"), full_name="Maria Lopez")
    make_user(roles=("technician",), full_name="Tess Tech", pin="135790")
    sign_in(page, live_server, admin)
    page.get_by_role("link", name="Staff").first.click()
    screenshot(page, "staff-list")

    page.get_by_role("link", name="Add a staff member").click()
    page.get_by_label("Full name").fill("Dana Reyes")
    page.get_by_label("Username").fill("dreyes")
    page.get_by_label("Quick-switch PIN").fill("135790")  # Tess's PIN: refused
    page.get_by_label("Password", exact=True).fill("a long passphrase")
    page.get_by_label("Password again").fill("a long passphrase")
    page.get_by_label("Pharmacist").check()
    page.get_by_role("button", name="Add staff member").click()
    page.get_by_text("Someone else already uses that PIN").wait_for()
    expect(page.get_by_label("Full name")).to_have_value("Dana Reyes")
    screenshot(page, "staff-new-error")

    page.get_by_label("Quick-switch PIN").fill("246813")
    page.get_by_label("Password", exact=True).fill("a long passphrase")
    page.get_by_label("Password again").fill("a long passphrase")
    page.get_by_role("button", name="Add staff member").click()
    page.get_by_text("Dana Reyes can now sign in.").wait_for()
    screenshot(page, "staff-edit")
    assert User.get(User.username == "dreyes").role_set == {"pharmacist"}

    page.get_by_role("link", name="← All staff").click()
    page.get_by_role("link", name="Lock and PIN settings").click()
    screenshot(page, "staff-settings")

    page.get_by_role("link", name="Audit trail").click()
    page.get_by_role("row").nth(1).wait_for()
    screenshot(page, "audit-trail")
    page.get_by_label("Action").select_option("create")
    page.get_by_role("button", name="Show").click()
    # A created record folds its fields under "Created with N fields": open them to read.
    for summary in page.locator("details.snapshot summary").all():
        summary.click()
    expect(page.locator(".changes").get_by_text("Dana Reyes").first).to_be_visible()
    screenshot(page, "audit-trail-filtered")


def test_a_technician_changes_their_own_pin_and_switches_back_with_it(page, live_server):
    make_pharmacy()
    technician = make_user(roles=("technician",), full_name="Tess Tech", pin="135790")
    pharmacist = make_user(roles=("pharmacist",), full_name="Phil Pharmacist", pin="482915")
    sign_in(page, live_server, technician)
    page.get_by_role("link", name="Tess Tech").click()
    expect(page.get_by_role("heading", name="Your PIN and password")).to_be_visible()

    pin_card = page.locator("section", has=page.get_by_role("heading", name="PIN", exact=True))
    pin_card.get_by_label("Your current password").fill("not my password")
    pin_card.get_by_label("New PIN (4–8 digits)").fill("864209")
    pin_card.get_by_label("New PIN again").fill("864209")
    pin_card.get_by_role("button", name="Change my PIN").click()
    page.get_by_text("That is not your current password.").wait_for()
    # Secrets are never sent back to the browser, not even to the page that refused them.
    expect(pin_card.get_by_label("New PIN (4–8 digits)")).to_have_value("")
    screenshot(page, "account-wrong-password")

    pin_card.get_by_label("Your current password").fill(DEFAULT_PASSWORD)
    pin_card.get_by_label("New PIN (4–8 digits)").fill("864209")
    pin_card.get_by_label("New PIN again").fill("864209")
    pin_card.get_by_role("button", name="Change my PIN").click()
    page.get_by_text("Your new PIN works from now on.").wait_for()
    page.wait_for_load_state("load")  # F2 is heard once the page's script has run

    # The pharmacist steps in, then Tess takes the terminal back with her new PIN.
    for person, pin in ((pharmacist, pharmacist.pin), (technician, "864209")):
        page.keyboard.press("F2")
        page.locator("#switch-dialog").wait_for(state="visible")
        page.locator("#switch-pin").fill(pin)
        page.locator("#switch-pin").press("Enter")
        page.locator("#switch-dialog").wait_for(state="hidden")
        expect(page.locator(".acting-name")).to_have_text(person.full_name)
