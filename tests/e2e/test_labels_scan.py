"""Final verification by scanning, in a real browser: the label barcode opens the fill,
a wrong package is refused (and audited), the right one passes."""

from decimal import Decimal

from portal.audit.models import AuditEvent
from portal.catalog.rules import gs1_check_digit
from portal.foundation.db import write_transaction
from portal.prescriptions.fills.models import Fill
from tests.e2e.conftest import screenshot
from tests.e2e.helpers import sign_in
from tests.factories import (
    advance_fill,
    make_fill,
    make_ingredient,
    make_pharmacy,
    make_product,
    make_user,
)

TIMEOUT_MS = 30_000
RIGHT_UPC = "36818051301" + str(gs1_check_digit("36818051301"))  # NDC 68180-0513-01
WRONG_UPC = "30093715001" + str(gs1_check_digit("30093715001"))  # NDC 0093-7150-01


def test_final_verification_by_scanning_label_then_product(page, live_server):
    page.set_default_timeout(TIMEOUT_MS)
    make_pharmacy()
    pharmacist = make_user(roles=("pharmacist",), full_name="Paul Okonkwo")
    product = make_product(
        ingredients=[make_ingredient(name="Amoxicillin trihydrate")],
        name="Amoxicillin",
        strength="500 mg",
        ndc="68180-0513-01",
    )
    fill = advance_fill(make_fill(product=product, quantity=Decimal(30)), "final_verify")
    with write_transaction():
        Fill.update(dispensed_ndc="68180-0513-01").where(Fill.id == fill.id).execute()
    label_code = f"RX{fill.prescription.rx_number}-0"

    sign_in(page, live_server, pharmacist)
    page.goto(f"{live_server.url}/queue?state=final_verify")
    box = page.get_by_label("Scan a label or type an Rx number")
    box.fill(label_code)
    box.press("Enter")
    page.wait_for_url(f"**/fills/{fill.id}/verify-final")

    scan = page.get_by_label("Scan the package barcode")
    scan.fill(WRONG_UPC)
    scan.press("Enter")
    page.get_by_text("Wrong product").wait_for()
    screenshot(page, "labels-scan-wrong-product")
    assert Fill.get_by_id(fill.id).status == "final_verify"
    mismatch = AuditEvent.get(AuditEvent.action == "scan_mismatch")
    assert mismatch.patient_id == fill.patient_id

    scan = page.get_by_label("Scan the package barcode")
    scan.fill(RIGHT_UPC)
    scan.press("Enter")
    page.get_by_text(f"Rx {fill.rx_fill} is ready for pickup.").wait_for()
    screenshot(page, "labels-scan-right-product")
    assert Fill.get_by_id(fill.id).status == "ready"


def test_labels_to_print_and_reprint_pages(page, live_server):
    page.set_default_timeout(TIMEOUT_MS)
    make_pharmacy()
    technician = make_user(roles=("technician",), full_name="Tess Nguyen")
    fills = [advance_fill(make_fill(), "fill") for _ in range(2)]
    sign_in(page, live_server, technician)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Labels").click()
    page.get_by_text(fills[0].rx_fill).wait_for()
    screenshot(page, "labels-batch")
    response = page.request.post(
        f"{live_server.url}/labels/fills/{fills[0].id}", form={"copies": "1"}
    )
    assert response.headers["content-type"] == "application/pdf"
    page.goto(f"{live_server.url}/labels/fills/{fills[0].id}")
    page.get_by_role("button", name="Print label").click()
    page.get_by_text("Say why it is being printed again").wait_for()
    screenshot(page, "labels-reprint-needs-reason")
