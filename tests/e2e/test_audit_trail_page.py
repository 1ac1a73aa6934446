"""The audit trail in a browser: a manager finds a patient's claim by typing the name, reads
only what changed, and pages through 50 at a time with a total."""

from playwright.sync_api import expect

from portal.audit import log as audit
from portal.foundation.db import write_transaction
from tests.e2e.conftest import screenshot
from tests.e2e.helpers import sign_in
from tests.factories import make_claim, make_coverage, make_patient, make_pharmacy, make_user


def test_manager_finds_a_patients_claim_by_name_and_pages_through(page, live_server):
    make_pharmacy()
    manager = make_user(roles=("manager",), full_name="Morgan Reyes")
    clerk = make_user(roles=("technician",), full_name="Tess Nguyen")
    rosa = make_patient(last_name="Delgado", first_name="Rosa")
    make_claim("paid", coverage=make_coverage(rosa), rx_number="100001")
    with write_transaction():
        for _ in range(60):
            audit.record("view", "patient", rosa.id, patient_id=rosa.id, user=clerk)

    sign_in(page, live_server, manager)
    page.goto(f"{live_server.url}/audit/")
    expect(page.get_by_role("status").filter(has_text="Events 1–50 of")).to_be_visible()
    # 50 events stay a page a manager can scan, not a wall of unchanged fields
    height = page.evaluate("document.documentElement.scrollHeight")
    assert height < 9000, height
    screenshot(page, "audit-trail")

    page.get_by_role("textbox", name="Patient", exact=True).fill("delgado")
    page.get_by_label("Area").select_option("Claims")
    page.get_by_role("button", name="Show").click()
    expect(page.get_by_text("1 patient: Delgado, Rosa")).to_be_visible()
    rows = page.locator(".audit-table tbody tr")
    expect(rows.first).to_contain_text("Claim for Rx 100001")
    expect(rows.first).to_contain_text("Delgado, Rosa")
    expect(rows.first.locator("dd").filter(has_text="paid")).to_be_visible()
    assert "T" not in rows.first.locator("td").first.inner_text()  # local time, not ISO
    screenshot(page, "audit-trail-filtered")

    page.get_by_role("link", name="Clear filters").click()
    page.get_by_role("link", name="Older events →").click()
    expect(page.get_by_role("status").filter(has_text="Events 51–")).to_be_visible()
    page.get_by_role("link", name="← Newer events").click()
    expect(page.get_by_role("status").filter(has_text="Events 1–50 of")).to_be_visible()
