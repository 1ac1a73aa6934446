"""Labels print without leaving the page: the PDF opens in a frame on the print page (the
page, its address and its choices stay), each print is logged once, and a refused print
(a reprint without a reason) shows its message on the page."""

from playwright.sync_api import expect

from portal.labels.models import LabelPrint
from tests.e2e.conftest import screenshot
from tests.e2e.helpers import sign_in
from tests.factories import advance_fill, make_fill, make_pharmacy, make_user


def test_a_label_prints_in_a_frame_and_the_page_stays(page, live_server):
    make_pharmacy()
    technician = make_user(roles=("technician",))
    fill = advance_fill(make_fill(), "fill")
    sign_in(page, live_server, technician)
    page.goto(f"{live_server.url}/labels/fills/{fill.id}")
    address = page.url
    with page.expect_response(lambda r: r.request.method == "POST") as answer:
        page.get_by_role("button", name="Print label").click()
    assert answer.value.headers["content-type"] == "application/pdf"
    expect(page.locator("#print-frame-box")).to_be_visible()
    expect(page.locator("#print-frame-status")).to_be_focused()
    assert page.url == address
    expect(page.get_by_role("heading", name=f"Print label: Rx {fill.rx_fill}")).to_be_visible()
    assert LabelPrint.select().where(LabelPrint.fill == fill.id).count() == 1
    screenshot(page, "labels-print-frame")

    # Printed before: without a reason the page says so in place, and nothing is logged.
    page.reload()
    page.get_by_role("button", name="Print label").click()
    expect(page.get_by_text("Say why it is being printed again")).to_be_visible()
    assert LabelPrint.select().where(LabelPrint.fill == fill.id).count() == 1
    page.get_by_label("Reason for reprinting").fill("Label torn")
    page.get_by_role("button", name="Print label").click()
    expect(page.locator("#print-frame-box")).to_be_visible()
    assert LabelPrint.select().where(LabelPrint.fill == fill.id).count() == 2


def test_a_batch_prints_in_a_frame_and_keeps_the_list(page, live_server):
    make_pharmacy()
    technician = make_user(roles=("technician",))
    fills = [advance_fill(make_fill(), "fill") for _ in range(2)]
    sign_in(page, live_server, technician)
    page.goto(f"{live_server.url}/labels/batch")
    for fill in fills:
        page.locator(f"#fill-{fill.id}").check()  # unprinted fills start checked
    page.get_by_role("button", name="Print chosen labels").click()
    expect(page.locator("#print-frame-box")).to_be_visible()
    expect(page.get_by_text(fills[0].rx_fill).first).to_be_visible()
    assert LabelPrint.select().count() == 2
