"""Controlled-substance stock records, as the pharmacist keeps them: a C-II order on a DEA
Form 222 received line by line (a line over the ordered quantity is refused), then the
product's perpetual inventory, and a count that differs explained by the pharmacist."""

from datetime import date, timedelta

from playwright.sync_api import expect

from tests.e2e.conftest import screenshot
from tests.e2e.helpers import sign_in
from tests.factories import make_pharmacy, make_product, make_user

TIMEOUT_MS = 30_000


def test_c2_order_received_then_counted_against_the_perpetual_inventory(page, live_server):
    make_pharmacy()
    pharmacist = make_user(roles=("pharmacist",), full_name="Paul Okonkwo")
    make_product(name="Oxycodone HCl", strength="5 mg", dosage_form="tablet", schedule="2")
    page.set_default_timeout(TIMEOUT_MS)
    sign_in(page, live_server, pharmacist)

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Inventory").click()
    page.get_by_role("link", name="Controlled records").click()
    page.get_by_role("link", name="New C-II order (222 / CSOS)").click()
    page.get_by_label("Order form number").fill("190123456")
    page.get_by_label("Supplier", exact=True).fill("Cardinal Health")
    page.get_by_label("Supplier's DEA number").fill("PA1234563")
    page.get_by_label("Line 1 product").select_option(label="Oxycodone HCl 5 mg tablet")
    page.get_by_label("Line 1 quantity").fill("100")
    screenshot(page, "c2-order-new")
    page.get_by_role("button", name="Record the order").click()
    page.get_by_text("DEA Form 222 #190123456 recorded").wait_for()

    expiry = (date.today() + timedelta(days=500)).strftime("%m/%Y")
    page.get_by_label("Quantity received").fill("120")
    page.get_by_label("Lot number").fill("OX2291")
    page.get_by_label("Expiration date").fill(expiry)
    page.get_by_role("button", name="Receive line 1").click()
    expect(page.get_by_text("Only 100 of the 100 ordered remain")).to_be_visible()
    screenshot(page, "c2-order-line-refused")
    page.get_by_label("Quantity received").fill("100")
    page.get_by_role("button", name="Receive line 1").click()
    page.get_by_text("Line 1 received into lot OX2291").wait_for()

    page.get_by_role("link", name="Controlled records").click()
    page.get_by_role("link", name="Movements and counts").click()
    expect(page.get_by_text("DEA Form 222 #190123456 line 1, Cardinal Health")).to_be_visible()
    page.get_by_label("Counted on the shelf").fill("98")
    page.get_by_role("button", name="Record the count").click()
    expect(page.get_by_text("Explain the discrepancy")).to_be_visible()
    page.get_by_label("Pharmacist's explanation of any difference").fill(
        "Two tablets found crushed in the counting tray and destroyed."
    )
    page.get_by_role("button", name="Record the count").click()
    page.get_by_text("it differs: adjusted").wait_for()
    expect(page.get_by_text("On hand: 98 each")).to_be_visible()
    screenshot(page, "c2-perpetual-inventory")
