"""Pickup at the counter: the usual hand-out (the patient, counseling offered and declined)
succeeds on the page's defaults with one key; a C-II asks for the collector's photo ID, and a
refused submit puts the focus on the first field to fix."""

from decimal import Decimal

from playwright.sync_api import expect

from portal.prescriptions.fills.models import Fill
from tests.e2e.conftest import screenshot
from tests.e2e.helpers import sign_in
from tests.factories import (
    advance_fill,
    make_c2_product,
    make_fill,
    make_patient,
    make_pharmacy,
    make_prescription,
    make_user,
)


def test_pickup_succeeds_on_its_defaults_with_one_key(live_server, page):
    make_pharmacy()
    technician = make_user(roles=("technician",))
    fill = advance_fill(make_fill(patient=make_patient(last_name="Okafor")), "ready")
    sign_in(page, live_server, technician)
    page.goto(f"{live_server.url}/fills/{fill.id}/pickup")
    expect(page.get_by_role("radio", name="The patient")).to_be_focused()
    expect(page.get_by_label("Offered, declined")).to_be_checked()
    screenshot(page, "pickup-defaults")
    page.keyboard.press("Enter")
    expect(page.locator(".flash-success")).to_contain_text("picked up by")
    stored = Fill.get_by_id(fill.id)
    assert (stored.status, stored.counseling_offered, stored.counseling_accepted) == (
        "picked_up",
        True,
        False,
    )


def test_c_ii_pickup_asks_for_id_and_focuses_the_first_error(live_server, page):
    make_pharmacy()
    technician = make_user(roles=("technician",))
    product = make_c2_product()
    rx = make_prescription(
        product=product,
        sig="1 tab po q6h prn pain",
        quantity=Decimal(20),
        quantity_unit="tab",
        days_supply=5,
    )
    fill = advance_fill(make_fill(rx), "ready")
    sign_in(page, live_server, technician)
    page.goto(f"{live_server.url}/fills/{fill.id}/pickup")
    id_type = page.get_by_label("ID shown")
    expect(id_type).to_be_focused()
    page.get_by_role("button", name="Picked up").click()
    expect(page.locator(".form-errors")).to_contain_text("Please correct")
    expect(id_type).to_be_focused()  # the first error, not <body>
    screenshot(page, "pickup-c2-needs-id")
    id_type.select_option("driver_license")
    page.get_by_label("ID number").fill("D1234-5678")
    page.get_by_label("State that issued the ID").select_option("OH")
    page.get_by_label("ID number").press("Enter")
    expect(page.locator(".flash-success")).to_contain_text("picked up by")
    stored = Fill.get_by_id(fill.id)
    assert (stored.picked_up_id_type, stored.picked_up_id_number) == (
        "driver_license",
        "D1234-5678",
    )
    assert stored.picked_up_id_state == "OH"
