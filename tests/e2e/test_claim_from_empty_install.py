"""From an empty install to a paid claim, in a browser, as each person would: the pharmacy set
up, staff, payer, prescriber, product and stock added; a patient with coverage; the Rx through
New Rx, data verification, filling and final verification; the fill billed and marked
submitted; the payer's 835 uploaded by the manager, which pays it. Then the biller corrects
the paid claim with a B3 rebill; and, after a B2 reversal, the fill is billed again."""

from datetime import date, timedelta
from decimal import Decimal

from playwright.sync_api import expect

from portal.catalog.rules import gs1_check_digit
from portal.claims.claims.models import Claim
from tests.e2e.conftest import screenshot

TIMEOUT_MS = 30_000
PASSWORD = "a long passphrase"
UPC = "36818051301" + str(gs1_check_digit("36818051301"))  # NDC 68180-0513-01


def _sign_in(page, url, username):
    page.goto(f"{url}/login")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{url}/")


def _sign_out(page):
    page.get_by_role("button", name="Sign out").click()


def _set_up_the_pharmacy(page, url):
    page.goto(url + "/")
    page.get_by_label("Pharmacy name").fill("Oak Hill Pharmacy")
    page.get_by_label("Street address").fill("4 Oak Hill Road")
    page.get_by_label("City").fill("Dayton")
    page.get_by_label("State").select_option("OH")
    page.get_by_label("ZIP code").fill("45402")
    page.get_by_label("Phone", exact=True).fill("937-555-0100")
    page.get_by_label("Pharmacy NPI").fill("1234567893")
    page.get_by_label("NCPDP ID").fill("3612345")
    page.get_by_label("Your full name").fill("Maria Lopez")
    page.get_by_label("Username").fill("mlopez")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("Password again").fill(PASSWORD)
    page.get_by_role("button", name="Create pharmacy and sign in").click()
    page.wait_for_url(url + "/")


def _add_staff(page, full_name, username, role):
    page.get_by_role("link", name="Staff").first.click()
    page.get_by_role("link", name="Add a staff member").click()
    page.get_by_label("Full name").fill(full_name)
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("Password again").fill(PASSWORD)
    page.get_by_label(role).check()
    page.get_by_role("button", name="Add staff member").click()
    page.get_by_text(f"{full_name} can now sign in.").wait_for()


def _add_payer(page, url):
    page.goto(f"{url}/payers/")
    page.get_by_role("link", name="New payer").click()
    page.get_by_label("Plan or payer name").fill("CareDisc PBM")
    page.get_by_label("Short code").fill("CDISC")
    page.get_by_label("BIN").fill("610591")
    page.get_by_label("PCN").fill("CD")
    page.get_by_role("button", name="Add payer").click()
    page.get_by_text("Payer CareDisc PBM added.").wait_for()


def _add_product_and_stock(page, url):
    page.goto(f"{url}/inventory")
    page.get_by_role("link", name="Add product").first.click()
    page.get_by_label("NDC").fill("68180-0513-01")
    page.get_by_label("Name as labelled").fill("Amoxicillin")
    page.get_by_label("Strength").fill("500 mg")
    page.get_by_label("Dosage form").fill("capsule")
    page.get_by_label("Package size").fill("500")
    page.get_by_label("Manufacturer").fill("Aurobindo")
    page.get_by_label("Acquisition cost per package").fill("45.00")
    page.get_by_label("Active ingredients").fill("Amoxicillin")
    page.get_by_role("button", name="Add product").click()
    page.get_by_text("saved.").first.wait_for()
    page.get_by_role("link", name="Receive stock").click()
    page.get_by_label("Lot number").fill("AMX2291")
    expires = date.today() + timedelta(days=400)
    page.get_by_label("Expiration date").fill(expires.strftime("%m/%Y"))
    page.get_by_label("Quantity received").fill("500")
    page.get_by_role("button", name="Receive").click()
    expect(page.get_by_text("AMX2291").first).to_be_visible()


def _add_prescriber(page, url):
    page.get_by_role("link", name="Prescribers", exact=True).first.click()
    page.get_by_role("link", name="Add prescriber").click()
    page.get_by_label("First name").fill("Ana")
    page.get_by_label("Last name").fill("Whitfield")
    page.get_by_label("Credentials").select_option("MD")
    page.get_by_label("NPI").fill("1234567893")
    page.get_by_role("button", name="Add prescriber").click()
    page.get_by_text("Ana Whitfield, MD added.").wait_for()


def _add_patient_with_coverage(page, url):
    page.goto(f"{url}/patients/new")
    page.get_by_label("Last name").fill("Okafor")
    page.get_by_label("First name").fill("Grace")
    page.get_by_label("Date of birth").fill("03/14/1958")
    page.get_by_label("Phone", exact=True).fill("217 555 0110")
    page.get_by_role("button", name="Save new patient").click()
    page.get_by_text("Grace Okafor added.").wait_for()
    page.get_by_role("button", name="No known drug allergies").click()
    page.get_by_role("heading", name="NKDA — no known drug allergies").wait_for()
    page.get_by_role("link", name="Add coverage").click()
    page.get_by_label("Payer").select_option(label="CareDisc PBM (BIN 610591)")
    page.get_by_label("Member (cardholder) ID").fill("CD0001")
    page.get_by_role("button", name="Add coverage").click()
    page.get_by_text("CareDisc PBM coverage added.").wait_for()


def _new_rx(page):
    page.get_by_role("navigation", name="Main").get_by_role("link", name="New Rx").click()
    page.wait_for_url("**/prescriptions/new")  # the new page, not the one left
    page.wait_for_load_state("load")  # htmx listens before the search is typed
    page.get_by_label("Find the patient").fill("okafor")
    page.get_by_label("Grace").wait_for()
    page.get_by_label("Find the prescriber").fill("whitf")
    page.locator("#prescriber-choices").get_by_text("Choose the prescriber").wait_for()
    page.locator("#prescriber-choices input[type=radio]").first.check()
    page.get_by_label("Find the product").fill("amoxi")
    page.locator("#drug-choices").get_by_text("Choose the drug").wait_for()
    page.locator("#drug-choices input[type=radio]").first.check()
    page.get_by_label("Directions (sig codes)").fill("1 cap po bid x10d")
    page.get_by_label("Quantity", exact=True).fill("20")
    page.get_by_label("Unit").select_option("cap")
    page.get_by_label("Days supply").fill("10")
    page.get_by_label("Refills authorized").fill("0")
    page.get_by_label("Date written").fill((date.today() - timedelta(days=2)).strftime("%m/%d/%Y"))
    page.get_by_role("button", name="Send to pharmacist").click()
    page.get_by_text("Rx 100001 for Okafor, Grace sent to the pharmacist.").wait_for()


def _verify_data(page, url):
    page.goto(f"{url}/queue?state=data_verify")
    page.get_by_role("link", name="Open").first.click()
    page.get_by_role("heading", name="Data verification").wait_for()
    page.get_by_role("button", name="Approve").click()
    page.get_by_text("Rx 100001-0 verified").wait_for()


def _fill(page, url):
    page.goto(f"{url}/queue?state=fill")
    page.get_by_role("link", name="Open").first.click()
    page.get_by_label("Scan the stock bottle's barcode").fill(UPC)
    page.get_by_role("button", name="Filled — to final verification").click()
    page.get_by_text("waiting for final verification").wait_for()


def _verify_final(page, url):
    page.goto(f"{url}/queue?state=final_verify")
    page.get_by_role("link", name="Open").first.click()
    page.get_by_label("Scan the package barcode").fill(UPC)
    page.get_by_role("button", name="Approve — ready for pickup").click()
    page.get_by_text("Rx 100001-0 is ready for pickup.").wait_for()


def _bill(page, url) -> Claim:
    """The technician bills the fill from its page and marks the claim submitted."""
    page.goto(f"{url}/rx/100001")
    page.get_by_role("link", name="Original fill").click()
    page.get_by_role("button", name="Bill insurance").click()
    page.get_by_text("Submit it in the payer's portal").wait_for()
    page.get_by_role("button", name="Mark as submitted").click()
    page.get_by_text("Claim marked submitted").wait_for()
    return Claim.get(Claim.rx_number == "100001")


def _payers_835(claim: Claim, trace: str) -> str:
    """The PBM's remittance for the claim: paid less a $2.00 copay, Rx number in CLP01."""
    billed = claim.billed
    paid = billed - Decimal("2.00")
    served = claim.date_of_service.strftime("%Y%m%d")
    ndc = claim.product_id.replace("-", "")
    segments = [
        "ISA*00*          *00*          *ZZ*CAREDISC       *ZZ*OAKHILL        "
        "*250310*1415*^*00501*000000901*0*P*:",
        "GS*HP*CAREDISC*OAKHILL*20250310*1415*901*X*005010X221A1",
        "ST*835*0001",
        f"BPR*I*{paid}*C*ACH************{date.today():%Y%m%d}",
        f"TRN*1*{trace}*1411111111",
        "N1*PR*CAREDISC PBM",
        "N1*PE*OAK HILL PHARMACY*XX*1234567893",
        f"CLP*100001*1*{billed}*{paid}*2.00*MC*PBM1",
        "NM1*QC*1*OKAFOR*GRACE****MI*CD0001",
        f"DTM*232*{served}",
        f"SVC*N4:{ndc}*{billed}*{paid}**20",
        "CAS*PR*3*2.00",
    ]
    segments += [f"SE*{len(segments) - 1}*0001", "GE*1*901", "IEA*1*000000901"]
    return "".join(f"{segment}~\n" for segment in segments)


def _empty_install_to_a_paid_claim(page, url, tmp_path) -> Claim:
    page.set_default_timeout(TIMEOUT_MS)
    _set_up_the_pharmacy(page, url)
    _add_staff(page, "Tess Nguyen", "tnguyen", "Technician")
    _add_staff(page, "Paul Okonkwo", "pokonkwo", "Pharmacist")
    _add_payer(page, url)
    _sign_out(page)

    _sign_in(page, url, "pokonkwo")
    _add_product_and_stock(page, url)
    _sign_out(page)

    _sign_in(page, url, "tnguyen")
    _add_prescriber(page, url)
    _add_patient_with_coverage(page, url)
    _new_rx(page)
    _sign_out(page)

    _sign_in(page, url, "pokonkwo")
    _verify_data(page, url)
    _sign_out(page)

    _sign_in(page, url, "tnguyen")
    _fill(page, url)
    _sign_out(page)

    _sign_in(page, url, "pokonkwo")
    _verify_final(page, url)
    _sign_out(page)

    _sign_in(page, url, "tnguyen")
    claim = _bill(page, url)
    screenshot(page, "claims-empty-install-submitted")
    _sign_out(page)

    # The manager uploads the payer's 835: the copay leaves the claim paid.
    _sign_in(page, url, "mlopez")
    remittance = tmp_path / "caredisc.835"
    remittance.write_text(_payers_835(claim, "EFT7001"))
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Claims").click()
    page.get_by_role("link", name="Remittances (835)").click()
    page.get_by_label("835 remittance file").set_input_files(str(remittance))
    page.get_by_role("button", name="Read the file").click()
    page.get_by_role("button", name="Post these payments").click()
    expect(page.get_by_text("Balances")).to_be_visible()
    screenshot(page, "claims-empty-install-835-posted")
    page.goto(f"{url}/claims/{claim.id}")
    expect(page.locator(".claim-head").get_by_text("Paid", exact=True)).to_be_visible()
    screenshot(page, "claims-empty-install-paid")
    _sign_out(page)
    stored = Claim.get_by_id(claim.id)
    assert (stored.status, stored.patient_pay, stored.paid) == (
        "paid",
        Decimal("2.00"),
        claim.billed - Decimal("2.00"),
    )
    return stored


def test_an_empty_install_to_a_claim_paid_by_an_uploaded_835(page, live_server, tmp_path):
    _empty_install_to_a_paid_claim(page, live_server.url, tmp_path)


def test_the_biller_corrects_the_paid_claim_with_a_b3_rebill(page, live_server, tmp_path):
    url = live_server.url
    paid = _empty_install_to_a_paid_claim(page, url, tmp_path)
    _sign_in(page, url, "tnguyen")
    page.goto(f"{url}/claims/{paid.id}")
    page.get_by_text("Correct and rebill (B3)").click()
    rebill = page.locator("form[action$='/rebill']")
    expect(rebill.get_by_label("Quantity")).to_have_value("20")
    rebill.get_by_label("Quantity").fill("twenty")
    rebill.get_by_role("button", name="Reverse and rebill").click()
    # Both problems at once; what was typed stays.
    expect(page.get_by_text("Enter the quantity as a number, e.g. 30 or 2.5.")).to_be_visible()
    expect(page.get_by_text("Say what the rebill corrects.")).to_be_visible()
    expect(rebill.get_by_label("Quantity")).to_have_value("twenty")
    screenshot(page, "claims-rebill-errors")
    rebill.get_by_label("Quantity").fill("28")
    rebill.get_by_label("Days supply").fill("14")
    rebill.get_by_label("Ingredient cost").fill("2.52")  # 28 at $0.09
    rebill.get_by_label("What the rebill corrects").fill("Dispensed 28 for 14 days, not 20 for 10")
    screenshot(page, "claims-rebill-form")
    rebill.get_by_role("button", name="Reverse and rebill").click()
    expect(page.get_by_text("this is the new claim, marked submitted")).to_be_visible()
    expect(
        page.locator(".claim-head").get_by_text("Submitted, awaiting the payer", exact=True)
    ).to_be_visible()
    expect(page.get_by_text(f"rebill (B3) of claim {paid.id}").first).to_be_visible()
    screenshot(page, "claims-rebill-done")
    new = Claim.select().where(Claim.id != paid.id).get()
    assert Claim.get_by_id(paid.id).status == "reversed"
    assert (new.status, new.quantity, new.quantity_unit, new.days_supply, new.fill_id) == (
        "submitted",
        Decimal(28),
        "cap",
        14,
        paid.fill_id,
    )
    assert new.billed == Decimal("13.02")
    # The reversed claim no longer offers a rebill.
    page.goto(f"{url}/claims/{paid.id}")
    expect(page.locator(".claim-head").get_by_text("Reversed", exact=True)).to_be_visible()
    expect(page.get_by_text("Correct and rebill (B3)")).to_have_count(0)


def test_after_a_b2_reversal_the_fill_is_billed_again_to_the_same_payer(
    page, live_server, tmp_path
):
    url = live_server.url
    paid = _empty_install_to_a_paid_claim(page, url, tmp_path)
    _sign_in(page, url, "tnguyen")
    page.goto(f"{url}/claims/{paid.id}")
    page.get_by_text("Reverse the claim").click()
    reverse = page.locator("form[action$='/reverse']")
    reverse.get_by_label("What was done, and why").fill("Billed the wrong plan year; sent B2")
    reverse.get_by_role("button", name="Reverse claim").click()
    expect(page.get_by_text("Claim reversed.")).to_be_visible()
    page.goto(f"{url}/rx/100001")
    page.get_by_role("link", name="Original fill").click()
    expect(page.get_by_text("Every claim of this fill was reversed")).to_be_visible()
    screenshot(page, "claims-fill-billed-again-offer")
    page.get_by_role("button", name="Bill insurance again").click()
    page.get_by_text("Submit it in the payer's portal").wait_for()
    again = Claim.select().where(Claim.id != paid.id).get()
    assert (again.status, again.claim_reference, again.payer_id, again.fill_id) == (
        "draft",
        paid.claim_reference,
        paid.payer_id,
        paid.fill_id,
    )
    screenshot(page, "claims-fill-billed-again")
