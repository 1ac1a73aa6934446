"""The compound path end to end, through the browser: a technician enters a compound on New Rx,
the pharmacist verifies it (the allergy check reads every ingredient, through the knowledge
base's classes), the technician compounds it (batch record), its label prints, the
pharmacist checks the preparation by its label's internal ID, and it is billed."""

from datetime import date, timedelta
from decimal import Decimal

from playwright.sync_api import expect

from portal.claims.claims.models import Claim
from portal.compounding.records.models import CompoundingRecord
from portal.labels.models import LabelPrint
from portal.prescriptions.fills.models import Fill
from portal.prescriptions.models import Prescription
from tests.e2e.conftest import screenshot
from tests.e2e.helpers import sign_in
from tests.factories import (
    make_allergy,
    make_cleaning,
    make_coverage,
    make_formula,
    make_ingredient,
    make_lot,
    make_patient,
    make_payer,
    make_pharmacy,
    make_prescriber,
    make_user,
)

TIMEOUT_MS = 30_000


def test_a_compound_from_new_rx_to_a_bill(page, browser, live_server):
    make_pharmacy()
    technician = make_user(roles=("technician",), full_name="Tess Nguyen")
    pharmacist = make_user(roles=("pharmacist",), full_name="Paula Reyes")
    ketoprofen = make_ingredient(name="Ketoprofen USP", potency=Decimal(1), allergen_classes="")
    base = make_ingredient(name="Lipoderm base", potency=Decimal(1))
    formula = make_formula(
        name="Ketoprofen",
        strength="10%",
        dosage_form="transdermal cream",
        lines=[(ketoprofen, Decimal(10), "g", True), (base, Decimal(90), "g", False)],
        approved_by=pharmacist,
    )
    make_lot(ketoprofen, quantity=Decimal(100), lot_number="KP-0101", supplier="Medisca",
             expires_on=date.today() + timedelta(days=300))  # fmt: skip
    make_lot(base, quantity=Decimal(1000), lot_number="LD-2201", supplier="PCCA",
             expires_on=date.today() + timedelta(days=300))  # fmt: skip
    make_cleaning(user=technician)
    patient = make_patient(last_name="Delgado", first_name="Rosa", date_of_birth=date(1971, 6, 2))
    make_allergy(patient, "aspirin", kind="ingredient", reaction="wheezing")
    make_coverage(patient, make_payer(name="MedRx Benefit Services", code="MEDRX"))
    make_prescriber(last_name="Whitfield", first_name="Ana")
    page.set_default_timeout(TIMEOUT_MS)

    # New Rx, as a technician.
    sign_in(page, live_server, technician)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="New Rx").click()
    page.wait_for_url("**/prescriptions/new")  # the new page, not the one left
    page.wait_for_load_state("load")
    page.get_by_label("Find the patient").fill("delgado")
    page.get_by_label("Rosa").wait_for()
    page.get_by_label("Find the prescriber").fill("whitf")
    page.locator("#prescriber-choices").get_by_text("Choose the prescriber").wait_for()
    page.locator("#prescriber-choices input[type=radio]").first.check()
    page.get_by_label("Find the product or compounding formula").fill("ketopro")
    page.locator("#drug-choices").get_by_text("Choose the drug").wait_for()
    chosen = page.locator("#drug-choices label", has_text=formula.title).locator(
        "input[type=radio]"
    )
    chosen.check()
    expect(chosen).to_be_checked()
    page.get_by_label("Directions (sig codes)").fill("aaa bid")
    page.get_by_label("Quantity", exact=True).fill("60")
    page.get_by_label("Unit").select_option("g")
    page.get_by_label("Days supply").fill("30")
    page.get_by_label("Refills authorized").fill("0")
    page.get_by_label("Date written").fill((date.today() - timedelta(days=1)).strftime("%m/%d/%Y"))
    page.get_by_role("button", name="Send to pharmacist").click()
    page.get_by_text("sent to the pharmacist.").wait_for()
    rx = Prescription.get(Prescription.formula == formula.id)
    fill = rx.fills.get()

    # Data verification: an aspirin allergy reaches ketoprofen through the NSAIDs class.
    rph = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    rph.set_default_timeout(TIMEOUT_MS)
    sign_in(rph, live_server, pharmacist)
    rph.goto(f"{live_server.url}/fills/{fill.id}/verify-data")
    rph.get_by_role("heading", name="Data verification").wait_for()
    expect(
        rph.get_by_text("ingredient Ketoprofen USP in this compound and aspirin are both NSAIDs")
    ).to_be_visible()
    screenshot(rph, "compound-path-verify-data")
    rph.get_by_label("Reason for overriding the blocking check").fill(
        "Aspirin reaction was GI upset per patient, not an allergy; prescriber confirmed"
    )
    rph.get_by_role("button", name="Override and approve").click()
    rph.get_by_text("verified").first.wait_for()
    assert Fill.get_by_id(fill.id).status == "compound"

    # The technician compounds it: the batch record.
    page.goto(live_server.url + "/compounding/records")
    page.get_by_role("button", name="Start compounding").click()
    page.get_by_role("heading", name="Compounding record #").wait_for()
    page.get_by_label("Measured amount of Ketoprofen USP in g").fill("6")
    page.get_by_label("Measured amount of Lipoderm base in g").fill("54")
    page.get_by_role("button", name="Save lots and amounts").click()
    page.get_by_text("Lots and amounts saved.").wait_for()
    page.get_by_label("Final weight in g").fill("60")
    page.get_by_label("Appearance: what you see").fill("Smooth, no grit")
    page.get_by_role("radiogroup", name="Appearance result").get_by_label("Pass").check()
    page.get_by_role("button", name="Save quality checks").click()
    page.get_by_text("Quality checks saved.").wait_for()
    page.get_by_role("button", name="Complete the record").click()
    page.get_by_text("Completed and sent to the pharmacist's final check.").wait_for()
    screenshot(page, "compound-path-record")

    # Its label prints.
    page.goto(f"{live_server.url}/labels/fills/{fill.id}")
    page.get_by_role("button", name="Print label").click()
    expect(page.locator("#print-frame-box")).to_be_visible()
    assert LabelPrint.select().where(LabelPrint.fill == fill.id).count() == 1

    # Final verification: the record approved, the label's internal ID scanned.
    rph.goto(f"{live_server.url}/fills/{fill.id}/verify-final")
    rph.get_by_role("button", name="Approve the compounding record").click()
    rph.get_by_text("Record approved by Paula Reyes.").wait_for()
    rph.get_by_label("Scan or type the internal ID on the preparation's label").fill(
        str(rx.rx_number)
    )
    screenshot(rph, "compound-path-final-verify")
    rph.get_by_role("button", name="Approve — ready for pickup").click()
    expect(rph.get_by_text(f"Rx {fill.rx_fill} is ready for pickup.")).to_be_visible()
    assert CompoundingRecord.get(CompoundingRecord.fill == fill.id).status == "approved"

    # Billed: the claim carries the compound's ingredients.
    page.goto(f"{live_server.url}/fills/{fill.id}")
    page.get_by_role("button", name="Bill insurance").click()
    segment = page.locator("#compound")
    expect(segment.get_by_role("cell", name="Ketoprofen USP")).to_be_visible()
    screenshot(page, "compound-path-claim")
    page.get_by_label("Paid", exact=True).check()
    page.get_by_label("Plan paid").fill("48.00")
    page.get_by_label("Patient pays").fill("10.00")
    page.get_by_role("button", name="Record response").click()
    expect(page.get_by_text("Response recorded: Paid.")).to_be_visible()
    assert Claim.get(Claim.fill == fill.id).status == "paid"
    rph.context.close()
