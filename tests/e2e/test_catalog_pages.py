"""Inventory and prescriber pages in a real browser, with screenshots to look at."""

from datetime import date
from pathlib import Path

from playwright.sync_api import expect

from portal.catalog import demo
from portal.catalog.models import Product
from portal.catalog.stock.models import Lot
from portal.prescribers import demo as prescriber_demo
from tests.e2e.conftest import screenshot
from tests.e2e.helpers import sign_in
from tests.factories import make_pharmacy, make_user

DATA = Path(__file__).parent.parent / "catalog" / "data"


def _setup(live_server, roles=("pharmacist",)):
    make_pharmacy()
    demo.load(date.today())
    prescriber_demo.load()
    return make_user(roles=roles, full_name="Rosa Martinez")


def test_prescriber_form_explains_a_wrong_check_digit(page, live_server):
    user = _setup(live_server, roles=("technician",))
    sign_in(page, live_server, user)
    page.get_by_role("link", name="Prescribers", exact=True).first.click()
    page.get_by_label("Find by name, NPI or DEA number").fill("whit")
    page.wait_for_selector("#prescriber-results >> text=Whitfield")
    screenshot(page, "prescribers-list")
    page.get_by_role("link", name="Add prescriber").click()
    page.get_by_label("First name").fill("Jonas")
    page.get_by_label("Last name").fill("Pruitt")
    page.get_by_label("Credentials").select_option("MD")
    page.get_by_label("NPI").fill("1234567890")
    page.get_by_label("DEA number").fill("BP1234567")
    page.get_by_role("button", name="Add prescriber").click()
    expect(page.get_by_text("Check digit should be 3, not 0")).to_be_visible()
    expect(page.get_by_text("Check digit should be 3, not 7")).to_be_visible()
    expect(page.get_by_label("Last name")).to_have_value("Pruitt")
    screenshot(page, "prescriber-form-errors")
    page.get_by_label("NPI").fill("1234567893")
    page.get_by_label("DEA number").fill("BP1234563")
    page.get_by_role("button", name="Add prescriber").click()
    expect(page.get_by_text("Jonas Pruitt, MD added.")).to_be_visible()
    screenshot(page, "prescriber-detail")


def test_inventory_pages(page, live_server):
    user = _setup(live_server)
    sign_in(page, live_server, user)
    page.get_by_role("link", name="Inventory", exact=True).first.click()
    screenshot(page, "inventory-products")
    page.get_by_label("Find by name, generic name or NDC").fill("oxy")
    page.wait_for_selector("#catalog-results >> text=70518-1032-00")
    page.get_by_role("link", name="Oxycodone Hydrochloride 5 mg tablet").click()
    screenshot(page, "inventory-product")
    page.get_by_role("link", name="RX5512A").click()
    screenshot(page, "inventory-lot")
    page.get_by_label("Quantity", exact=True).fill("500")
    page.get_by_role("button", name="Record", exact=True).click()
    expect(
        page.get_by_text("Lot RX5512A has 80 each on hand; 500 each were asked for")
    ).to_be_visible()
    screenshot(page, "inventory-lot-insufficient")
    page.goto(live_server.url + "/inventory/ingredients")
    screenshot(page, "inventory-ingredients")
    page.goto(live_server.url + "/inventory/expiring")
    screenshot(page, "inventory-expiring")
    page.goto(live_server.url + "/inventory/expired")
    screenshot(page, "inventory-expired")
    page.goto(live_server.url + "/inventory/low-stock")
    screenshot(page, "inventory-low-stock")
    ketoprofen = Lot.get(Lot.lot_number == "KTP1183")
    page.goto(live_server.url + "/inventory/expired")
    page.get_by_role("link", name="Record destruction").first.click()
    page.get_by_label("How and by whom").fill("Sent to reverse distributor; witnessed by J. Ortiz")
    page.get_by_role("button", name="Record destruction").click()
    expect(page.get_by_text("No expired stock on hand.")).to_be_visible()
    assert Lot.get_by_id(ketoprofen.id).quantity_on_hand == 0
    product = Product.get(Product.ndc == "70518-1032-00")
    page.goto(f"{live_server.url}/inventory/products/{product.id}/receive")
    page.get_by_label("Lot number").fill("RX7777B")
    page.get_by_label("Expiration date").fill("01/2020")
    page.get_by_label("Quantity received").fill("abc")
    page.get_by_role("button", name="Receive").click()
    screenshot(page, "inventory-receive-errors")
    page.goto(f"{live_server.url}/inventory/products/{product.id}/edit")
    screenshot(page, "inventory-product-form")


def test_import_preview_shows_row_errors_and_writes_nothing(page, live_server):
    user = _setup(live_server)
    before = Product.select().count()
    sign_in(page, live_server, user)
    page.goto(live_server.url + "/inventory/import")
    screenshot(page, "inventory-import")
    page.get_by_label("CSV or FDA product file").set_input_files(
        str(DATA / "products_with_errors.csv")
    )
    page.get_by_role("button", name="Preview").click()
    expect(page.get_by_text("Nothing has been written yet.")).to_be_visible()
    screenshot(page, "inventory-import-preview")
    page.get_by_role("button", name="Cancel").click()
    expect(page.get_by_text("Import cancelled. Nothing was written.")).to_be_visible()
    assert Product.select().count() == before
    page.get_by_label("CSV or FDA product file").set_input_files(str(DATA / "fda_product.txt"))
    page.get_by_label("FDA package file").set_input_files(str(DATA / "fda_package.txt"))
    page.get_by_role("button", name="Preview").click()
    screenshot(page, "inventory-import-fda-preview")
    page.get_by_role("button", name="Import 4 rows").click()
    expect(page.get_by_text("Imported fda_product.txt: 4 added")).to_be_visible()
    assert Product.select().count() == before + 4
    screenshot(page, "inventory-import-done")
