"""Master formulas in a browser: a technician drafts one, a pharmacist co-signs the approval."""

from decimal import Decimal

from tests.e2e.conftest import screenshot
from tests.e2e.helpers import sign_in
from tests.factories import make_ingredient, make_pharmacy, make_user


def test_technician_drafts_a_formula_and_a_pharmacist_cosigns_approval(page, live_server):
    page.set_default_timeout(30_000)  # a loaded machine is slow, not broken
    make_pharmacy()
    make_ingredient(name="Ketoprofen USP", potency=Decimal("0.995"), allergen_classes="nsaids")
    make_ingredient(name="Pluronic lecithin organogel (PLO)", potency=Decimal(1))
    pharmacist = make_user(roles=("pharmacist",), full_name="Paula Reyes")
    technician = make_user(roles=("technician",), full_name="Tess Nguyen")
    sign_in(page, live_server, technician)

    page.goto(live_server.url + "/compounding/formulas")
    screenshot(page, "compounding-formulas-empty")
    page.get_by_role("link", name="New master formula").first.click()
    page.get_by_label("Name", exact=True).fill("Ketoprofen")
    page.get_by_label("Strength").fill("10%")
    page.get_by_label("Dosage form").fill("gel")
    page.get_by_label("Route").select_option("transdermal")
    page.get_by_label("The formula makes").fill("100")
    page.get_by_label("Ingredient or product, line 1").select_option(label="Ketoprofen USP (g)")
    page.get_by_label("Amount per batch basis, line 1").fill("10")
    page.get_by_label("Active ingredient, line 1").check()
    page.get_by_label("Ingredient or product, line 2").select_option(
        label="Pluronic lecithin organogel (PLO) (g)"
    )
    page.get_by_label("Amount per batch basis, line 2").fill("90")
    page.get_by_label("Method of preparation").fill(
        "Weigh the ketoprofen.\nWet it with a little ethoxydiglycol.\nAdd the PLO and mix in the "
        "ointment mill until smooth."
    )
    page.get_by_label("Equipment").fill("Class III balance\nOintment mill\nGlass slab")
    page.get_by_label("Check, line 1").select_option("final_weight")
    page.get_by_label("Check, line 2").select_option("appearance")
    page.get_by_label("Expected, line 2").fill("Smooth pale yellow gel, no grit")
    page.get_by_label("Preparation type (for the BUD)").select_option("aqueous")
    page.get_by_label("Auxiliary labels").fill("For external use only\nRefrigerate")
    screenshot(page, "compounding-formula-form")
    page.get_by_role("button", name="Save draft").first.click()
    page.get_by_text("Draft saved: Ketoprofen 10% gel, version 1").wait_for()
    screenshot(page, "compounding-formula-draft")

    page.get_by_role("button", name="Approve version 1").click()
    page.get_by_text("Pharmacist approval needed").wait_for()
    page.get_by_label("Pharmacist's PIN or badge").fill(pharmacist.pin)
    screenshot(page, "compounding-formula-cosign")
    page.get_by_role("button", name="Approve version 1").click()
    page.get_by_text("Approved: Ketoprofen 10% gel, version 1, by Paula Reyes.").wait_for()
    screenshot(page, "compounding-formula-approved")

    page.get_by_role("button", name="Edit (makes version 2)").click()
    page.get_by_label("Strength").fill("15%")
    page.get_by_label("Amount per batch basis, line 1").fill("15")
    page.get_by_label("Amount per batch basis, line 2").fill("85")
    page.get_by_role("button", name="Save draft").first.click()
    page.get_by_text("Draft saved: Ketoprofen 15% gel, version 2").wait_for()
    page.goto(live_server.url + "/compounding/formulas")
    screenshot(page, "compounding-formulas-list")
