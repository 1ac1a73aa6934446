"""Claims in a browser: a rejection 75, a prior authorization, payment; the manager's view;
a compound's claim and a write-off co-signed by a manager's PIN at a technician's terminal."""

from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

from playwright.sync_api import expect

from portal.foundation.dates import local_today
from tests.e2e.conftest import screenshot
from tests.e2e.helpers import sign_in
from tests.factories import (
    make_claim,
    make_compound_fill,
    make_coverage,
    make_formula,
    make_ingredient,
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
    expect(aging_row(page, "days_31_60").locator("td").nth(1)).to_have_text("1")
    expect(aging_row(page, "days_31_60").locator("td").nth(2)).to_have_text("$120.00")
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
    page.goto(f"{live_server.url}/reports/claims")
    expect(aging_row(page, "days_31_60").locator("td").nth(1)).to_have_text("0")
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
        coverage=make_coverage(make_patient(last_name="Rivera", first_name="Ana"), payer),
        rx_number="100130",
        ingredient_cost=Decimal("30.00"),
        dispensing_fee=Decimal("0.00"),
        date_of_service=date(2025, 3, 18),
        today=date(2025, 3, 26),
    )
    sign_in(page, live_server, technician)
    page.goto(f"{live_server.url}/claims/remittances")
    page.get_by_label("835 remittance file").set_input_files(str(SAMPLES / "unmatched.835"))
    page.get_by_role("button", name="Read the file").click()
    expect(page.get_by_text("2 lines will not post on import")).to_be_visible()
    screenshot(page, "claims-835-preview")
    page.get_by_role("button", name="Post these payments").click()
    expect(page.get_by_text("posted.").first).to_be_visible()
    assert page.get_by_role("button", name="Post to this claim").count() == 2
    screenshot(page, "claims-835-imported")


def _pbm_claim(payer, rx, billed, last, first, fill_number=0):
    return make_claim(
        "submitted",
        coverage=make_coverage(make_patient(last_name=last, first_name=first), payer),
        rx_number=rx,
        fill_number=fill_number,
        ingredient_cost=Decimal(billed),
        dispensing_fee=Decimal("0.00"),
        date_of_service=date(2025, 3, 1),
        product_id="00093-0150-01" if rx != "60110" else "00093-7164-01",
        today=date(2025, 3, 26),
    )


def test_manager_imports_a_pbm_835_and_works_the_matching_queue(page, live_server):
    make_pharmacy()
    manager = make_user(roles=("manager",), full_name="Morgan Reyes")
    payer = make_payer(name="CareDisc PBM", code="CDISC")
    copay = _pbm_claim(payer, "60031", "17.75", "Okafor", "Grace")
    first = _pbm_claim(payer, "60110", "10.00", "Nguyen", "Linh")
    second = make_claim(
        "submitted",
        coverage=first.coverage,
        rx_number="60110",
        fill_number=1,
        ingredient_cost=Decimal("10.00"),
        dispensing_fee=Decimal("0.00"),
        date_of_service=date(2025, 3, 1),
        product_id="00093-7164-01",
        today=date(2025, 3, 26),
    )
    over = _pbm_claim(payer, "60070", "17.75", "Rivera", "Ana")

    sign_in(page, live_server, manager)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Claims").click()
    page.get_by_role("link", name="Remittances (835)").click()
    page.get_by_label("835 remittance file").set_input_files(str(SAMPLES / "pbm_matching.835"))
    page.get_by_role("button", name="Read the file").click()
    expect(page.get_by_text("3 lines will not post on import")).to_be_visible()
    page.get_by_role("button", name="Post these payments").click()
    expect(page.get_by_text("3 line(s) wait in the matching queue")).to_be_visible()
    expect(page.get_by_text("Balances")).to_be_visible()
    expect(page.get_by_text("WO · Overpayment recovery")).to_be_visible()
    screenshot(page, "claims-835-pbm-imported")

    page.get_by_role("link", name="Remittances (835)").click()
    queue = page.locator("#waiting-title").locator("..")
    expect(queue.get_by_text("Fits several claims")).to_be_visible()
    expect(queue.get_by_text("the payment $450.00 is more than the $17.75 billed")).to_be_visible()
    screenshot(page, "claims-835-matching-queue")

    queue.get_by_role("link", name="Work it").first.click()
    line = page.locator("tr.outcome-ambiguous")
    line.get_by_label(f"{second.claim_reference}").check()
    line.get_by_role("button", name="Post to this claim").click()
    expect(page.get_by_text(f"Line posted to {second.claim_reference}.")).to_be_visible()

    held = page.locator("tr.outcome-held")
    held.get_by_label(over.claim_reference).check()
    held.get_by_role("button", name="Post to this claim").click()
    expect(page.get_by_text("needs a reason")).to_be_visible()
    screenshot(page, "claims-835-confirm-needs-reason")
    held = page.locator("tr.outcome-held")
    held.get_by_label(over.claim_reference).check()
    held.get_by_label("Reason").fill("Payer confirmed by phone: catch-up payment, ref 55120")
    held.get_by_role("button", name="Post to this claim").click()
    expect(page.get_by_text(f"Line posted to {over.claim_reference}.")).to_be_visible()
    screenshot(page, "claims-835-after-matching")

    page.get_by_role("link", name="Remittances (835)").click()
    expect(page.locator("#waiting-title")).to_contain_text("(1)")
    page.goto(f"{live_server.url}/claims/{copay.id}")
    expect(page.get_by_text("Paid", exact=True).first).to_be_visible()
    screenshot(page, "claims-claim-copay-paid")


def _cream():
    lines = [
        ("Ketoprofen USP", "1.2500", "38779-0039-05", 10, "g", True),
        ("Lidocaine HCl USP", "0.8400", "38779-0515-05", 5000, "mg", True),
        ("PLO gel base", "0.0950", "51552-0001-07", 85, "g", False),
    ]
    return make_formula(
        lines=[
            (
                make_ingredient(
                    name=name, potency=Decimal(1), cost_per_unit=Decimal(cost), bulk_ndc=ndc
                ),
                Decimal(amount),
                unit,
                active,
            )
            for name, cost, ndc, amount, unit, active in lines
        ],
        approved_by=True,
        name="Ketoprofen 10% / lidocaine 5%",
        strength="",
        dosage_form="cream",
    )


def test_compound_claim_then_a_write_off_co_signed_by_a_manager(page, live_server):
    make_pharmacy()
    technician = make_user(roles=("technician",), full_name="Tess Nguyen")
    manager = make_user(roles=("manager",), full_name="Morgan Reyes")
    patient = make_patient(last_name="Okafor", first_name="Grace", allergy_status="nkda")
    make_coverage(patient, make_payer(name="MedRx Benefit Services", code="MEDRX"))
    fill = make_compound_fill(
        _cream(),
        patient=patient,
        quantity=Decimal(60),
        measured={"Ketoprofen USP": "6.02", "Lidocaine HCl USP": "2990", "PLO gel base": "51.3"},
    )

    sign_in(page, live_server, technician)
    page.goto(f"{live_server.url}/fills/{fill.id}")
    page.get_by_role("button", name="Bill insurance").click()
    segment = page.locator("#compound")
    expect(segment.get_by_role("cell", name="Lidocaine HCl USP")).to_be_visible()
    expect(segment.get_by_role("cell", name="2.99 g")).to_be_visible()
    expect(segment.locator("tfoot td")).to_have_text("$14.91")
    screenshot(page, "claims-compound-claim")

    page.get_by_label("Rejected").check()
    page.get_by_label("Reject codes").fill("70")
    page.get_by_role("button", name="Record response").click()
    expect(page.get_by_text("Response recorded: Rejected by the payer.")).to_be_visible()
    page.get_by_text("Write off the balance").click()
    page.locator("#write-off-reason").fill("Plan excludes compounds; patient declined cash")
    page.get_by_role("button", name="Write off balance").click()
    write_off = page.locator("form[action$='/write-off']")
    expect(write_off.get_by_role("group", name="Manager approval needed")).to_be_visible()
    expect(write_off.get_by_label("What was done, and why")).to_have_value(
        "Plan excludes compounds; patient declined cash"
    )
    screenshot(page, "claims-write-off-manager-pin")
    write_off.get_by_label("Manager's PIN or badge").fill(manager.pin)
    page.get_by_role("button", name="Write off balance").click()
    expect(page.get_by_text("Balance written off by Morgan Reyes.")).to_be_visible()
    history = page.locator("table.history tbody tr").first
    expect(history).to_contain_text("Morgan Reyes")
    expect(history).to_contain_text("co-signed by Morgan Reyes at Tess Nguyen's terminal")
    expect(page.get_by_role("banner")).to_contain_text("Tess Nguyen technician")  # still acting
    screenshot(page, "claims-written-off")


def test_a_fill_not_picked_up_is_returned_to_stock_and_its_claim_reversed(page, live_server):
    from portal.catalog.stock.models import Lot
    from portal.claims.claims import actions
    from portal.claims.claims.models import Claim
    from portal.foundation.dates import utcnow
    from portal.prescriptions.fills.models import Fill
    from tests.factories import advance_fill, claims_user, make_fill, make_lot

    make_pharmacy()
    technician = make_user(roles=("technician",), full_name="Tess Nguyen")
    fill = advance_fill(make_fill(), "ready")
    lot = make_lot(quantity=Decimal(70))
    Fill.update(dispensed_lot=lot, status_changed_at=utcnow() - timedelta(days=12)).where(
        Fill.id == fill.id
    ).execute()
    claim = Claim.open_for_fill(fill, make_coverage(fill.patient), user=claims_user())
    actions.record_response(claim, claims_user(), "paid", local_today("America/Chicago"),
                            paid=claim.billed)  # fmt: skip

    sign_in(page, live_server, technician)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Claims").click()
    page.get_by_role("link", name="Return to stock").click()
    row = page.locator(f"#fill-{fill.id}")
    expect(row.get_by_text(claim.claim_reference)).to_be_visible()
    screenshot(page, "claims-return-to-stock")
    row.get_by_role("button", name="Return to stock").click()
    expect(page.get_by_text("Say what was done.")).to_be_visible()
    page.locator(f"#fill-{fill.id}").get_by_label("What was done, and why").fill(
        "Not picked up in 12 days; patient called, no longer needed"
    )
    page.locator(f"#fill-{fill.id}").get_by_role("button", name="Return to stock").click()
    expect(page.get_by_text(f"reversed {claim.claim_reference}")).to_be_visible()
    assert Lot.get_by_id(lot.id).quantity_on_hand == Decimal(70) + fill.quantity
    assert Claim.get_by_id(claim.id).status == "reversed"


def test_the_manager_pages_through_all_claims_newest_first(page, live_server, monkeypatch):
    from portal.claims.claims import queries

    monkeypatch.setattr(queries, "LIST_PAGE", 2)
    make_pharmacy()
    manager = make_user(roles=("manager",), full_name="Morgan Reyes")
    today = local_today("America/Chicago")
    claims = [
        make_claim("submitted", date_of_service=today - timedelta(days=days), rx_number=rx)
        for days, rx in ((1, 300001), (2, 300002), (3, 300003), (4, 300004), (5, 300005))
    ]
    references = [claim.claim_reference for claim in claims]  # newest first already

    sign_in(page, live_server, manager)
    page.goto(f"{live_server.url}/claims/list")
    rows = page.locator(".claims-table tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.first).to_contain_text(references[0])
    page.get_by_role("link", name="Next 2 (older)").click()
    expect(rows.first).to_contain_text(references[2])
    expect(rows.nth(1)).to_contain_text(references[3])
    page.get_by_role("link", name="Next 2 (older)").click()
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text(references[4])
    expect(page.get_by_role("link", name="Next", exact=False)).to_have_count(0)
    screenshot(page, "claims-list-last-page")
    page.get_by_role("link", name="Back to the newest").click()
    expect(rows.first).to_contain_text(references[0])
