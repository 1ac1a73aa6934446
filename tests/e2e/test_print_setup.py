"""Print setup: from the labels page to the print setup page, where a calibration label of
the chosen stock prints into the page's print frame."""

from playwright.sync_api import expect

from tests.e2e.conftest import screenshot
from tests.e2e.helpers import sign_in
from tests.factories import make_pharmacy, make_user


def test_a_technician_prints_a_calibration_label(page, live_server):
    make_pharmacy()
    technician = make_user(roles=("technician",))
    sign_in(page, live_server, technician)
    page.get_by_role("link", name="Labels").first.click()
    page.get_by_role("link", name="print setup and calibration label").click()
    expect(page.get_by_role("heading", name="Print setup")).to_be_visible()
    expect(page.get_by_text("Labels print on Thermal roll, 4 x 2.5 in")).to_be_visible()
    page.get_by_label("Label stock").select_option(label="DYMO LabelWriter 30256, 4 x 2-5/16 in")
    with page.expect_response(lambda r: r.request.method == "POST") as answer:
        page.get_by_role("button", name="Print calibration label").click()
    assert answer.value.headers["content-type"] == "application/pdf"
    expect(page.locator("#print-frame-box")).to_be_visible()
    assert page.url.endswith("/labels/setup")
    screenshot(page, "labels-print-setup")
