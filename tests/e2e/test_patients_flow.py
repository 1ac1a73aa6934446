"""In a browser: find a patient by typing part of the name, add an allergy and a coverage;
the new-patient form's errors and duplicate warning."""

from datetime import date

from playwright.sync_api import expect

from tests.e2e.conftest import screenshot
from tests.e2e.helpers import sign_in
from tests.factories import make_allergy, make_patient, make_payer, make_pharmacy, make_user


def test_find_patient_add_allergy_and_coverage(page, live_server):
    make_pharmacy()
    user = make_user(roles=("technician",), full_name="Tina Tran")
    make_payer(name="Heartland Blue PPO", code="HBLUE", bin="003858", pcn="A4")
    make_patient(
        last_name="Smith",
        first_name="John",
        middle_name="Allen",
        date_of_birth=date(1960, 1, 2),
        phone="(217) 555-0110",
    )
    make_patient(last_name="Smithson", first_name="Ava", date_of_birth=date(1982, 7, 1))
    make_allergy(make_patient(last_name="Smythe", first_name="Lee"), "penicillins")
    sign_in(page, live_server, user)

    page.locator("#top-search").fill("smith")
    page.locator("#top-search").press("Enter")
    page.wait_for_url("**/patients/search?q=smith")
    search = page.get_by_label("Name, date of birth, phone or Rx number")
    search.fill("")
    search.press_sequentially("smi", delay=40)
    results = page.locator("#patient-results")
    results.get_by_text("Smithson, Ava").wait_for()
    # Results of "sm" may still be on screen for a moment: wait for those of "smi".
    expect(results.get_by_text("Smythe, Lee")).to_have_count(0)
    search.press_sequentially("th, jo", delay=40)
    expect(results.get_by_text("Smithson, Ava")).to_have_count(0)
    screenshot(page, "patients-search-typing")
    results.get_by_role("link", name="Smith, John A.").click()

    expect(page.get_by_role("heading", name="Allergies NOT ASKED")).to_be_visible()
    page.get_by_role("link", name="Add allergy").click()
    page.get_by_label("Allergic to").fill("sulfonamides")
    page.get_by_label("Reaction").fill("hives, swelling of lips")
    page.get_by_label("Severity").select_option("severe")
    screenshot(page, "patients-allergy-form")
    page.get_by_role("button", name="Add allergy").click()
    expect(page.get_by_text("Allergy to sulfonamides recorded.")).to_be_visible()
    expect(page.get_by_role("heading", name="Allergies (1)")).to_be_visible()

    page.get_by_role("link", name="Add coverage").click()
    page.get_by_label("Payer").select_option(label="Heartland Blue PPO (BIN 003858)")
    page.get_by_label("Member (cardholder) ID").fill("zx12345678")
    page.get_by_label("Person code").fill("99999")
    page.get_by_role("button", name="Add coverage").click()
    expect(page.get_by_text("A person code is up to 3 digits")).to_be_visible()
    expect(page.get_by_label("Member (cardholder) ID")).to_have_value("zx12345678")
    screenshot(page, "patients-coverage-form-error")
    page.get_by_label("Person code").fill("01")
    page.get_by_label("Group").fill("RX4410")
    page.get_by_role("button", name="Add coverage").click()
    expect(page.get_by_text("Heartland Blue PPO coverage added.")).to_be_visible()
    expect(page.get_by_role("cell", name="ZX12345678")).to_be_visible()
    expect(page.get_by_role("cell", name="003858 / A4")).to_be_visible()
    screenshot(page, "patients-patient-page")


def test_new_patient_errors_then_duplicate_warning(page, live_server):
    make_pharmacy()
    user = make_user(roles=("technician",))
    existing = make_patient(
        last_name="Rivera", first_name="Ana", date_of_birth=date(1975, 3, 4), phone="(217) 555-0123"
    )
    sign_in(page, live_server, user)
    page.goto(f"{live_server.url}/patients/search?q=rivera, ana")
    page.get_by_role("link", name="New patient").click()
    expect(page.get_by_label("Last name")).to_have_value("Rivera")
    page.get_by_label("Date of birth").fill("3/4/19755")
    page.get_by_label("Phone", exact=True).fill("555-01")
    page.get_by_role("button", name="Save new patient").click()
    expect(page.get_by_text("Enter a real date as MM/DD/YYYY")).to_be_visible()
    expect(page.get_by_text("Enter a 10-digit phone number")).to_be_visible()
    screenshot(page, "patients-new-errors")
    page.get_by_label("Date of birth").fill("3/4/75")
    page.get_by_label("Phone", exact=True).fill("217 555 0199")
    page.get_by_role("button", name="Save new patient").click()
    expect(page.get_by_role("heading", name="Is this someone already on file?")).to_be_visible()
    assert (
        page.get_by_role("link", name="Rivera, Ana")
        .get_attribute("href")
        .endswith(f"/patients/{existing.id}")
    )
    screenshot(page, "patients-duplicate-warning")
    page.get_by_label("This is a different person — save anyway").check()
    page.get_by_role("button", name="Save new patient").click()
    expect(page.get_by_text("Ana Rivera added.")).to_be_visible()
