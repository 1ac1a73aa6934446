"""Weighings typed on a compounding record survive another form's button, and the printable
record of a record in progress says what has and has not been weighed."""

import subprocess
from datetime import date, timedelta
from decimal import Decimal

from playwright.sync_api import expect
from pypdf import PdfReader

from tests.e2e.conftest import ARTIFACTS, screenshot
from tests.e2e.helpers import sign_in
from tests.factories import (
    make_batch_record,
    make_cleaning,
    make_formula,
    make_lot,
    make_pharmacy,
    make_user,
)


def _batch(technician):
    pharmacist = make_user(roles=("pharmacist",), full_name="Paula Reyes")
    formula = make_formula(approved_by=pharmacist)
    active, base = formula.lines()
    later = date.today() + timedelta(days=300)
    make_lot(active.item, quantity=Decimal(100), lot_number="HC-2291", expires_on=later)
    make_lot(base.item, quantity=Decimal(2000), lot_number="CC-771", expires_on=later)
    make_cleaning(user=technician)
    return make_batch_record(formula, quantity=Decimal(200), user=technician), active, base


def test_weighings_typed_are_kept_when_quality_checks_are_saved(page, live_server):
    page.set_default_timeout(30_000)
    make_pharmacy()
    technician = make_user(roles=("technician",), full_name="Tess Nguyen")
    record, active, base = _batch(technician)
    sign_in(page, live_server, technician)
    page.goto(f"{live_server.url}/compounding/records/{record.id}")

    active_amount = page.get_by_label(f"Measured amount of {active.component_name} in g")
    base_amount = page.get_by_label(f"Measured amount of {base.component_name} in g")
    active_amount.fill("5.02")
    base_amount.fill("194.9")
    page.get_by_label("Final weight in g").fill("199.6")
    page.get_by_role("button", name="Save quality checks").click()
    page.get_by_text("Quality checks saved.").wait_for()
    # Not saved yet, but still there to be saved
    expect(active_amount).to_have_value("5.02")
    expect(base_amount).to_have_value("194.9")
    screenshot(page, "record-weighings-kept")

    # And the other way round: a quality result typed survives saving the weighings
    page.get_by_label("Appearance: what you see").fill("Smooth white cream")
    page.get_by_role("button", name="Save lots and amounts").click()
    page.get_by_text("Lots and amounts saved.").wait_for()
    expect(page.get_by_label("Appearance: what you see")).to_have_value("Smooth white cream")
    expect(active_amount).to_have_value("5.02")


def test_printed_record_in_progress_does_not_claim_amounts_were_within_tolerance(page, live_server):
    make_pharmacy()
    technician = make_user(roles=("technician",))
    record, _, _ = _batch(technician)
    sign_in(page, live_server, technician)
    response = page.request.get(f"{live_server.url}/compounding/records/{record.id}/record.pdf")
    ARTIFACTS.mkdir(exist_ok=True)
    pdf = ARTIFACTS / "record-in-progress.pdf"
    pdf.write_bytes(response.body())
    reader = PdfReader(str(pdf))
    text = "\n".join(p.extract_text() for p in reader.pages)
    assert "Nothing has been weighed yet." in text
    assert "every amount was within" not in text
    # No page holds only the footer: every page has more than the printed line and page number
    for number, sheet in enumerate(reader.pages, start=1):
        lines = [line for line in sheet.extract_text().splitlines() if line.strip()]
        assert len(lines) > 3, f"page {number} is nearly empty: {lines}"
        assert "Printed" in sheet.extract_text()  # the footer runs on every page
    subprocess.run(
        ["pdftoppm", "-png", "-r", "60", str(pdf), str(ARTIFACTS / "record-in-progress")],
        check=True,
    )
