"""Done when (issue 6): a technician compounds a 14-day aqueous cream for a fill, picks lots,
records weights with one deviation, the pharmacist approves; the BUD shown is right and
stock went down. At final verification (issue 7) the pharmacist checks the preparation by
the internal ID on its label: a wrong one is refused and audited, the right one passes."""

from datetime import date, timedelta
from decimal import Decimal

from playwright.sync_api import expect

from portal.audit.models import AuditEvent
from portal.catalog.stock.models import Lot
from portal.compounding.records.models import CompoundingRecord
from portal.foundation.dates import local_today
from portal.prescriptions.fills.models import Fill
from tests.e2e.conftest import screenshot
from tests.e2e.helpers import sign_in
from tests.factories import (
    advance_fill,
    make_cleaning,
    make_compound_prescription,
    make_formula,
    make_ingredient,
    make_lot,
    make_patient,
    make_pharmacy,
    make_user,
)


def test_technician_compounds_a_cream_for_a_fill_and_the_pharmacist_approves(page, live_server):
    pharmacy = make_pharmacy()
    pharmacist = make_user(roles=("pharmacist",), full_name="Paula Reyes")
    technician = make_user(roles=("technician",), full_name="Tess Nguyen")
    hydrocortisone = make_ingredient(name="Hydrocortisone USP micronized", potency=Decimal(1))
    base = make_ingredient(name="Vanicream base", potency=Decimal(1))
    formula = make_formula(
        lines=[(hydrocortisone, Decimal("2.5"), "g", True), (base, Decimal("97.5"), "g", False)],
        approved_by=pharmacist,
        auxiliary_labels="For external use only\nRefrigerate — do not freeze",
    )
    soon = make_lot(hydrocortisone, quantity=Decimal(50), lot_number="HC-0412", supplier="Medisca",
                    expires_on=date.today() + timedelta(days=120))  # fmt: skip
    later = make_lot(hydrocortisone, quantity=Decimal(50), lot_number="HC-0977", supplier="Medisca",
                     expires_on=date.today() + timedelta(days=500))  # fmt: skip
    cream = make_lot(base, quantity=Decimal(1000), lot_number="VC-2210", supplier="PCCA",
                     expires_on=date.today() + timedelta(days=300))  # fmt: skip
    make_cleaning(user=technician)
    patient = make_patient(first_name="Rosa", last_name="Delgado", allergy_status="nkda")
    prescription = make_compound_prescription(formula, patient=patient, quantity=Decimal(60))
    fill = advance_fill(prescription.fills.get(), "compound", pharmacist=pharmacist)

    sign_in(page, live_server, technician)
    page.goto(live_server.url + "/compounding/records")
    page.get_by_role("button", name="Start compounding").click()
    page.get_by_role("heading", name="Compounding record #").wait_for()
    # The first-expiring lot is suggested; the technician picks the other one deliberately.
    hc_lot = page.get_by_label("Lot of Hydrocortisone USP micronized")
    assert "HC-0412" in hc_lot.locator("option:checked").inner_text()
    hc_lot.select_option(label=f"HC-0977 · expires {later.expires_on:%m/%d/%Y} · 50 g on hand")
    page.get_by_label("Measured amount of Hydrocortisone USP micronized in g").fill("1.6")  # +6.7%
    page.get_by_label("Measured amount of Vanicream base in g").fill("58.4")
    page.get_by_role("button", name="Save lots and amounts").click()
    page.get_by_text("Lots and amounts saved.").wait_for()
    expect(page.locator(".record-lines").get_by_text("+6.67%")).to_be_visible()
    page.get_by_label("Final weight in g").fill("59.7")
    page.get_by_label("Appearance: what you see").fill("Smooth white cream, no grit")
    page.get_by_role("radiogroup", name="Appearance result").get_by_label("Pass").check()
    page.get_by_role("button", name="Save quality checks").click()
    page.get_by_text("Quality checks saved.").wait_for()
    # The deviation needs a pharmacist's note: the pharmacist co-signs at the technician's terminal.
    page.get_by_label("Pharmacist's note").fill(
        "+0.1 g of hydrocortisone is within the assay limits."
    )
    page.get_by_role("button", name="Accept with the pharmacist's note").click()
    page.get_by_label("Pharmacist's PIN or badge").fill(pharmacist.pin)
    page.get_by_role("button", name="Accept with the pharmacist's note").click()
    page.get_by_text("Deviation accepted by Paula Reyes.").wait_for()
    screenshot(page, "compounding-fill-before-complete")
    page.get_by_role("button", name="Complete the record").click()
    page.get_by_text("Completed and sent to the pharmacist's final check.").wait_for()

    today = local_today(pharmacy.time_zone)
    bud = today + timedelta(days=13)  # 14 days, the day of compounding being day 1
    expect(page.get_by_role("heading", name=f"Beyond-use date: {bud:%m/%d/%Y}")).to_be_visible()
    screenshot(page, "compounding-fill-completed")
    assert Fill.get_by_id(fill.id).status == "final_verify"
    assert Lot.get_by_id(later.id).quantity_on_hand == Decimal("48.4")
    assert Lot.get_by_id(soon.id).quantity_on_hand == Decimal(50)
    assert Lot.get_by_id(cream.id).quantity_on_hand == Decimal("941.6")

    # The pharmacist signs in and verifies: the record shows on final verification.
    page.get_by_role("button", name="Sign out").click()
    sign_in(page, live_server, pharmacist)
    page.goto(f"{live_server.url}/fills/{fill.id}/verify-final")
    expect(page.get_by_text(f"{bud:%m/%d/%Y}").first).to_be_visible()
    screenshot(page, "compounding-fill-final-verify")
    page.get_by_role("button", name="Approve the compounding record").click()
    page.get_by_text("Record approved by Paula Reyes.").wait_for()
    # The preparation in hand is checked by the internal ID on its label: first a jar
    # from another batch (refused, audited), then the right one.
    internal_id = str(prescription.rx_number)
    scan = page.get_by_label("Scan or type the internal ID on the preparation's label")
    scan.fill("B2601-0042")
    scan.press("Enter")
    expect(
        page.get_by_text(
            "Wrong preparation: the scan reads B2601-0042, this fill's compounding record is "
            f"{internal_id}."
        )
    ).to_be_visible()
    screenshot(page, "compounding-fill-wrong-preparation")
    assert Fill.get_by_id(fill.id).status == "final_verify"
    mismatch = AuditEvent.get(AuditEvent.action == "scan_mismatch")
    assert mismatch.entity_id == str(fill.id) and "B2601-0042" in mismatch.after
    scan = page.get_by_label("Scan or type the internal ID on the preparation's label")
    scan.fill(internal_id)
    page.get_by_role("button", name="Approve — ready for pickup").click()
    expect(page.get_by_text(f"Rx {fill.rx_fill} is ready for pickup.")).to_be_visible()
    assert Fill.get_by_id(fill.id).status == "ready"
    record = CompoundingRecord.get(CompoundingRecord.fill == fill.id)
    assert record.status == "approved" and record.approved_by_id == pharmacist.id
    assert record.beyond_use_date == bud
