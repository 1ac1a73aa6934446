"""Screening as a pharmacist meets it: a drug from elsewhere put on the patient's profile, an
allergy chosen from the knowledge base as it is typed, an interaction pair added on the
knowledge base page, and data verification listing the alerts with their sources, asking for
an acknowledgement before the fill goes on."""

from datetime import date
from decimal import Decimal

from playwright.sync_api import expect

from portal.prescriptions.fills.models import Fill
from tests.e2e.conftest import screenshot
from tests.e2e.helpers import sign_in
from tests.factories import (
    make_ingredient,
    make_patient,
    make_pharmacy,
    make_prescription,
    make_product,
    make_user,
)

TIMEOUT_MS = 30_000


def test_pharmacist_screens_a_fill_against_other_medications_allergies_and_a_new_pair(
    page, live_server, tmp_path
):
    make_pharmacy()
    pharmacist = make_user(roles=("pharmacist",), full_name="Paula Reyes")
    patient = make_patient(
        last_name="Okafor", first_name="James", date_of_birth=date(1958, 3, 9),
        allergy_status="nkda",
    )  # fmt: skip
    oxycodone = make_product(
        ingredients=[make_ingredient(name="Oxycodone Hydrochloride", schedule="2")],
        name="Oxycodone HCl",
        strength="5 mg",
        dosage_form="tablet",
        schedule="2",
    )
    page.set_default_timeout(TIMEOUT_MS)
    sign_in(page, live_server, pharmacist)

    # The patient takes alprazolam from another pharmacy: on the profile.
    page.goto(f"{live_server.url}/patients/{patient.id}")
    page.get_by_role("link", name="Add other medication").click()
    page.get_by_label("Medication").fill("alprazolam 0.5 mg")
    page.get_by_label("Where from, dose, since when").fill("Walgreens, at bedtime")
    page.get_by_role("button", name="Add medication").click()
    page.get_by_text("alprazolam 0.5 mg added to the other medications").wait_for()
    # The dose was wrong: corrected from the profile.
    page.get_by_role("link", name="Change alprazolam 0.5 mg").click()
    page.get_by_label("Medication").fill("alprazolam 1 mg")
    page.get_by_role("button", name="Save changes").click()
    page.get_by_text("alprazolam 1 mg saved").wait_for()

    # An allergy, picked from the knowledge base's names as it is typed.
    page.get_by_role("link", name="Add allergy").first.click()
    allergen = page.get_by_label("Allergic to")
    allergen.press_sequentially("codei", delay=40)
    expect(page.locator("#allergen-suggestions option[value='codeine']")).to_have_count(1)
    allergen.fill("codeine")
    page.get_by_label("Reaction").fill("hives")
    page.get_by_role("button", name="Add allergy").click()
    page.get_by_text("Allergy to codeine recorded.").wait_for()
    screenshot(page, "screening-patient-profile")

    # A pair the pharmacy adds: on the knowledge base page, refused first for a typo.
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Drug knowledge").click()
    page.get_by_role("link", name="Interactions").click()
    page.get_by_role("link", name="Add interaction").click()
    page.get_by_label("Drug, ingredient or class").fill("oxycodone")
    page.get_by_label("With", exact=True).fill("grapefruit juce")
    page.get_by_label("Severity").select_option("moderate")
    page.get_by_label("Effect, in words").fill("raised oxycodone levels")
    page.get_by_label("Source").fill("Pharmacy policy 2026")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("“grapefruit juce” is not a drug, ingredient or class")).to_be_visible()
    screenshot(page, "screening-pair-refused")
    page.get_by_label("With", exact=True).fill("Strong CYP3A4 inhibitors")
    page.get_by_role("button", name="Save").click()
    page.get_by_text("Interaction saved.").wait_for()
    screenshot(page, "screening-knowledge-list")

    # A licensed file's table, by CSV: a line naming nothing is shown by its number first.
    bad = tmp_path / "dur-bad.csv"
    bad.write_text(
        "drug_a,drug_b,severity,effect,management,source\n"
        "warfarin,ibuprofen,major,bleeding,Check INR,Licensed DUR file\n"
        "warfarin,moonrock,major,?,,Licensed DUR file\n"
    )
    page.get_by_role("link", name="Import CSV").click()
    page.get_by_label("CSV file (classes, interactions or cross-sensitivity)").set_input_files(
        str(bad)
    )
    page.get_by_role("button", name="Preview").click()
    expect(page.get_by_text("Line 3: “moonrock” refers to no drug")).to_be_visible()
    expect(page.get_by_role("button", name="Import 2 lines")).to_have_count(0)
    screenshot(page, "screening-import-problems")
    page.get_by_role("button", name="Cancel").click()
    page.get_by_text("Import cancelled; nothing was written.").wait_for()
    good = tmp_path / "dur.csv"
    good.write_text(
        "class,member,kind,allergy_reaches_class,duplication,member_allergy,source\n"
        "Mood stabilizers,lithium,drug,no,yes,,Licensed DUR file\n"
    )
    page.get_by_label("CSV file (classes, interactions or cross-sensitivity)").set_input_files(
        str(good)
    )
    page.get_by_role("button", name="Preview").click()
    page.get_by_role("button", name="Import 1 line").click()
    page.get_by_text("Imported dur.csv: 1 classes added, 1 members added.").wait_for()

    # Data verification of an oxycodone fill: allergy class, interaction, each with a source.
    prescription = make_prescription(
        patient=patient, product=oxycodone, sig="1 tab po q6h prn pain",
        quantity=Decimal(20), quantity_unit="tab", days_supply=5,
    )  # fmt: skip
    fill = prescription.fills.get()
    page.goto(f"{live_server.url}/fills/{fill.id}/verify-data")
    page.get_by_role("heading", name="Data verification").wait_for()
    expect(page.get_by_text("are both Phenanthrene opioids").first).to_be_visible()
    expect(
        page.get_by_text("Major interaction: Oxycodone Hydrochloride with alprazolam")
    ).to_be_visible()
    expect(page.get_by_text("Source: FDA boxed warning, Aug 2016")).to_be_visible()
    screenshot(page, "screening-verify-data")

    page.get_by_label("Reason for overriding the blocking check").fill(
        "Took codeine in 2025 without reaction, per patient; prescriber aware"
    )
    page.get_by_role("button", name="Override and approve").click()
    expect(page.get_by_text("Tick this to say you have read the warnings")).to_be_visible()
    page.get_by_label("I have read the warnings and judge this fill safe to go ahead").check()
    page.get_by_role("button", name="Override and approve").click()
    page.get_by_text("verified").first.wait_for()
    assert Fill.get_by_id(fill.id).status == "fill"
