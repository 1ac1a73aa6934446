"""Data and final verification pages, filling, pickup: overrides, segregation, co-sign."""

import re
from decimal import Decimal

from portal.audit.models import AuditEvent
from portal.catalog.rules import gs1_check_digit
from portal.catalog.stock.models import Lot
from portal.prescriptions.fills.models import Fill, Verification
from tests.factories import (
    advance_fill,
    make_allergy,
    make_c2_product,
    make_fill,
    make_ingredient,
    make_lot,
    make_patient,
    make_prescription,
    make_product,
    make_user,
)


def _allergic_fill():
    """A patient allergic to penicillins, prescribed amoxicillin: the allergy check blocks."""
    patient = make_patient()
    make_allergy(patient, "penicillins", kind="class", reaction="hives")
    return make_fill(make_prescription(patient=patient))


def test_data_verification_shows_checks_in_words_beside_the_original(client_as):
    fill = _allergic_fill()
    pharmacist = client_as("pharmacist")
    page = pharmacist.get(f"/fills/{fill.id}/verify-data")
    assert page.status_code == 200
    assert "BLOCKS" in page.text and "Patient is allergic to penicillins" in page.text
    assert "No scan of the original was attached" in page.text
    assert "Override and approve" in page.text
    assert "Rx <a" in page.text and str(fill.prescription.rx_number) in page.text


def test_a_block_cannot_be_approved_without_an_override_reason(client_as):
    fill = _allergic_fill()
    pharmacist = client_as("pharmacist")
    response = pharmacist.post(f"/fills/{fill.id}/verify-data", data={"approve": "Approve"})
    assert "A check blocks this fill. Give the reason" in response.text
    assert Fill.get_by_id(fill.id).status == "data_verify"


def test_a_pharmacist_overrides_a_block_with_a_reason_and_it_is_audited(client_as):
    fill = _allergic_fill()
    pharmacist = client_as("pharmacist")
    response = pharmacist.post(
        f"/fills/{fill.id}/verify-data",
        data={"approve": "Approve", "override_reason": "Tolerated amoxicillin in 2024 per MD"},
    )
    assert response.status_code == 302
    assert Fill.get_by_id(fill.id).status == "fill"
    verification = Verification.get(Verification.fill == fill)
    assert verification.block_override_reason == "Tolerated amoxicillin in 2024 per MD"
    assert any(c["status"] == "block" for c in verification.check_list())
    override = AuditEvent.get((AuditEvent.action == "override") & (AuditEvent.entity == "fill"))
    assert "Tolerated amoxicillin" in override.note and override.user_id == pharmacist.user.id


def test_returning_to_the_technician_needs_a_reason(client_as):
    fill = make_fill()
    pharmacist = client_as("pharmacist")
    response = pharmacist.post(f"/fills/{fill.id}/verify-data", data={"send_back": "Return"})
    assert "Say what the technician must correct." in response.text
    response = pharmacist.post(
        f"/fills/{fill.id}/verify-data",
        data={"send_back": "Return", "return_reason": "Wrong strength"},
    )
    assert response.status_code == 302
    stored = Fill.get_by_id(fill.id)
    assert (stored.status, stored.return_reason) == ("data_entry", "Wrong strength")


def test_technician_cannot_verify_fill_without_a_pharmacists_pin(client_as):
    fill = make_fill()
    technician = client_as("technician")
    page = technician.get(f"/fills/{fill.id}/verify-data")
    assert "Pharmacist approval needed" in page.text
    response = technician.post(f"/fills/{fill.id}/verify-data", data={"approve": "Approve"})
    assert response.status_code == 403
    assert "A pharmacist must enter their PIN" in response.text
    assert Fill.get_by_id(fill.id).status == "data_verify"


def test_a_pharmacist_co_signs_at_the_technicians_terminal(client_as):
    fill = make_fill()
    technician = client_as("technician")
    pharmacist = make_user(roles=("pharmacist",), full_name="Pat Ramos")
    response = technician.post(
        f"/fills/{fill.id}/verify-data", data={"approve": "Approve", "cosign_pin": pharmacist.pin}
    )
    assert response.status_code == 302
    stored = Fill.get_by_id(fill.id)
    assert stored.data_verified_by_id == pharmacist.id
    verification = Verification.get(Verification.fill == fill)
    assert "co-signed by Pat Ramos" in verification.note
    event = list(fill.events())[-1]
    assert (event.user.id, event.to_status) == (pharmacist.id, "fill")
    assert "co-signed by Pat Ramos" in event.note


def test_pharmacist_who_entered_it_must_give_a_reason(client_as):
    pharmacist = client_as("pharmacist")
    fill = make_fill(make_prescription(user=pharmacist.user))
    page = pharmacist.get(f"/fills/{fill.id}/verify-data")
    assert "You entered this prescription." in page.text
    response = pharmacist.post(f"/fills/{fill.id}/verify-data", data={"approve": "Approve"})
    assert "Give the reason for verifying it yourself" in response.text
    assert Fill.get_by_id(fill.id).status == "data_verify"
    response = pharmacist.post(
        f"/fills/{fill.id}/verify-data",
        data={"approve": "Approve", "own_entry_reason": "Alone on the night shift"},
    )
    assert response.status_code == 302
    assert Verification.get().own_entry_reason == "Alone on the night shift"


# The package's UPC-A: "3", the 10-digit NDC 68180-513-01, and the check digit.
UPC = "36818051301" + str(gs1_check_digit("36818051301"))


def _fill_with_stock(quantity=Decimal(100)):
    product = make_product(
        ingredients=[make_ingredient(name="Lisinopril")],
        name="Lisinopril",
        strength="10 mg",
        ndc="68180-0513-01",
        dosage_form="tablet",
    )
    lot = make_lot(product, quantity=quantity, lot_number="LS2291")
    rx = make_prescription(
        product=product,
        sig="1 tab po daily",
        quantity=Decimal(30),
        quantity_unit="tab",
        days_supply=30,
    )
    return make_fill(rx), lot


def test_filling_checks_the_scan_and_takes_the_stock(client_as):
    fill, lot = _fill_with_stock()
    advance_fill(fill, "fill")
    technician = client_as("technician")
    wrong = technician.post(
        f"/fills/{fill.id}/fill", data={"scan": "00093-3147-01", "lot_id": lot.id}
    )
    assert "Wrong product" in wrong.text
    response = technician.post(f"/fills/{fill.id}/fill", data={"scan": UPC, "lot_id": str(lot.id)})
    assert response.status_code == 302, response.text
    stored = Fill.get_by_id(fill.id)
    assert (stored.status, stored.dispensed_ndc, stored.dispensed_lot_id) == (
        "final_verify",
        "68180-0513-01",
        lot.id,
    )
    assert Lot.get_by_id(lot.id).quantity_on_hand == 70


def test_sending_back_at_final_verification_returns_the_stock(client_as):
    fill, lot = _fill_with_stock()
    advance_fill(fill, "fill")
    technician = client_as("technician")
    technician.post(f"/fills/{fill.id}/fill", data={"scan": "68180-0513-01", "lot_id": lot.id})
    pharmacist = client_as("pharmacist")
    response = pharmacist.post(
        f"/fills/{fill.id}/verify-final",
        data={"send_back": "Send back", "return_reason": "Count is 29"},
    )
    assert response.status_code == 302
    stored = Fill.get_by_id(fill.id)
    assert (stored.status, stored.queue_rank, stored.dispensed_lot_id) == ("fill", 0, None)
    assert Lot.get_by_id(lot.id).quantity_on_hand == 100


def test_final_verification_needs_the_matching_scan(client_as):
    fill, lot = _fill_with_stock()
    advance_fill(fill, "fill")
    technician = client_as("technician")
    technician.post(f"/fills/{fill.id}/fill", data={"scan": "68180-0513-01", "lot_id": lot.id})
    pharmacist = client_as("pharmacist")
    page = pharmacist.get(f"/fills/{fill.id}/verify-final")
    # The label preview is the label's own words (numbers kept with their units).
    words = page.text.replace("\u00a0", " ")
    assert "Lisinopril" in words and "Take 1 tablet by mouth once daily" in words
    assert "Discard after:" in words
    missing = pharmacist.post(f"/fills/{fill.id}/verify-final", data={"approve": "Approve"})
    assert "Scan the package" in missing.text
    response = pharmacist.post(
        f"/fills/{fill.id}/verify-final", data={"approve": "Approve", "scan": UPC}
    )
    assert response.status_code == 302
    assert Fill.get_by_id(fill.id).status == "ready"


def test_pickup_records_who_and_counseling(client_as):
    fill = advance_fill(make_fill(), "ready")
    technician = client_as("technician")
    refused = technician.post(
        f"/fills/{fill.id}/pickup", data={"who": "representative", "counseling": "maybe"}
    )
    assert refused.status_code == 422
    assert "Write the name of the person picking up." in refused.text
    assert "Not a valid choice" in refused.text
    response = technician.post(
        f"/fills/{fill.id}/pickup",
        data={
            "who": "representative",
            "representative_name": "Sam Lee",
            "relationship": "spouse",
            "counseling": "accepted",
        },
    )
    assert response.status_code == 302
    stored = Fill.get_by_id(fill.id)
    assert (stored.status, stored.picked_up_by, stored.picked_up_relationship) == (
        "picked_up",
        "Sam Lee",
        "spouse",
    )
    assert (stored.counseling_offered, stored.counseling_accepted) == (True, True)
    assert stored.handed_out_by_id == technician.user.id
    assert stored.picked_up_id_type == ""


def test_pickup_on_its_defaults_hands_out_to_the_patient(client_as):
    fill = advance_fill(make_fill(), "ready")
    technician = client_as("technician")
    page = technician.get(f"/fills/{fill.id}/pickup")
    checked = re.findall(r'<input[^>]*checked[^>]*value="(\w+)"', page.text)
    assert checked == ["patient", "declined"]
    response = technician.post(
        f"/fills/{fill.id}/pickup", data={"who": "patient", "counseling": "declined"}
    )
    assert response.status_code == 302
    stored = Fill.get_by_id(fill.id)
    assert (stored.status, stored.counseling_offered, stored.counseling_accepted) == (
        "picked_up",
        True,
        False,
    )


def test_c_ii_pickup_asks_for_photo_id_and_records_it(client_as):
    product = make_c2_product()
    rx = make_prescription(
        product=product,
        sig="1 tab po q6h prn pain",
        quantity=Decimal(20),
        quantity_unit="tab",
        days_supply=5,
    )
    fill = advance_fill(make_fill(rx), "ready")
    technician = client_as("technician")
    assert "Photo ID" in technician.get(f"/fills/{fill.id}/pickup").text
    refused = technician.post(
        f"/fills/{fill.id}/pickup", data={"who": "patient", "counseling": "declined"}
    )
    assert refused.status_code == 422
    assert "A C-II is handed out only against a photo ID" in refused.text
    assert Fill.get_by_id(fill.id).status == "ready"
    response = technician.post(
        f"/fills/{fill.id}/pickup",
        data={
            "who": "patient",
            "counseling": "declined",
            "id_type": "driver_license",
            "id_number": "D1234-5678",
            "id_state": "TX",
        },
    )
    assert response.status_code == 302
    stored = Fill.get_by_id(fill.id)
    assert (stored.status, stored.picked_up_id_type, stored.picked_up_id_number) == (
        "picked_up",
        "driver_license",
        "D1234-5678",
    )
    assert stored.picked_up_id_state == "TX"
    page = technician.get(f"/fills/{fill.id}").text
    assert "ID shown: Driver&#39;s license (TX) ending 5678" in page


def test_cancelling_a_filled_fill_returns_its_stock(client_as):
    fill, lot = _fill_with_stock()
    advance_fill(fill, "fill")
    technician = client_as("technician")
    technician.post(f"/fills/{fill.id}/fill", data={"scan": "68180-0513-01", "lot_id": lot.id})
    response = technician.post(f"/fills/{fill.id}/cancel", data={"reason": "Patient moved away"})
    assert response.status_code == 302
    assert Fill.get_by_id(fill.id).status == "cancelled"
    assert Lot.get_by_id(lot.id).quantity_on_hand == 100


def test_a_page_for_another_step_sends_you_to_the_fill(client_as):
    fill = make_fill()
    technician = client_as("technician")
    response = technician.get(f"/fills/{fill.id}/pickup")
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/fills/{fill.id}")
