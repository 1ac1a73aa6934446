"""A long queue comes 50 rows at a time: "Show the next" puts the focus on the first new
row's Rx, so the keyboard carries on from there instead of falling back to the page top."""

from playwright.sync_api import expect

from tests.e2e.conftest import screenshot
from tests.e2e.helpers import axe_violations, show_the_next_50, sign_in
from tests.factories import (
    make_fill,
    make_patient,
    make_pharmacy,
    make_prescriber,
    make_product,
    make_user,
)


def test_show_the_next_rows_moves_focus_to_the_first_new_row(page, live_server):
    make_pharmacy()
    technician = make_user(roles=("technician",))
    patient, prescriber, product = make_patient(), make_prescriber(), make_product()
    fills = [
        make_fill(patient=patient, prescriber=prescriber, product=product, user=technician)
        for _ in range(53)
    ]
    sign_in(page, live_server, technician)
    page.goto(f"{live_server.url}/queue?state=data_verify")
    rows = page.locator("#queue tbody tr:not(#more-row)")
    expect(rows).to_have_count(50)
    first_new = show_the_next_50(page, rows, 53)
    expect(first_new).to_have_text(fills[50].rx_fill)
    page.keyboard.press("Tab")  # the keyboard carries on along the new row
    expect(page.locator(":focus")).not_to_have_js_property("tagName", "BODY")
    screenshot(page, "queue-next-rows")
    assert axe_violations(page) == []
