"""Long work shows progress: confirming a 5,000-row catalog import or an 835 file puts a
progress bar where the buttons were (so they cannot be pressed twice), then moves on."""

import time
from datetime import date
from decimal import Decimal
from pathlib import Path

from playwright.sync_api import expect

from portal.catalog.models import Product
from portal.claims.claims.models import Claim
from tests.e2e.conftest import ARTIFACTS, screenshot
from tests.e2e.helpers import sign_in
from tests.factories import (
    make_claim,
    make_coverage,
    make_patient,
    make_payer,
    make_pharmacy,
    make_user,
)

ROWS = 5000
SAMPLES = Path(__file__).parent.parent / "claims" / "data"


def _big_products_file(folder: Path) -> Path:
    lines = [
        "ndc,name,strength,dosage_form,package_size,package_unit,schedule,manufacturer,acquisition_cost"
    ]
    for number in range(ROWS):
        lines.append(
            f"{10000 + number:05d}-0001-01,Testamine {number},10 mg,tablet,100,each,,Acme,12.50"
        )
    path = folder / "products-5000.csv"
    path.write_text("\n".join(lines) + "\n")
    return path


def test_a_5000_row_import_shows_progress_and_cannot_be_confirmed_twice(
    page, live_server, tmp_path
):
    page.set_default_timeout(120_000)  # a loaded machine is slow, not broken
    make_pharmacy()
    manager = make_user(roles=("manager",))
    sign_in(page, live_server, manager)
    page.goto(live_server.url + "/inventory/import")
    page.get_by_label("CSV or FDA product file").set_input_files(str(_big_products_file(tmp_path)))
    page.get_by_role("button", name="Preview").click()
    confirm = page.get_by_role("button", name=f"Import {ROWS:,} rows").or_(
        page.get_by_role("button", name=f"Import {ROWS} rows")
    )
    started = time.monotonic()
    confirm.click()
    bar = page.get_by_role("progressbar")
    expect(bar).to_be_visible(timeout=30_000)
    expect(confirm).to_have_count(0)  # the button gave way to the bar
    expect(page.get_by_role("button", name="Cancel")).to_have_count(0)
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "progress-catalog-import.png"))  # the top, not 5,000 rows
    expect(page.get_by_text(f"Imported products-5000.csv: {ROWS} added")).to_be_visible(
        timeout=120_000
    )
    print(f"\n5,000-row catalog import confirmed to done: {time.monotonic() - started:.1f} s")
    assert Product.select().count() == ROWS


def test_posting_an_835_shows_progress_then_the_payment(page, live_server):
    page.set_default_timeout(60_000)
    make_pharmacy()
    technician = make_user(roles=("technician",))
    payer = make_payer(name="MedRx Benefit Services", code="MEDRX")
    claim = make_claim(
        "submitted",
        coverage=make_coverage(make_patient(last_name="Rivera", first_name="Ana"), payer),
        rx_number="100130",
        ingredient_cost=Decimal("30.00"),
        dispensing_fee=Decimal("0.00"),
        date_of_service=date(2025, 3, 18),  # the file's DTM*232: PBM matching checks it
        today=date(2025, 3, 25),
    )
    sign_in(page, live_server, technician)
    page.goto(f"{live_server.url}/claims/remittances")
    page.get_by_label("835 remittance file").set_input_files(str(SAMPLES / "unmatched.835"))
    page.get_by_role("button", name="Read the file").click()
    post = page.get_by_role("button", name="Post these payments")
    post.click()
    expect(page.get_by_role("progressbar")).to_be_visible()
    expect(post).to_have_count(0)
    screenshot(page, "progress-835")
    expect(page.get_by_text("posted.").first).to_be_visible(timeout=60_000)
    assert Claim.get_by_id(claim.id).status == "paid"
