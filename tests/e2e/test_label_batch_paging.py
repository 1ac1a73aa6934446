"""More fills than one page of the labels batch: "Show the next 50" brings the rest into the
same list by keyboard, focus on the first new fill, and a label chosen there prints with
the others chosen, in the page's print frame, logged once."""

from playwright.sync_api import expect

from portal.labels.models import LabelPrint
from tests.e2e.conftest import screenshot
from tests.e2e.helpers import axe_violations, show_the_next_50, sign_in
from tests.factories import (
    advance_fill,
    make_fill,
    make_patient,
    make_pharmacy,
    make_prescriber,
    make_product,
    make_user,
)


def test_a_label_chosen_on_the_second_page_prints(page, live_server):
    make_pharmacy()
    technician = make_user(roles=("technician",))
    pharmacist = make_user(roles=("pharmacist",))
    patient, prescriber, product = make_patient(), make_prescriber(), make_product()
    fills = [
        advance_fill(
            make_fill(patient=patient, prescriber=prescriber, product=product),
            "fill",
            pharmacist=pharmacist,
            technician=technician,
        )
        for _ in range(53)
    ]
    for fill in fills[:50]:  # the first page's labels were printed this morning
        LabelPrint.create(fill=fill, printed_by=technician, stock="4x2.5")
    sign_in(page, live_server, technician)
    page.goto(f"{live_server.url}/labels/batch")
    rows = page.locator("table.label-batch tbody tr:not(#more-row)")
    expect(rows).to_have_count(50)
    expect(page.locator("input[name=fill]:checked")).to_have_count(0)  # all printed before

    first_new = show_the_next_50(page, rows, 53)
    expect(first_new).to_have_text(fills[50].rx_fill)
    # Never printed: the new rows come chosen. Leave out the first by keyboard (its box is
    # just before its Rx) and the last by a click; the middle one stays chosen.
    page.keyboard.press("Shift+Tab")
    expect(page.locator(f"#fill-{fills[50].id}")).to_be_focused()
    page.keyboard.press("Space")
    page.locator(f"#fill-{fills[52].id}").uncheck()
    expect(page.locator("input[name=fill]:checked")).to_have_count(1)
    expect(page.locator(f"#fill-{fills[51].id}")).to_be_checked()
    screenshot(page, "labels-batch-second-page")
    assert axe_violations(page) == []

    with page.expect_response(lambda r: r.request.method == "POST") as answer:
        page.get_by_role("button", name="Print chosen labels").click()
    assert answer.value.headers["content-type"] == "application/pdf"
    expect(page.locator("#print-frame-box")).to_be_visible()
    expect(rows).to_have_count(53)  # the list stays as it was
    printed_now = LabelPrint.select().where(LabelPrint.fill.not_in([f.id for f in fills[:50]]))
    assert [p.fill_id for p in printed_now] == [fills[51].id]
