"""Every compounding page opens for a pharmacist in a real browser (screenshots to look at)."""

from playwright.sync_api import expect

from tests.e2e.conftest import screenshot
from tests.e2e.helpers import sign_in
from tests.factories import make_batch_record, make_cleaning, make_pharmacy, make_user

CALCULATIONS = ("percent", "ratio", "alligation", "convert", "dose", "salt", "potency")


def test_every_compounding_page_renders(page, live_server):
    page.set_default_timeout(30_000)  # a loaded machine is slow, not broken
    make_pharmacy()
    pharmacist = make_user(roles=("pharmacist",), full_name="Paula Reyes")
    make_cleaning(user=pharmacist)
    record = make_batch_record()
    sign_in(page, live_server, pharmacist)
    for path, name, heading in [
        ("/compounding/", "compounding-home", "Compounding"),
        ("/compounding/records", "compounding-records", "Compounding records"),
        ("/compounding/records/new-batch", "compounding-new-batch", "New anticipatory batch"),
        (f"/compounding/records/{record.id}", "compounding-record-new", "Compounding record #"),
        ("/compounding/settings", "compounding-settings", "Compounding settings"),
    ]:
        page.goto(live_server.url + path)
        expect(page.get_by_role("heading", name=heading).first).to_be_visible()
        screenshot(page, name)
    page.goto(f"{live_server.url}/compounding/calculations/scale")
    page.get_by_label("Start from a master formula").select_option(
        label="Hydrocortisone 2.5% cream (version 1, per 100 g)"
    )
    page.get_by_role("button", name="Load").click()
    page.wait_for_url("**formula=*")
    page.get_by_label("Quantity to make").fill("45")
    page.get_by_role("button", name="Work it out").click()
    page.get_by_text("Scaling factor 0.45").wait_for()
    screenshot(page, "compounding-calc-scale-from-formula")
    for slug in CALCULATIONS:
        page.goto(f"{live_server.url}/compounding/calculations/{slug}")
        page.get_by_role("button", name="Work it out").click()
        page.locator(".form-errors, .answer").first.wait_for()
        screenshot(page, f"compounding-calc-{slug}-empty")
