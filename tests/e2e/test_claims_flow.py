"""Claims in a browser: a rejection 75, a prior authorization, payment; the manager's view."""

from datetime import timedelta
from decimal import Decimal
from pathlib import Path

from playwright.sync_api import expect

from portal.timeutil import local_today
from tests.e2e.conftest import screenshot
from tests.e2e.helpers import sign_in
from tests.factories import (
    make_claim,
    make_coverage,
    make_patient,
    make_payer,
    make_pharmacy,
    make_user,
)

SAMPLES = Path(__file__).parent.parent / "claims" / "data"


def sign_out(page):
    page.get_by_role("button", name="Sign out").click()


def aging_row(page, key):
    return page.locator(f'tr[data-bucket="{key}"]')


def test_rejection_75_prior_authorization_then_payment_seen_by_the_manager(page, live_server):
    make_pharmacy()
    today = local_today("America/Chicago")
    technician = make_user(roles=("technician",), full_name="Tess Nguyen")
    manager = make_user(roles=("manager",), full_name="Morgan Reyes")
    payer = make_payer(name="MedRx Benefit Services", code="MEDRX")
    patient = make_patient(last_name="Okafor", first_name="Grace")
    claim = make_claim(
        "submitted",
        coverage=make_coverage(patient, payer),
        rx_number="100125",
        date_of_service=today - timedelta(days=45),
        ingredient_cost=Decimal("109.50"),
        product_description="Ketoprofen 10% in PLO gel, 60 g",
        today=today,
    )

    sign_in(page, live_server, technician)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Claims").click()
    page.get_by_role("link", name="Waiting on the payer").click()
    page.get_by_role("link", name="100125-0-MEDRX").click()
    page.get_by_label("Rejected").check()
    page.get_by_label("Reject codes").fill("75")
    page.get_by_role("button", name="Record response").click()
    expect(page.get_by_text("Response recorded: Rejected by the payer.")).to_be_visible()
    reject_box = page.locator(".reject-box")
    expect(reject_box.get_by_text("Prior Authorization Required")).to_be_visible()
    expect(reject_box.get_by_text("start PA with prescriber")).to_be_visible()
    screenshot(page, "claims-claim-reject-75")

    page.get_by_label("Prescriber contacted (who, and how)").fill(
        "Dr. Ana Whitfield's office, fax (217) 555-0191"
    )
    page.get_by_label("Follow up on").first.fill((today + timedelta(days=2)).isoformat())
    page.get_by_role("button", name="Start prior authorization").click()
    expect(page.get_by_text("Prior authorization started")).to_be_visible()
    page.get_by_text("Update this prior authorization").click()
    screenshot(page, "claims-prior-authorization")

    page.get_by_role("link", name="Work queue").click()
    expect(page.get_by_role("link", name="100125-0-MEDRX")).to_be_visible()
    screenshot(page, "claims-work-queue")
    sign_out(page)

    sign_in(page, live_server, manager)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Dashboard").click()
    assert aging_row(page, "days_31_60").locator("td").nth(1).inner_text() == "1"
    assert aging_row(page, "days_31_60").locator("td").nth(2).inner_text() == "$120.00"
    sign_out(page)

    sign_in(page, live_server, technician)
    page.goto(f"{live_server.url}/claims/{claim.id}")
    page.get_by_text("Update this prior authorization").click()
    page.get_by_label("Status").select_option("approved")
    page.get_by_label("PA number").fill("PA-448120")
    page.get_by_label("Approved on").fill(today.isoformat())
    page.get_by_label("Expires on").fill((today + timedelta(days=365)).isoformat())
    page.get_by_role("button", name="Save prior authorization").click()
    page.get_by_text("Corrected and resubmitted").click()
    page.locator("#resubmit-reason").fill("PA number PA-448120 added")
    page.get_by_role("button", name="Mark resubmitted").click()
    page.get_by_label("Paid", exact=True).check()
    page.get_by_label("Plan paid").fill("110.00")
    page.get_by_label("Patient pays").fill("10.00")
    page.get_by_role("button", name="Record response").click()
    expect(page.get_by_text("Response recorded: Paid.")).to_be_visible()
    sign_out(page)

    sign_in(page, live_server, manager)
    page.goto(f"{live_server.url}/claims/dashboard")
    assert aging_row(page, "days_31_60").locator("td").nth(1).inner_text() == "0"
    expect(page.locator("#months").get_by_text("$110.00")).to_be_visible()
    screenshot(page, "claims-dashboard")
    page.get_by_role("link", name="All claims").click()
    page.get_by_label("Payer").select_option(label="MedRx Benefit Services")
    page.get_by_role("button", name="Show claims").click()
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Export these claims as CSV").click()
    text = Path(download_info.value.path()).read_text()
    assert "100125-0-MEDRX,paid" in text and "110.00" in text


def test_835_import_preview_shows_unmatched_lines_to_match(page, live_server):
    make_pharmacy()
    technician = make_user(roles=("technician",), full_name="Tess Nguyen")
    payer = make_payer(name="MedRx Benefit Services", code="MEDRX")
    make_claim(
        "submitted",
        coverage=make_coverage(make_patient(last_name="Rivera"), payer),
        rx_number="100130",
        ingredient_cost=Decimal("30.00"),
        dispensing_fee=Decimal("0.00"),
    )
    sign_in(page, live_server, technician)
    page.goto(f"{live_server.url}/claims/remittances")
    page.get_by_label("835 remittance file").set_input_files(str(SAMPLES / "unmatched.835"))
    page.get_by_role("button", name="Read the file").click()
    expect(page.get_by_text("2 lines match no claim")).to_be_visible()
    screenshot(page, "claims-835-preview")
    page.get_by_role("button", name="Post these payments").click()
    expect(page.get_by_text("posted.").first).to_be_visible()
    assert page.get_by_role("button", name="Match and post").count() == 2
    screenshot(page, "claims-835-imported")
