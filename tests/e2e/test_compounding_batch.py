"""An anticipatory batch in a browser: lots, weights with a deviation, quality checks,
completion and approval; the printable record."""

import subprocess
from datetime import date, timedelta
from decimal import Decimal

from playwright.sync_api import expect

from tests.e2e.conftest import ARTIFACTS, screenshot
from tests.e2e.helpers import sign_in
from tests.factories import make_cleaning, make_formula, make_lot, make_pharmacy, make_user


def test_technician_makes_a_batch_and_a_pharmacist_approves_it(page, live_server):
    page.set_default_timeout(30_000)  # a loaded machine is slow, not broken
    make_pharmacy()
    pharmacist = make_user(roles=("pharmacist",), full_name="Paula Reyes")
    technician = make_user(roles=("technician",), full_name="Tess Nguyen")
    formula = make_formula(approved_by=pharmacist)
    active, base = formula.lines()
    make_lot(active.item, quantity=Decimal(100), lot_number="HC-2291", supplier="Medisca",
             expires_on=date.today() + timedelta(days=400))  # fmt: skip
    make_lot(active.item, quantity=Decimal(100), lot_number="HC-2240", supplier="Medisca",
             expires_on=date.today() + timedelta(days=90))  # fmt: skip
    make_lot(base.item, quantity=Decimal(2000), lot_number="CC-771", supplier="PCCA",
             expires_on=date.today() + timedelta(days=200))  # fmt: skip
    make_cleaning(user=technician)
    sign_in(page, live_server, technician)

    page.goto(live_server.url + "/compounding/records")
    page.get_by_role("link", name="New anticipatory batch").click()
    page.get_by_label("Master formula").select_option(
        label="Hydrocortisone 2.5% cream (version 1, per 100 g)"
    )
    page.get_by_label("Quantity to make").fill("200")
    page.get_by_role("button", name="Start the batch").click()
    page.get_by_text("Batch B").first.wait_for()
    # First to expire is suggested.
    lot_select = page.get_by_label(f"Lot of {active.component_name}")
    assert "HC-2240" in lot_select.locator("option:checked").inner_text()
    page.get_by_label(f"Measured amount of {active.component_name} in g").fill("5.3")
    page.get_by_label(f"Measured amount of {base.component_name} in g").fill("195.1")
    page.get_by_role("button", name="Save lots and amounts").click()
    page.get_by_text("Lots and amounts saved.").wait_for()
    expect(page.get_by_text("Outside ±5%")).to_be_visible()
    page.get_by_label("Final weight in g").fill("199.6")
    page.get_by_label("Appearance: what you see").fill("Smooth white cream")
    page.get_by_role("radiogroup", name="Appearance result").get_by_label("Pass").check()
    page.get_by_role("button", name="Save quality checks").click()
    page.get_by_text("Quality checks saved.").wait_for()
    screenshot(page, "compounding-record-deviation")

    page.get_by_label("Pharmacist's note").fill(
        "6% over on 5 g is within the assay range; accepted."
    )
    page.get_by_role("button", name="Accept with the pharmacist's note").click()
    page.get_by_label("Pharmacist's PIN or badge").fill(pharmacist.pin)
    page.get_by_role("button", name="Accept with the pharmacist's note").click()
    page.get_by_text("Deviation accepted by Paula Reyes.").wait_for()
    page.get_by_role("button", name="Complete the record").click()
    page.get_by_text("Completed. Stock taken from the lots.").wait_for()
    screenshot(page, "compounding-record-completed")
    page.get_by_role("button", name="Approve the record").click()
    page.get_by_label("Pharmacist's PIN or badge").fill(pharmacist.pin)
    page.get_by_role("button", name="Approve the record").click()
    page.get_by_text("Record approved by Paula Reyes.").wait_for()
    screenshot(page, "compounding-record-approved")
    history = page.locator("table.record-history tbody tr")
    assert [row.locator("td").nth(1).inner_text() for row in history.all()] == [
        "Started",
        "Completed — awaiting pharmacist",
        "Approved",
    ]
    assert "co-signed by Paula Reyes" in history.nth(2).inner_text()
    page.locator("table.record-history").screenshot(
        path=str(ARTIFACTS / "compounding-record-history.png")
    )

    response = page.request.get(page.url.rstrip("/") + "/record.pdf")
    assert response.headers["content-type"] == "application/pdf"
    ARTIFACTS.mkdir(exist_ok=True)
    pdf = ARTIFACTS / "compounding-record.pdf"
    pdf.write_bytes(response.body())
    subprocess.run(
        ["pdftoppm", "-png", "-r", "70", str(pdf), str(ARTIFACTS / "compounding-record-pdf")],
        check=True,
    )
