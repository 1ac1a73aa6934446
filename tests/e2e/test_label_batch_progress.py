"""A large label batch shows its progress: pressing Print goes to a progress page (the
button is gone, and a second press joins the first job), then back to the labels page with
the PDF in its print frame; every label is logged once."""

import threading
import time

from playwright.sync_api import expect

from portal.labels import from_fill, views
from portal.labels.models import LabelPrint
from tests.e2e.conftest import screenshot
from tests.e2e.helpers import axe_violations, sign_in
from tests.factories import (
    advance_fill,
    make_fill,
    make_patient,
    make_pharmacy,
    make_prescriber,
    make_product,
    make_user,
)

FILLS = 6


def test_a_large_batch_shows_progress_and_prints_once(page, live_server, monkeypatch):
    page.set_default_timeout(60_000)
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
        for _ in range(FILLS)
    ]
    live_server.app.config["LABEL_LARGE_BATCH"] = 3  # six labels are a large batch here
    read = from_fill.label_for_fill

    looked = threading.Event()  # the work waits while the progress page is looked at

    def slowly(fill, **given):  # a batch of hundreds, in the time a test can wait
        looked.wait(30)
        time.sleep(0.2)
        return read(fill, **given)

    monkeypatch.setattr("portal.labels.batch_work.label_for_fill", slowly)
    sign_in(page, live_server, technician)
    page.goto(f"{live_server.url}/labels/batch")
    button = page.get_by_role("button", name="Print chosen labels")
    expect(button).to_be_focused()
    # Two presses in a row (a double click, or Enter held): one job, one print per label.
    page.evaluate(
        "() => { const f = document.querySelector('form[data-large-batch]');"
        " f.requestSubmit(); f.requestSubmit(); }"
    )
    page.wait_for_url("**/progress/**")
    expect(page.get_by_role("heading", name=f"Printing {FILLS} labels")).to_be_visible()
    expect(page.locator("#long-work-bar")).to_be_visible()
    expect(page.get_by_role("button", name="Print chosen labels")).to_have_count(0)
    expect(page.get_by_role("status")).to_contain_text("Reading the fills")
    screenshot(page, "labels-batch-progress")
    assert axe_violations(page) == []
    looked.set()

    page.wait_for_url("**/labels/batch?printed=**")
    expect(page.get_by_text(f"{FILLS} labels are laid out and logged")).to_be_visible()
    expect(page.locator("#print-frame-box")).to_be_visible()
    expect(page.locator("#print-frame-status")).to_be_focused()
    frame = page.locator("#label-print-frame")
    expect(frame).to_have_attribute("data-print-dialog", "skipped under automation")
    pdf = page.request.get(live_server.url + frame.get_attribute("src"))
    assert pdf.headers["content-type"] == "application/pdf"
    assert pdf.body().startswith(b"%PDF")
    screenshot(page, "labels-batch-printed")
    assert axe_violations(page) == []
    for fill in fills:
        assert LabelPrint.select().where(LabelPrint.fill == fill.id).count() == 1
    assert views.batch_work.finished_pdf("not-a-token", technician.id) is None
