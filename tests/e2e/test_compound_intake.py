"""A compound prescription taken in on New Rx as a technician would: the formula chosen in the
drug lookup is what the prescription names, its every ingredient (excipients too) is checked
against the patient's allergies, and a returned fill keeps and changes the formula."""

from datetime import date, timedelta
from decimal import Decimal

from playwright.sync_api import expect

from portal.prescriptions.fills.models import Fill
from portal.prescriptions.models import Prescription
from tests.e2e.conftest import screenshot
from tests.e2e.helpers import sign_in
from tests.factories import (
    make_allergy,
    make_formula,
    make_ingredient,
    make_patient,
    make_pharmacy,
    make_prescriber,
    make_user,
)

TIMEOUT_MS = 30_000


def _formulas(pharmacist):
    hydrocortisone = make_ingredient(name="Hydrocortisone USP micronized", potency=Decimal(1))
    paraben = make_ingredient(name="Methylparaben NF", allergen_classes="parabens")
    cream_base = make_ingredient(name="Vanishing cream base")
    ointment_base = make_ingredient(name="White petrolatum")
    cream = make_formula(
        name="Hydrocortisone",
        strength="2.5%",
        dosage_form="cream",
        lines=[
            (hydrocortisone, Decimal("2.5"), "g", True),
            (paraben, Decimal("0.2"), "g", False),
            (cream_base, Decimal("97.3"), "g", False),
        ],
        approved_by=pharmacist,
    )
    ointment = make_formula(
        name="Hydrocortisone",
        strength="2.5%",
        dosage_form="ointment",
        preparation_type="nonaqueous",
        lines=[
            (hydrocortisone, Decimal("2.5"), "g", True),
            (ointment_base, Decimal("97.5"), "g", False),
        ],
        approved_by=pharmacist,
    )
    return cream, ointment


def _choose_drug(page, typed: str, title: str) -> None:
    page.get_by_label("Find the product or compounding formula").fill(typed)
    page.locator("#drug-choices").get_by_text("Choose the drug").wait_for()
    page.locator("#drug-choices label", has_text=title).locator("input[type=radio]").check()


def test_technician_enters_a_compound_on_new_rx_and_the_allergy_check_reads_its_ingredients(
    page, browser, live_server
):
    make_pharmacy()
    technician = make_user(roles=("technician",), full_name="Tess Nguyen")
    pharmacist = make_user(roles=("pharmacist",), full_name="Paula Reyes")
    cream, ointment = _formulas(pharmacist)
    patient = make_patient(last_name="Delgado", first_name="Rosa", date_of_birth=date(1971, 6, 2))
    make_allergy(patient, "parabens", kind="class", reaction="contact dermatitis")
    make_prescriber(last_name="Whitfield", first_name="Ana")
    page.set_default_timeout(TIMEOUT_MS)

    # New Rx, by keyboard and lookups: the compound is found by name like a product.
    sign_in(page, live_server, technician)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="New Rx").click()
    page.wait_for_url("**/prescriptions/new")  # the new page, not the one left
    page.wait_for_load_state("load")
    page.get_by_label("Find the patient").fill("delgado")
    page.get_by_label("Rosa").wait_for()
    page.get_by_label("Find the prescriber").fill("whitf")
    page.locator("#prescriber-choices").get_by_text("Choose the prescriber").wait_for()
    page.locator("#prescriber-choices input[type=radio]").first.check()
    _choose_drug(page, "hydrocort", cream.title)
    page.get_by_label("Directions (sig codes)").fill("aaa bid")
    page.get_by_label("Quantity", exact=True).fill("60")
    page.get_by_label("Unit").select_option("g")
    page.get_by_label("Days supply").fill("30")
    page.get_by_label("Refills authorized").fill("1")
    page.get_by_label("Date written").fill((date.today() - timedelta(days=1)).strftime("%m/%d/%Y"))
    screenshot(page, "compound-intake")
    page.get_by_role("button", name="Send to pharmacist").click()
    page.get_by_text("Rx 100001 for Delgado, Rosa sent to the pharmacist.").wait_for()

    rx = Prescription.get(Prescription.rx_number == 100001)
    assert rx.formula_id == cream.id and rx.product_id is None
    fill = rx.fills.get()

    # Data verification names the compound and blocks on the paraben in its base.
    rph = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    rph.set_default_timeout(TIMEOUT_MS)
    sign_in(rph, live_server, pharmacist)
    rph.goto(f"{live_server.url}/fills/{fill.id}/verify-data")
    rph.get_by_role("heading", name="Data verification").wait_for()
    expect(rph.get_by_text("(no drug chosen yet)")).to_have_count(0)
    expect(rph.get_by_text(cream.title).first).to_be_visible()
    expect(rph.get_by_text("BLOCKS", exact=True)).to_be_visible()
    expect(rph.get_by_text("Methylparaben NF").first).to_be_visible()
    screenshot(rph, "compound-verify-data-allergy")
    rph.get_by_text("Return to the technician").click()
    rph.get_by_label("What the technician must correct").fill(
        "Paraben allergy: the prescriber agreed to the paraben-free ointment."
    )
    rph.get_by_role("button", name="Return to technician").click()
    rph.get_by_text("returned to the technician").wait_for()

    # The returned fill shows the compound still chosen; the technician changes the formula.
    page.goto(f"{live_server.url}/fills/{fill.id}/entry")
    page.get_by_text("Returned by the pharmacist:").wait_for()
    page.wait_for_load_state("load")
    expect(page.locator("#drug-choices input[type=radio]:checked")).to_have_value(
        f"formula:{cream.id}"
    )
    _choose_drug(page, "hydrocort oint", ointment.title)
    page.get_by_role("button", name="Send to pharmacist").click()
    page.get_by_text("sent to the pharmacist").wait_for()
    assert Prescription.get_by_id(rx.id).formula_id == ointment.id

    rph.goto(f"{live_server.url}/fills/{fill.id}/verify-data")
    expect(rph.get_by_text(ointment.title).first).to_be_visible()
    rph.get_by_text("All clear").wait_for()
    screenshot(rph, "compound-verify-data-clear")
    rph.get_by_role("button", name="Approve").click()
    rph.get_by_text("verified").first.wait_for()
    # A verified compound goes to be compounded, not to the shelf.
    assert Fill.get_by_id(fill.id).status == "compound"
    rph.context.close()
