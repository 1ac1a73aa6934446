"""A C-II partly filled for lack of stock, as staff do it: the technician records the
partial fill at the filling step, and once it has gone out the remainder is sent from the
prescription; the pharmacist sees it as the remainder, not refused as a refill."""

from decimal import Decimal

from playwright.sync_api import expect

from portal.prescriptions.fills.models import Fill
from tests.e2e.conftest import screenshot
from tests.e2e.helpers import sign_in
from tests.factories import (
    advance_fill,
    make_c2_product,
    make_fill,
    make_pharmacy,
    make_prescription,
    make_user,
)

TIMEOUT_MS = 30_000


def test_partial_c2_then_its_remainder_passes_data_verification(page, browser, live_server):
    make_pharmacy()
    technician = make_user(roles=("technician",), full_name="Tess Nguyen")
    pharmacist = make_user(roles=("pharmacist",), full_name="Paul Okonkwo")
    product = make_c2_product(name="Oxycodone HCl", strength="5 mg")
    fill = make_fill(
        make_prescription(
            product=product,
            sig="1 tab po q6h prn pain",
            quantity=Decimal(30),
            quantity_unit="tab",
            days_supply=7,
        )
    )
    advance_fill(fill, "fill", pharmacist=pharmacist, technician=technician)
    page.set_default_timeout(TIMEOUT_MS)
    sign_in(page, live_server, technician)

    page.goto(f"{live_server.url}/fills/{fill.id}/fill")
    page.get_by_role("link", name="Record a partial fill").click()
    page.get_by_label("Quantity to dispense now").fill("10")
    page.get_by_label("Why less is dispensed").select_option("out_of_stock")
    screenshot(page, "partial-fill-form")
    page.get_by_role("button", name="Record the partial fill").click()
    page.get_by_text("partial fill: 10 of 30").first.wait_for()

    advance_fill(Fill.get_by_id(fill.id), "picked_up", pharmacist=pharmacist, technician=technician)
    rx = fill.prescription.rx_number
    page.goto(f"{live_server.url}/rx/{rx}")
    page.get_by_role("link", name="remainder").click()
    expect(page.get_by_text("1306.13(a)")).to_be_visible()
    screenshot(page, "partial-fill-remainder")
    page.get_by_role("button", name="Send the remainder to the pharmacist").click()
    page.get_by_text("remainder sent to the pharmacist (partial fill: 20 of 30)").wait_for()

    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.set_default_timeout(TIMEOUT_MS)
    rph = context.new_page()
    sign_in(rph, live_server, pharmacist)
    remainder = Fill.get(Fill.remainder_of == fill.id)
    rph.goto(f"{live_server.url}/fills/{remainder.id}/verify-data")
    expect(rph.get_by_text("BLOCKS", exact=True)).to_have_count(0)
    screenshot(rph, "partial-fill-remainder-verify")
    rph.get_by_role("button", name="Approve").click()
    rph.get_by_text(f"Rx {rx}-1 verified").wait_for()
