"""A prescription from the counter to the patient's hands, in a real browser: the happy path
for a manufactured product, and a fill returned to the technician and sent again."""

import subprocess
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

from PIL import Image, ImageDraw
from playwright.sync_api import expect

from portal.catalog.rules import gs1_check_digit
from tests.e2e.conftest import ARTIFACTS, screenshot
from tests.e2e.helpers import sign_in
from tests.factories import (
    make_allergy,
    make_fill,
    make_ingredient,
    make_lot,
    make_patient,
    make_pharmacy,
    make_prescriber,
    make_prescription,
    make_product,
    make_user,
)

# Many steps, two terminals: generous waits so a loaded test machine is slow, not failing.
TIMEOUT_MS = 30_000
UPC = "36818051301" + str(gs1_check_digit("36818051301"))  # NDC 68180-0513-01


def _scan_of_the_original(folder: Path) -> Path:
    """A photo-like image of a paper prescription, to attach at intake."""
    image = Image.new("RGB", (900, 560), "#fbfaf4")
    draw = ImageDraw.Draw(image)
    draw.rectangle((12, 12, 888, 548), outline="#1f3a5f", width=4)
    lines = [
        ("Ana Whitfield, MD  ·  800 N Rutledge St, Springfield IL", 34),
        ("NPI 1000000011   DEA BW0000011", 70),
        ("Patient: Grace Okafor      DOB 03/14/1958", 140),
        ("Rx  Amoxicillin 500 mg capsules", 210),
        ("Sig: 1 cap po bid x10d", 260),
        ("Disp: #20 (twenty)       Refills: 1", 310),
        ("Date: " + (date.today() - timedelta(days=2)).strftime("%m/%d/%Y"), 360),
        ("Signature: ______A. Whitfield______", 470),
    ]
    for text, y in lines:
        draw.text((40, y), text, fill="#1b1b1b", font_size=28)
    path = folder / "original-rx.png"
    image.save(path)
    return path


def _second_page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.set_default_timeout(TIMEOUT_MS)
    return context.new_page()


def _setup():
    make_pharmacy()
    technician = make_user(roles=("technician",), full_name="Tess Nguyen")
    pharmacist = make_user(roles=("pharmacist",), full_name="Paul Okonkwo")
    patient = make_patient(last_name="Okafor", first_name="Grace", date_of_birth=date(1958, 3, 14))
    make_allergy(patient, "sulfonamides", kind="class", reaction="rash", severity="moderate")
    prescriber = make_prescriber(last_name="Whitfield", first_name="Ana")
    amoxicillin = make_ingredient(name="Amoxicillin", allergen_classes="penicillins")
    product = make_product(
        ingredients=[amoxicillin],
        name="Amoxicillin",
        strength="500 mg",
        dosage_form="capsule",
        ndc="68180-0513-01",
        manufacturer="Aurobindo",
    )
    make_lot(product, quantity=Decimal(500), lot_number="AMX2291")
    return technician, pharmacist, patient, prescriber


def test_prescription_happy_path_for_a_manufactured_product(page, browser, live_server, tmp_path):
    technician, pharmacist, patient, prescriber = _setup()
    page.set_default_timeout(TIMEOUT_MS)
    sign_in(page, live_server, technician)

    # Intake: the keyboard-first screen, the sig in words as it is typed.
    page.get_by_role("navigation", name="Main").get_by_role("link", name="New Rx").click()
    # Typed before htmx has set up the page, the search would never be sent (seen in CI).
    page.wait_for_url("**/prescriptions/new")
    page.wait_for_load_state()
    page.get_by_label("Find the patient").fill("okafor")
    page.get_by_label("Grace").wait_for()
    page.get_by_label("Find the prescriber").fill("whitf")
    page.locator("#prescriber-choices").get_by_text("Choose the prescriber").wait_for()
    page.locator("#prescriber-choices input[type=radio]").first.check()
    page.get_by_label("Find the product").fill("amoxi")
    page.locator("#drug-choices").get_by_text("Choose the drug").wait_for()
    page.locator("#drug-choices input[type=radio]").first.check()
    page.get_by_label("Directions (sig codes)").fill("1 cap po bid x10d")
    page.get_by_text("Take 1 capsule by mouth twice daily for 10 days").wait_for()
    page.get_by_label("Quantity", exact=True).fill("20")
    page.get_by_label("Unit").select_option("cap")
    page.get_by_label("Days supply").fill("10")
    page.get_by_label("Refills authorized").fill("1")
    page.get_by_label("Date written").fill((date.today() - timedelta(days=2)).strftime("%m/%d/%Y"))
    page.get_by_label("Priority").select_option("waiting")
    page.get_by_label("Scan or photo of the original").set_input_files(
        str(_scan_of_the_original(tmp_path))
    )
    screenshot(page, "rx-intake")
    page.get_by_role("button", name="Send to pharmacist").click()
    page.get_by_text("Rx 100001 for Okafor, Grace sent to the pharmacist.").wait_for()

    # The pharmacist's queue: tabs with counts; data verification side by side.
    rph = _second_page(browser)
    sign_in(rph, live_server, pharmacist)
    rph.get_by_role("navigation", name="Main").get_by_role("link", name="Queues").click()
    tab = rph.get_by_role("navigation", name="Queues").get_by_role("link", name="Data verification")
    expect(tab.locator(".count")).to_have_text("1")
    screenshot(rph, "rx-queue")
    rph.get_by_role("link", name="Open").first.click()
    rph.get_by_role("heading", name="Data verification").wait_for()
    screenshot(rph, "rx-verify-data")
    rph.get_by_alt_text("Scan of the original prescription 100001").wait_for()
    # Passed checks are one line; opened, each says what it checked.
    rph.locator(".checks-passed summary").click()
    expect(rph.get_by_text("No match with the patient's allergies (sulfonamides)")).to_be_visible()
    rph.get_by_role("button", name="Approve").click()
    rph.get_by_text("Rx 100001-0 verified").wait_for()

    # Filling: scan the stock bottle, the first-expiring lot is offered.
    page.goto(f"{live_server.url}/queue?state=fill")
    page.get_by_role("link", name="Open").first.click()
    page.get_by_label("Scan the stock bottle's barcode").fill(UPC)
    screenshot(page, "rx-fill")
    page.get_by_role("button", name="Filled — to final verification").click()
    page.get_by_text("waiting for final verification").wait_for()

    # Final verification: product against the label, scan must match.
    rph.goto(f"{live_server.url}/queue?state=final_verify")
    rph.get_by_role("link", name="Open").first.click()
    rph.get_by_label("Scan the package barcode").fill(UPC)
    screenshot(rph, "rx-verify-final")
    rph.get_by_role("button", name="Approve — ready for pickup").click()
    rph.get_by_text("Rx 100001-0 is ready for pickup.").wait_for()

    # The counter: is it ready? Then hand it out.
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Is it ready?").click()
    page.get_by_label("Last name").fill("Okafor")
    page.get_by_label("Date of birth").fill("03/14/1958")
    page.get_by_role("button", name="Look up").click()
    page.get_by_text("Ready for pickup").first.wait_for()
    screenshot(page, "rx-is-it-ready")
    page.get_by_role("link", name="Hand out").click()
    page.get_by_label("Offered, accepted: the pharmacist counsels").check()
    screenshot(page, "rx-pickup")
    page.get_by_role("button", name="Picked up").click()
    page.get_by_text("Rx 100001-0 picked up by Grace Okafor.").wait_for()

    page.goto(f"{live_server.url}/rx/100001")
    expect(page.get_by_text("1 authorized · 1 left")).to_be_visible()
    screenshot(page, "rx-prescription")


def test_fill_returned_to_the_technician_and_sent_again(page, browser, live_server):
    technician, pharmacist, patient, prescriber = _setup()
    smx = make_ingredient(name="Sulfamethoxazole", allergen_classes="sulfonamides")
    bactrim = make_product(
        ingredients=[smx],
        name="Sulfamethoxazole-Trimethoprim DS",
        strength="800-160 mg",
        ndc="53746-0272-01",
    )
    blocked = make_fill(
        make_prescription(
            patient=patient,
            prescriber=prescriber,
            product=bactrim,
            sig="1 tab po bid x10d",
            quantity=Decimal(14),
            quantity_unit="tab",
            days_supply=10,
            user=technician,
        )
    )

    page.set_default_timeout(TIMEOUT_MS)
    rph = _second_page(browser)
    sign_in(rph, live_server, pharmacist)
    rph.goto(f"{live_server.url}/fills/{blocked.id}/verify-data")
    expect(rph.get_by_text("BLOCKS", exact=True)).to_be_visible()
    expect(rph.get_by_text("Warning", exact=True).first).to_be_visible()
    screenshot(rph, "rx-verify-data-block-and-warn")
    rph.get_by_text("Return to the technician").click()
    rph.get_by_label("What the technician must correct").fill(
        "Allergic to sulfa: call the prescriber for an alternative; quantity should be 20"
    )
    rph.get_by_role("button", name="Return to technician").click()
    rph.get_by_text("returned to the technician").wait_for()

    sign_in(page, live_server, technician)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Queues").click()
    expect(page.get_by_text("Returned", exact=True)).to_be_visible()
    screenshot(page, "rx-queue-returned")
    page.get_by_role("link", name="Open").first.click()
    page.get_by_text("Returned by the pharmacist:").wait_for()
    # Typed before htmx has set up the search box, the search would never be sent.
    page.wait_for_load_state("load")
    page.get_by_label("Find the product").fill("amoxi")
    page.locator("#drug-choices").get_by_text("Choose the drug").wait_for()
    page.locator("#drug-choices input[type=radio]").first.check()
    page.get_by_label("Directions (sig codes)").fill("1 cap po bid x10d")
    page.get_by_label("Quantity", exact=True).fill("20")
    page.get_by_label("Unit").select_option("cap")
    screenshot(page, "rx-data-entry-returned")
    page.get_by_role("button", name="Send to pharmacist").click()
    page.get_by_text("sent to the pharmacist").wait_for()

    rph.goto(f"{live_server.url}/fills/{blocked.id}/verify-data")
    rph.get_by_text("All clear").wait_for()
    rph.get_by_role("button", name="Approve").click()
    rph.get_by_text("verified").first.wait_for()

    # Ask the prescriber from the fill, and print the request.
    rph.goto(f"{live_server.url}/fills/{blocked.id}")
    rph.get_by_role("link", name="Ask the prescriber").click()
    rph.get_by_label("Question for the prescriber").fill(
        "Patient reports a sulfa allergy; please confirm amoxicillin 500 mg bid x10d instead."
    )
    rph.get_by_role("button", name="Record the question and hold").click()
    rph.get_by_text("Question recorded").wait_for()
    screenshot(rph, "rx-clarification")
    pdf_link = rph.get_by_role("link", name="Print the request (PDF)").get_attribute("href")
    pdf = rph.request.get(f"{live_server.url}{pdf_link}")
    assert pdf.headers["content-type"] == "application/pdf"
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "rx-clarification.pdf").write_bytes(pdf.body())
    subprocess.run(
        [
            "pdftoppm",
            "-png",
            "-r",
            "70",
            "-singlefile",
            str(ARTIFACTS / "rx-clarification.pdf"),
            str(ARTIFACTS / "rx-clarification-pdf"),
        ],
        check=True,
    )
