"""A remainder opened within its window but not dispensed before the window ends is void
(21 CFR 1306.13(a): "the remainder is void and the prescriber is notified"; 1306.13(b),
21 USC 829(f), 1306.23 likewise): final verification and pickup refuse it in words, and the
hourly job cancels it (stock back to the lot) as it voids the remainder."""

from datetime import date, datetime
from decimal import Decimal

import pytest

from portal.audit.models import AuditEvent
from portal.catalog.stock.models import Lot
from portal.prescriptions.controlled import lapsed, partial, rules
from portal.prescriptions.fills import steps
from portal.prescriptions.fills.models import Clarification, Fill, FillEvent, WorkflowError
from tests.factories import advance_fill, hand_out_to_patient, make_lot, make_user
from tests.prescriptions.test_lapsed_remainders import _lapse
from tests.prescriptions.test_partial_fills import _partly_filled

# controlled.md's example: written 03/02/2026, first partial filled that day at 15:30.
WRITTEN = date(2026, 3, 2)
FIRST_FILL = datetime(2026, 3, 2, 15, 30)


def _window(reason, schedule="2"):
    return rules.remainder_window(
        schedule=schedule, reason=reason, written_on=WRITTEN, first_filled_at=FIRST_FILL
    )


def test_the_72_hour_window_is_open_until_72_hours_after_the_first_partial():
    """1306.13(a): "within 72 hours"; at 72 hours it has closed."""
    window = _window("out_of_stock")
    assert rules.window_open(window, datetime(2026, 3, 5, 15, 29, 59))
    assert not rules.window_open(window, datetime(2026, 3, 5, 15, 30))
    assert rules.lapsed_in_progress_problem(window, datetime(2026, 3, 5, 15, 29)) is None
    words = rules.lapsed_in_progress_problem(window, datetime(2026, 3, 5, 15, 30))
    assert "Mar 5, 2026 15:30" in words and "72 hours" in words and "1306.13(a)" in words
    assert "opened in time" in words and "void" in words and "notify the prescriber" in words


@pytest.mark.parametrize(
    ("reason", "schedule", "last_open", "closed", "cited"),
    [
        # 829(f): until 30 days after the date written: all of 04/01/2026.
        ("request", "2", datetime(2026, 4, 1, 23, 59), datetime(2026, 4, 2), "829(f)"),
        # 1306.13(b): up to 60 days from the date written: all of 05/01/2026.
        ("ltcf_terminal", "2", datetime(2026, 5, 1, 23, 59), datetime(2026, 5, 2), "1306.13(b)"),
        # 1306.23: no partial of a C-III to C-V more than 6 months after the date written.
        ("out_of_stock", "3", datetime(2026, 9, 2, 23, 59), datetime(2026, 9, 3), "1306.23"),
    ],
)
def test_day_windows_hold_their_whole_last_day(reason, schedule, last_open, closed, cited):
    window = _window(reason, schedule)
    assert rules.window_open(window, last_open) and not rules.window_open(window, closed)
    assert cited in rules.lapsed_in_progress_problem(window, closed)


def _remainder_in_progress(to_state="final_verify", with_lot=True):
    """A C-II partly filled (10 of 30, out of stock), its remainder opened at once (in time)
    and taken to ``to_state``, its 20 tablets taken from a lot of 100."""
    first, technician, pharmacist = _partly_filled()
    remainder = partial.open_remainder(
        first, technician, quantity=Decimal(20), now=partial.local_now()
    )
    lot = None
    if to_state == "data_verify":  # where an opened remainder waits
        return first, remainder, pharmacist, lot
    advance_fill(remainder, "fill", pharmacist=pharmacist, technician=technician)
    if with_lot:
        product = first.prescription.product
        lot = make_lot(product, quantity=Decimal(100))
        steps.record_filling(remainder, technician, scan=product.ndc, lot=lot)
    advance_fill(remainder, to_state, pharmacist=pharmacist, technician=technician)
    return first, Fill.get_by_id(remainder.id), pharmacist, lot


def test_final_verification_refuses_a_remainder_whose_window_passed_in_progress(app):
    first, remainder, pharmacist, _ = _remainder_in_progress()
    _lapse(first)
    with pytest.raises(WorkflowError, match="opened in time") as refused:
        steps.approve_final(remainder, pharmacist, scan=remainder.dispensed_ndc)
    assert "72 hours" in str(refused.value) and "notify the prescriber" in str(refused.value)
    assert Fill.get_by_id(remainder.id).status == "final_verify"


def test_final_verification_passes_while_the_window_is_open(app):
    _, remainder, pharmacist, _ = _remainder_in_progress()
    steps.approve_final(remainder, pharmacist, scan=remainder.dispensed_ndc)
    assert Fill.get_by_id(remainder.id).status == "ready"


def test_pickup_refuses_a_ready_remainder_after_the_window(client_as):
    first, remainder, _, _ = _remainder_in_progress("ready")
    _lapse(first)
    pharmacist = client_as("pharmacist")
    page = pharmacist.get(f"/fills/{remainder.id}/pickup")
    assert "window has passed." in page.text and "opened in time" in page.text
    with pytest.raises(WorkflowError, match="that has passed"):
        hand_out_to_patient(remainder, pharmacist.user)
    assert Fill.get_by_id(remainder.id).status == "ready"


def test_the_job_voids_an_in_progress_remainder_and_returns_its_stock(app):
    first, remainder, _, lot = _remainder_in_progress()
    assert Lot.get_by_id(lot.id).quantity_on_hand == 80
    _lapse(first)
    (done,) = lapsed.void_lapsed()
    assert done.rx_fill == first.rx_fill and done.notice_id
    stored = Fill.get_by_id(remainder.id)
    assert stored.status == "cancelled"
    assert Lot.get_by_id(lot.id).quantity_on_hand == 100  # the 20 back on the shelf
    event = FillEvent.get((FillEvent.fill == remainder.id) & (FillEvent.to_status == "cancelled"))
    assert event.user_id is None and "window lapsed" in event.reason
    moved = AuditEvent.get((AuditEvent.entity_id == remainder.id) & (AuditEvent.entity == "fill"))
    assert moved is not None
    cancel = (
        AuditEvent.select()
        .where(
            (AuditEvent.entity == "fill")
            & (AuditEvent.entity_id == remainder.id)
            & (AuditEvent.action == "transition")
        )
        .order_by(AuditEvent.id.desc())
        .first()
    )
    assert cancel.user_id is None and '"cancelled"' in cancel.after
    notice = Clarification.get_by_id(done.notice_id)
    assert f"{remainder.rx_fill} was in progress and is cancelled" in notice.question
    assert "remaining 20 tablets" in notice.question
    assert lapsed.void_lapsed() == []  # once


def test_the_history_shows_the_portal_cancelled_the_remainder(client_as):
    first, remainder, _, _ = _remainder_in_progress(with_lot=False)
    _lapse(first)
    lapsed.void_lapsed()
    page = client_as("pharmacist").get(f"/fills/{remainder.id}")
    assert page.status_code == 200 and "the portal itself" in page.text


def test_the_job_leaves_an_in_progress_remainder_inside_its_window(app):
    first, remainder, _, _ = _remainder_in_progress()
    _lapse(first, hours=71)
    assert lapsed.void_lapsed() == []
    assert Fill.get_by_id(remainder.id).status == "final_verify"


def test_a_pharmacists_void_cancels_the_in_progress_remainder_too(app):
    first, remainder, pharmacist, _ = _remainder_in_progress("data_verify", with_lot=False)
    _lapse(first)
    partial.void_remainder(
        Fill.get_by_id(first.id), make_user(roles=("pharmacist",)), now=partial.local_now()
    )
    assert Fill.get_by_id(remainder.id).status == "cancelled"
    with pytest.raises(WorkflowError, match="voided"):
        steps.approve_final(Fill.get_by_id(remainder.id), pharmacist)
