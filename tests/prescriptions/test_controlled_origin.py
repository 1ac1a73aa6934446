"""How a C-II arrived, wired into verification (21 CFR 1306.11): a telephoned C-II is
refused until the pharmacist records an emergency oral order, whose follow-up is tracked;
a faxed C-II is prepared but waits at final verification for the original or a reason."""

from datetime import timedelta
from decimal import Decimal

import pytest

from portal.audit.models import AuditEvent
from portal.foundation.dates import today
from portal.prescriptions.controlled import follow_ups, origin
from portal.prescriptions.controlled.models import ControlledOrigin
from portal.prescriptions.fills import steps
from portal.prescriptions.fills.models import Fill, NotAllowed, WorkflowError
from portal.prescriptions.screening import gather
from tests.factories import (
    advance_fill,
    make_c2_product,
    make_fill,
    make_prescription,
    make_user,
)


def _c2_fill(origin_kind: str, quantity=Decimal(20)) -> Fill:
    product = make_c2_product()
    return make_fill(
        make_prescription(
            product=product,
            origin=origin_kind,
            sig="1 tab po q6h prn pain",
            quantity=quantity,
            quantity_unit="tab",
            days_supply=5,
        )
    )


def _origin_check(fill):
    return next(r for r in gather.checks_for(fill, today()) if r.check == "origin")


def test_phoned_c2_is_refused_and_no_override_reason_passes_it(app):
    fill = _c2_fill("phone")
    check = _origin_check(fill)
    assert check.status.value == "block" and "1306.11(a)" in check.message
    pharmacist = make_user(roles=("pharmacist",))
    with pytest.raises(NotAllowed, match="emergency oral order"):
        steps.approve_data(
            fill, pharmacist, gather.checks_for(fill, today()), override_reason="Doctor said so"
        )
    assert Fill.get_by_id(fill.id).status == "data_verify"


def test_emergency_oral_order_lets_it_pass_within_the_emergency_quantity(app):
    fill = _c2_fill("phone", quantity=Decimal(8))
    pharmacist = make_user(roles=("pharmacist",))
    row = origin.record_emergency_oral(
        fill.prescription, pharmacist, quantity=Decimal(8), note="Post-op pain", today=today()
    )
    assert row.follow_up_due == today() + timedelta(days=7)
    assert row.follow_up_state == "due"
    assert _origin_check(fill).status.value == "pass"
    steps.approve_data(fill, pharmacist, gather.checks_for(fill, today()))
    assert Fill.get_by_id(fill.id).status == "fill"
    event = AuditEvent.get(AuditEvent.entity == "controlled_origin")
    assert event.action == "create" and event.user_id == pharmacist.id


def test_a_fill_over_the_emergency_quantity_is_refused(app):
    fill = _c2_fill("phone", quantity=Decimal(20))
    pharmacist = make_user(roles=("pharmacist",))
    origin.record_emergency_oral(
        fill.prescription, pharmacist, quantity=Decimal(8), note="Post-op pain", today=today()
    )
    assert "emergency quantity, 8" in _origin_check(fill).message
    with pytest.raises(NotAllowed, match="emergency quantity"):
        steps.approve_data(fill, pharmacist, [], override_reason="x")


def test_only_a_pharmacist_records_an_emergency_oral_order(app):
    fill = _c2_fill("phone")
    technician = make_user(roles=("technician",))
    with pytest.raises(origin.OriginRefused, match="Only a pharmacist"):
        origin.record_emergency_oral(
            fill.prescription, technician, quantity=Decimal(5), note="pain", today=today()
        )
    assert ControlledOrigin.select().count() == 0


def test_emergency_quantity_cannot_exceed_what_was_prescribed(app):
    fill = _c2_fill("phone", quantity=Decimal(10))
    pharmacist = make_user(roles=("pharmacist",))
    with pytest.raises(origin.OriginRefused, match="more than the 10 tablets"):
        origin.record_emergency_oral(
            fill.prescription, pharmacist, quantity=Decimal(12), note="pain", today=today()
        )


def test_follow_up_shows_until_dea_notified_with_the_date(app):
    fill = _c2_fill("phone", quantity=Decimal(8))
    pharmacist = make_user(roles=("pharmacist",))
    recorded_on = today() - timedelta(days=9)
    origin.record_emergency_oral(
        fill.prescription, pharmacist, quantity=Decimal(8), note="pain", today=recorded_on
    )
    [item] = follow_ups.open_list()
    assert item.overdue and "notify the DEA" in item.words
    with pytest.raises(origin.OriginRefused, match="not in the future"):
        origin.close_follow_up(
            fill.prescription,
            pharmacist,
            state="dea_notified",
            on=today() + timedelta(days=1),
            today=today(),
        )
    row = origin.close_follow_up(
        fill.prescription, pharmacist, state="dea_notified", on=today(), today=today()
    )
    assert row.follow_up_words.startswith("not received, DEA notified")
    assert follow_ups.open_list() == []


def test_faxed_c2_is_prepared_but_final_verification_waits_for_the_original(app):
    fill = _c2_fill("fax")
    assert _origin_check(fill).status.value == "warn"
    pharmacist = make_user(roles=("pharmacist",))
    advance_fill(fill, "final_verify", pharmacist=pharmacist)
    with pytest.raises(WorkflowError, match="signed original"):
        steps.approve_final(fill, pharmacist)
    origin.mark_original_received(fill.prescription, pharmacist, on=today())
    assert origin.final_problem(fill.prescription) is None


def test_fax_as_original_reason_is_recorded_and_printed_on_the_record(app, client_as):
    fill = _c2_fill("fax")
    pharmacist = client_as("pharmacist")
    rx = fill.prescription
    response = pharmacist.post(
        f"/rx/{rx.rx_number}/c2-origin/fax_reason", data={"reason": "hospice"}
    )
    assert response.status_code == 302
    assert origin.final_problem(rx) is None
    page = pharmacist.get(f"/rx/{rx.rx_number}")
    assert "Hospice patient or terminally ill (21 CFR 1306.11(g))" in page.text


def test_emergency_form_refuses_bad_input_and_keeps_what_was_typed(client_as):
    fill = _c2_fill("phone", quantity=Decimal(10))
    pharmacist = client_as("pharmacist")
    rx = fill.prescription
    response = pharmacist.post(
        f"/rx/{rx.rx_number}/c2-origin/emergency",
        data={"quantity": "12", "note": "Fractured hip, seen in clinic"},
    )
    assert response.status_code == 422
    assert "cannot be more than the 10 tablets prescribed" in response.text
    assert "Fractured hip, seen in clinic" in response.text
    response = pharmacist.post(
        f"/rx/{rx.rx_number}/c2-origin/emergency", data={"quantity": "abc", "note": ""}
    )
    assert response.status_code == 422
    assert "Enter the quantity as a number" in response.text
    assert "Say what the emergency is" in response.text
    assert ControlledOrigin.select().count() == 0


def test_technician_cannot_record_an_emergency_oral_order_on_the_page(client_as):
    fill = _c2_fill("phone", quantity=Decimal(10))
    technician = client_as("technician")
    response = technician.post(
        f"/rx/{fill.prescription.rx_number}/c2-origin/emergency",
        data={"quantity": "5", "note": "pain"},
    )
    assert response.status_code == 422 and "Only a pharmacist" in response.text


def test_written_c2_has_nothing_to_record_about_its_origin(client_as):
    fill = _c2_fill("written")
    rx_number = fill.prescription.rx_number
    response = client_as("pharmacist").get(f"/rx/{rx_number}/c2-origin")
    assert response.status_code == 302 and response.location.endswith(f"/rx/{rx_number}")
