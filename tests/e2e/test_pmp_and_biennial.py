"""Reports and records a pharmacist keeps for inspectors, in the browser: the day's PMP
file made and downloaded; a biennial inventory started, counted, signed and printed."""

from datetime import date, timedelta
from decimal import Decimal

from playwright.sync_api import expect

from tests.e2e.conftest import screenshot
from tests.e2e.helpers import sign_in
from tests.factories import make_lot, make_pharmacy, make_product, make_user

TIMEOUT_MS = 30_000


def test_pmp_file_made_and_downloaded(page, live_server):
    make_pharmacy()
    pharmacist = make_user(roles=("pharmacist",), full_name="Paul Okonkwo")
    page.set_default_timeout(TIMEOUT_MS)
    sign_in(page, live_server, pharmacist)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Reports").click()
    page.get_by_role("link", name="State PMP").click()
    yesterday = (date.today() - timedelta(days=1)).strftime("%m/%d/%Y")
    expect(page.get_by_label("Day dispensed")).to_have_value(yesterday)
    page.get_by_role("button", name="Make the file").click()
    page.get_by_text("made (zero report)").wait_for()
    screenshot(page, "pmp-page")
    with page.expect_download() as download:
        page.get_by_role("link", name="Download").first.click()
    path = download.value.path()
    assert path.read_bytes().startswith(b"TH*4.2A*")


def test_biennial_inventory_counted_signed_and_locked(page, live_server):
    make_pharmacy()
    pharmacist = make_user(roles=("pharmacist",), full_name="Paul Okonkwo")
    make_lot(
        make_product(name="Oxycodone HCl", strength="5 mg", schedule="2"), quantity=Decimal(80)
    )
    make_lot(make_product(name="Alprazolam", strength="1 mg", schedule="4"), quantity=Decimal(300))
    page.set_default_timeout(TIMEOUT_MS)
    sign_in(page, live_server, pharmacist)
    page.goto(f"{live_server.url}/inventory/controlled")
    page.get_by_role("link", name="Biennial inventory").click()
    page.get_by_label("After the close of business").check()
    page.get_by_role("button", name="Start the count").click()
    page.get_by_label("Counted: Oxycodone", exact=False).fill("79.5")
    page.get_by_label("Counted: Alprazolam", exact=False).fill("295")
    page.get_by_role("button", name="Save and sign (locks it)").click()
    expect(page.get_by_text("whole number")).to_be_visible()
    page.get_by_label("Counted: Oxycodone", exact=False).fill("80")
    page.get_by_role("button", name="Save and sign (locks it)").click()
    page.get_by_text("signed and locked").first.wait_for()
    expect(page.get_by_role("button", name="Save the counts")).to_have_count(0)
    screenshot(page, "biennial-signed")
