"""A technician correcting an expired lot's expiry is asked for a reason and a pharmacist's
PIN, in a real browser (issue 17, item 9), with screenshots to look at."""

from datetime import date, timedelta
from decimal import Decimal

from playwright.sync_api import expect

from portal.catalog.stock.models import Lot
from tests.e2e.conftest import screenshot
from tests.e2e.helpers import sign_in
from tests.factories import make_ingredient, make_lot, make_pharmacy, make_product, make_user


def test_a_new_expiry_asks_for_a_reason_and_a_pharmacists_pin(page, live_server):
    make_pharmacy()
    lot = make_lot(make_product(name="Amoxicillin"), lot_number="AMX221")
    Lot.update(expires_on=date.today() - timedelta(days=10)).where(Lot.id == lot.id).execute()
    technician = make_user(roles=("technician",), full_name="Tom Reyes")
    pharmacist = make_user(roles=("pharmacist",), full_name="Rosa Martinez")
    new_expiry = (date.today() + timedelta(days=400)).strftime("%m/%d/%Y")
    sign_in(page, live_server, technician)

    page.goto(f"{live_server.url}/inventory/lots/{lot.id}/edit")
    page.get_by_label("Expiration date").fill(new_expiry)
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Say why you are changing the expiry")).to_be_visible()
    expect(page.get_by_text("Pharmacist approval needed")).to_be_visible()
    screenshot(page, "inventory-lot-expiry-needs-pharmacist")

    page.get_by_label("Why the safety facts change").fill("Manufacturer's extension letter")
    page.get_by_label("Pharmacist's PIN or badge").fill(pharmacist.pin)
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Lot details saved.")).to_be_visible()
    assert Lot.get_by_id(lot.id).expires_on.strftime("%m/%d/%Y") == new_expiry


def test_the_product_form_says_which_changes_need_a_pharmacist(page, live_server):
    make_pharmacy()
    product = make_product(name="Oxycodone Hydrochloride", schedule="2")
    manager = make_user(roles=("manager",), full_name="Dana Brooks")
    sign_in(page, live_server, manager)

    page.goto(f"{live_server.url}/inventory/products/{product.id}/edit")
    page.get_by_label("DEA schedule").select_option("")
    page.get_by_label("Why the safety facts change").fill("Checked the label")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Pharmacist approval needed")).to_be_visible()
    screenshot(page, "inventory-product-schedule-needs-pharmacist")


def test_an_import_changing_allergen_classes_asks_for_a_pharmacist(page, live_server, tmp_path):
    make_pharmacy()
    make_ingredient(name="Ketoprofen USP", allergen_classes="NSAIDs", potency=Decimal("0.99"))
    manager = make_user(roles=("manager",), full_name="Dana Brooks")
    sheet = tmp_path / "ingredients.csv"
    sheet.write_text(
        "name,schedule,allergen_classes,potency,unit,cost_per_unit,salt_factor,reorder_point,"
        "bulk_ndc\nKetoprofen USP,,,0.99,g,2.00,,0,\n"
    )
    sign_in(page, live_server, manager)

    page.goto(live_server.url + "/inventory/import")
    page.get_by_label("CSV or FDA product file").set_input_files(str(sheet))
    page.get_by_role("button", name="Preview").click()
    expect(page.get_by_text("This import changes safety facts")).to_be_visible()
    page.get_by_role("button", name="Import 1 row").click()
    expect(page.get_by_text("Pharmacist approval needed")).to_be_visible()
    screenshot(page, "inventory-import-needs-pharmacist")
