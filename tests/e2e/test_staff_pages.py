"""Staff and audit pages in a real browser: an administrator adds a pharmacist, a manager
reads what happened."""

from playwright.sync_api import expect

from portal.auth.models import User
from tests.e2e.conftest import screenshot
from tests.e2e.helpers import sign_in
from tests.factories import make_pharmacy, make_user


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
    expect(page.locator(".changes").get_by_text("Dana Reyes")).to_be_visible()
    screenshot(page, "audit-trail-filtered")
