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
    # The print frame's script set up before the press: pressed sooner, the form posts as a
    # plain page and the PDF replaces it (seen once in CI on a busy machine).
    page.wait_for_url("**/labels/setup")
    page.wait_for_load_state()
    expect(page.get_by_role("heading", name="Print setup")).to_be_visible()
    expect(page.get_by_text("Labels print on Thermal roll, 4 x 2.5 in")).to_be_visible()
    page.get_by_label("Label stock").select_option(label="DYMO LabelWriter 30256, 4 x 2-5/16 in")
    with page.expect_response(lambda r: r.request.method == "POST") as answer:
        page.get_by_role("button", name="Print calibration label").click()
    assert answer.value.headers["content-type"] == "application/pdf"
    expect(page.locator("#print-frame-box")).to_be_visible()
    assert page.url.endswith("/labels/setup")
    screenshot(page, "labels-print-setup")


def test_a_terminal_chooses_its_label_printer_queue(page, live_server):
    make_pharmacy()
    technician = make_user(roles=("technician",))
    sign_in(page, live_server, technician)
    page.goto(f"{live_server.url}/labels/setup")
    queue = page.get_by_label("Printer queue on the server (CUPS)")
    queue.fill("counter one")
    page.get_by_role("button", name="Save this terminal's printer").click()
    expect(page.get_by_text("no spaces")).to_be_visible()
    expect(page.get_by_label("Printer queue on the server (CUPS)")).to_have_value("counter one")
    page.get_by_label("Printer queue on the server (CUPS)").fill("counter1")
    page.get_by_role("button", name="Save this terminal's printer").click()
    expect(
        page.get_by_text("This terminal now prints labels to the printer queue counter1.")
    ).to_be_visible()
    expect(page.get_by_text("go straight to the printer queue counter1")).to_be_visible()
    page.get_by_role("link", name="Labels").first.click()
    expect(page.get_by_text("Printer: the printer queue counter1")).to_be_visible()
    page.goto(f"{live_server.url}/labels/setup")
    page.get_by_label("Printer queue on the server (CUPS)").fill("")
    page.get_by_role("button", name="Save this terminal's printer").click()
    expect(page.get_by_text("open in the browser's print dialog")).to_be_visible()
