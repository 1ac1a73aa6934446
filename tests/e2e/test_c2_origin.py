"""A telephoned C-II, as staff meet it: the technician takes it in as received by
telephone, the pharmacist finds it refused at data verification (no override), records it
as an emergency oral order, approves it, and the follow-up prescription shows on the start
page and above the queues until it is recorded."""

from datetime import date

from playwright.sync_api import expect

from portal.prescriptions.controlled.models import ControlledOrigin
from portal.prescriptions.fills.models import Fill
from tests.e2e.conftest import screenshot
from tests.e2e.helpers import sign_in
from tests.factories import (
    make_ingredient,
    make_patient,
    make_pharmacy,
    make_prescriber,
    make_product,
    make_user,
)

TIMEOUT_MS = 30_000


def _setup():
    make_pharmacy()
    technician = make_user(roles=("technician",), full_name="Tess Nguyen")
    pharmacist = make_user(roles=("pharmacist",), full_name="Paul Okonkwo")
    make_patient(last_name="Okafor", first_name="Grace", date_of_birth=date(1958, 3, 14))
    make_prescriber(last_name="Whitfield", first_name="Ana")
    oxycodone = make_ingredient(name="Oxycodone hydrochloride", schedule="2")
    make_product(
        ingredients=[oxycodone],
        name="Oxycodone HCl",
        strength="5 mg",
        dosage_form="tablet",
        schedule="2",
    )
    return technician, pharmacist


def _take_in_by_telephone(page, live_server):
    page.goto(f"{live_server.url}/prescriptions/new")
    page.get_by_label("Find the patient").fill("okafor")
    page.get_by_label("Grace").wait_for()
    page.get_by_label("Find the prescriber").fill("whitf")
    page.locator("#prescriber-choices").get_by_text("Choose the prescriber").wait_for()
    page.locator("#prescriber-choices input[type=radio]").first.check()
    page.get_by_label("Find the product").fill("oxyc")
    page.locator("#drug-choices").get_by_text("Choose the drug").wait_for()
    page.locator("#drug-choices input[type=radio]").first.check()
    page.get_by_label("Directions (sig codes)").fill("1 tab po q6h prn pain")
    page.get_by_label("Quantity", exact=True).fill("12")
    page.get_by_label("Unit").select_option("tab")
    page.get_by_label("Days supply").fill("3")
    page.get_by_label("Refills authorized").fill("0")
    page.get_by_label("Received as").select_option("phone")
    page.get_by_role("button", name="Send to pharmacist").click()
    page.get_by_text("Rx 100001 for Okafor, Grace sent to the pharmacist.").wait_for()


def test_phoned_c2_is_refused_then_recorded_as_emergency_oral_with_its_follow_up(
    page, browser, live_server
):
    technician, pharmacist = _setup()
    page.set_default_timeout(TIMEOUT_MS)
    sign_in(page, live_server, technician)
    _take_in_by_telephone(page, live_server)

    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.set_default_timeout(TIMEOUT_MS)
    rph = context.new_page()
    sign_in(rph, live_server, pharmacist)
    fill = Fill.get()
    rph.goto(f"{live_server.url}/fills/{fill.id}/verify-data")

    # Refused, in words, and no "override and approve" is offered.
    expect(rph.get_by_text("Refused: this is not yet a prescription")).to_be_visible()
    expect(rph.get_by_text("A telephoned C-II is not a prescription").first).to_be_visible()
    expect(rph.get_by_role("button", name="Override and approve")).to_have_count(0)
    screenshot(rph, "c2-phoned-refused")

    # The pharmacist reduces it to writing as an emergency oral order.
    rph.get_by_role("link", name="Telephoned C-II: record the emergency oral order").click()
    rph.get_by_label("Emergency quantity").fill("20")
    rph.get_by_label("The emergency, as the prescriber described it").fill(
        "Dr Whitfield called: hip fracture, discharged tonight; written Rx to follow."
    )
    rph.get_by_role("button", name="Record emergency oral order").click()
    expect(rph.get_by_text("cannot be more than the 12 tablets prescribed")).to_be_visible()
    expect(rph.get_by_label("The emergency, as the prescriber described it")).to_have_value(
        "Dr Whitfield called: hip fracture, discharged tonight; written Rx to follow."
    )
    screenshot(rph, "c2-emergency-form-refused")
    rph.get_by_label("Emergency quantity").fill("12")
    rph.get_by_role("button", name="Record emergency oral order").click()
    rph.get_by_text("recorded as an emergency oral order for 12").wait_for()

    # Back at data verification: the origin check passes, and it can be approved.
    rph.get_by_role("heading", name="Data verification").wait_for()
    expect(rph.get_by_role("button", name="Approve")).to_be_visible()
    screenshot(rph, "c2-emergency-recorded")
    # The patient was never asked about allergies: a warning the pharmacist acknowledges.
    rph.get_by_label("I have read the warnings and judge this fill safe to go ahead").check()
    rph.get_by_role("button", name="Approve").click()
    rph.get_by_text("Rx 100001-0 verified").wait_for()

    # The follow-up shows on the start page and above the queues.
    row = ControlledOrigin.get()
    due = row.follow_up_due.strftime("%m/%d/%Y")
    rph.goto(f"{live_server.url}/")
    follow_up = rph.get_by_role("link", name="Emergency C-II Rx 100001 (Okafor, Grace)")
    expect(follow_up).to_contain_text(f"due by {due}")
    screenshot(rph, "c2-follow-up-start-page")
    page.goto(f"{live_server.url}/queue")
    expect(page.get_by_role("heading", name="Emergency C-II follow-ups")).to_be_visible()
    screenshot(page, "c2-follow-up-queue")

    # Until the prescriber's prescription is recorded as received.
    follow_up.click()
    rph.get_by_label("Prescriber's written or electronic prescription received").check()
    rph.get_by_role("button", name="Record the follow-up").click()
    rph.get_by_text("emergency follow-up received").wait_for()
    screenshot(rph, "c2-follow-up-received")
    rph.goto(f"{live_server.url}/")
    expect(rph.get_by_text("Emergency C-II Rx 100001")).to_have_count(0)
