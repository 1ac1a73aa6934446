"""A C-II remainder opened within its 72 hours (21 CFR 1306.13(a)) reaches final
verification after they have passed: the pharmacist scans the bottle and approves, and is
refused in words (which window, when it ended, what to do), the fill staying where it was."""

from datetime import timedelta
from decimal import Decimal

from playwright.sync_api import expect

from portal.prescriptions.controlled import partial
from portal.prescriptions.fills import steps
from portal.prescriptions.fills.models import Fill
from tests.e2e.conftest import screenshot
from tests.e2e.helpers import sign_in
from tests.factories import (
    advance_fill,
    make_c2_product,
    make_fill,
    make_lot,
    make_pharmacy,
    make_prescription,
    make_user,
)

TIMEOUT_MS = 30_000


def test_final_verification_refuses_a_remainder_past_its_window(page, live_server, monkeypatch):
    make_pharmacy()
    technician = make_user(roles=("technician",), full_name="Tess Nguyen")
    pharmacist = make_user(roles=("pharmacist",), full_name="Paul Okonkwo")
    product = make_c2_product(name="Oxycodone HCl", strength="5 mg")
    first = make_fill(
        make_prescription(
            product=product,
            sig="1 tab po q6h prn pain",
            quantity=Decimal(30),
            quantity_unit="tab",
            days_supply=7,
        )
    )
    partial.record_partial(first, technician, quantity=Decimal(10), reason="out_of_stock")
    advance_fill(first, "picked_up", pharmacist=pharmacist, technician=technician)
    # The remainder is opened and filled at once, well inside the 72 hours.
    remainder = partial.open_remainder(
        Fill.get_by_id(first.id), technician, quantity=Decimal(20), now=partial.local_now()
    )
    advance_fill(remainder, "fill", pharmacist=pharmacist, technician=technician)
    steps.record_filling(
        remainder, technician, scan=product.ndc, lot=make_lot(product, quantity=Decimal(100))
    )
    # Then the clock moves past the window before the pharmacist's final check.
    real = partial.local_now
    later = real() + timedelta(hours=73)
    monkeypatch.setattr(partial, "local_now", lambda moment=None: real(moment) if moment else later)

    page.set_default_timeout(TIMEOUT_MS)
    sign_in(page, live_server, pharmacist)
    page.goto(f"{live_server.url}/fills/{remainder.id}/verify-final")
    expect(page.get_by_role("alert").filter(has_text="window has passed")).to_be_visible()
    page.get_by_label("Scan the package barcode").fill(product.ndc)
    page.get_by_role("button", name="Approve — ready for pickup").click()
    refused = page.locator(".field-error").filter(has_text="opened in time")
    expect(refused).to_contain_text("72 hours of the first partial fill (21 CFR 1306.13(a))")
    expect(refused).to_contain_text("The remainder is void")
    expect(refused).to_contain_text("notify the prescriber")
    screenshot(page, "lapsed-remainder-final-verification")
    assert Fill.get_by_id(remainder.id).status == "final_verify"
