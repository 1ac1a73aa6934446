"""A remainder fill in progress as its window lapses, with the hourly job and a person acting
on it at the same moment (21 CFR 1306.13(a): after the window "the remainder is void";
1306.13(b), 21 USC 829(f), 1306.23 likewise).

Exactly one outcome wins each time and the other is refused in words: never a verified or
picked-up remainder whose remainder is void, never a fill cancelled twice, never its stock
returned twice. The person submits in the window's last second (their clock, through
partial.local_now), the job runs at its end; both run on their own connections
(tests.security.concurrency.at_once), on SQLite and on PostgreSQL.
"""

from datetime import timedelta
from decimal import Decimal

import pytest

from portal.audit.models import AuditEvent
from portal.catalog.stock.models import Lot, StockMovement
from portal.prescriptions.controlled import lapsed, partial
from portal.prescriptions.fills import steps
from portal.prescriptions.fills.models import FILL_PROBLEMS, Clarification, Fill, FillEvent
from tests.factories import advance_fill, hand_out_to_patient, make_lot
from tests.prescriptions.test_partial_fills import _partly_filled
from tests.security.concurrency import at_once

ROUNDS = 3  # each race run a few times: the winner differs from run to run


def _in_progress(to_state: str):
    """A C-II partly filled (10 of 30, out of stock: 72 hours), its remainder of 20 opened in
    time and taken to ``to_state`` ("fill", "final_verify" or "ready"), the 20 tablets taken
    from a lot of 100 once filled."""
    first, technician, pharmacist = _partly_filled()
    remainder = partial.open_remainder(
        first, technician, quantity=Decimal(20), now=partial.local_now()
    )
    advance_fill(remainder, "fill", pharmacist=pharmacist, technician=technician)
    product = first.prescription.product
    lot = make_lot(product, quantity=Decimal(100))
    if to_state != "fill":
        steps.record_filling(remainder, technician, scan=product.ndc, lot=lot)
        advance_fill(remainder, to_state, pharmacist=pharmacist, technician=technician)
    return first, Fill.get_by_id(remainder.id), technician, pharmacist, lot


def _at_the_lapse(monkeypatch, first):
    """Staff's clock in the window's last second; the moment it ends, for the job."""
    ends = partial.window(first).ends_at
    real = partial.local_now

    def staff_clock(moment=None):
        return real(moment) if moment is not None else ends - timedelta(seconds=1)

    monkeypatch.setattr(partial, "local_now", staff_clock)
    return ends


def _job(app, now):
    def call():
        with app.app_context():
            return lapsed.void_lapsed(now)

    return call


def _person(app, action):
    """A person's step; refused in words (a WorkflowError or an illegal move) as a str."""

    def call():
        with app.app_context():
            try:
                return action()
            except FILL_PROBLEMS as refused:
                return f"refused: {refused}"

    return call


def _voided_once(first):
    stored = Fill.get_by_id(first.id)
    voids = AuditEvent.select().where(AuditEvent.action == "void_remainder").count()
    return stored.remainder_voided_at is not None and voids == 1


def _cancel_events(fill):
    return (
        FillEvent.select()
        .where((FillEvent.fill == fill.id) & (FillEvent.to_status == "cancelled"))
        .count()
    )


def _returns(fill):
    return (
        StockMovement.select()
        .where((StockMovement.fill_id == fill.id) & (StockMovement.reason == "returned"))
        .count()
    )


def _no_dispensed_remainder_of_a_void(first, remainder):
    """The invariant: a void remainder's fill is never ready or picked up."""
    stored = Fill.get_by_id(remainder.id)
    if Fill.get_by_id(first.id).remainder_voided_at is not None:
        assert stored.status == "cancelled", stored.status
    return stored


@pytest.mark.parametrize("round_", range(ROUNDS))
def test_the_job_and_final_verification_at_once_one_wins(app, monkeypatch, round_):
    first, remainder, _, pharmacist, lot = _in_progress("final_verify")
    ends = _at_the_lapse(monkeypatch, first)

    def approve():
        return steps.approve_final(
            Fill.get_by_id(remainder.id), pharmacist, scan=remainder.dispensed_ndc
        )

    by_job, by_pharmacist = at_once([_job(app, ends), _person(app, approve)])
    # The job voids either way (the window binds the dispensing, not only the verification).
    assert [item.notice_id is not None for item in by_job] == [True]
    assert _voided_once(first) and Clarification.select().count() == 1
    stored = _no_dispensed_remainder_of_a_void(first, remainder)
    assert _cancel_events(stored) == 1  # cancelled once, by the job
    assert _returns(stored) == 1 and Lot.get_by_id(lot.id).quantity_on_hand == 100
    if isinstance(by_pharmacist, str):  # the job first: the pharmacist is told why
        assert "voided and the prescriber notified" in by_pharmacist, by_pharmacist
    else:  # the approval first, in the window: the job then cancels the ready fill
        events = FillEvent.select().where(FillEvent.fill == stored.id).order_by(FillEvent.id)
        assert [e.to_status for e in events][-2:] == ["ready", "cancelled"]


@pytest.mark.parametrize("round_", range(ROUNDS))
def test_the_job_and_a_technician_filling_at_once_one_wins(app, monkeypatch, round_):
    first, remainder, technician, _, lot = _in_progress("fill")
    ends = _at_the_lapse(monkeypatch, first)
    product = first.prescription.product

    def fill_it():
        steps.record_filling(
            Fill.get_by_id(remainder.id), technician, scan=product.ndc, lot=Lot.get_by_id(lot.id)
        )
        return "filled"

    by_job, by_technician = at_once([_job(app, ends), _person(app, fill_it)])
    assert [item.notice_id is not None for item in by_job] == [True]
    assert _voided_once(first)
    stored = _no_dispensed_remainder_of_a_void(first, remainder)
    assert _cancel_events(stored) == 1
    # The 20 tablets are on the shelf: never taken, or taken and returned once.
    assert Lot.get_by_id(lot.id).quantity_on_hand == 100
    taken = StockMovement.select().where(StockMovement.fill_id == stored.id).count()
    if by_technician == "filled":  # filled first, then cancelled by the job: returned once
        assert taken == 2 and _returns(stored) == 1
    else:
        assert "cancelled" in by_technician, by_technician
        assert taken == 0


@pytest.mark.parametrize("round_", range(ROUNDS))
def test_the_job_and_a_send_back_at_final_verification_at_once(app, monkeypatch, round_):
    """The pharmacist sends the remainder back to be filled again (stock back to the lot) as
    the job cancels it (stock back to the lot): the 20 tablets come back once."""
    first, remainder, _, pharmacist, lot = _in_progress("final_verify")
    ends = _at_the_lapse(monkeypatch, first)

    def send_back():
        steps.send_back_final(Fill.get_by_id(remainder.id), pharmacist, "wrong count")
        return "sent back"

    by_job, by_pharmacist = at_once([_job(app, ends), _person(app, send_back)])
    assert [item.notice_id is not None for item in by_job] == [True]
    stored = _no_dispensed_remainder_of_a_void(first, remainder)
    assert _cancel_events(stored) == 1 and _returns(stored) == 1
    assert Lot.get_by_id(lot.id).quantity_on_hand == 100
    if by_pharmacist != "sent back":
        assert "cancelled" in by_pharmacist, by_pharmacist


@pytest.mark.parametrize("round_", range(ROUNDS))
def test_the_job_and_a_pickup_at_once_never_void_a_dispensed_remainder(app, monkeypatch, round_):
    first, remainder, _, pharmacist, lot = _in_progress("ready")
    ends = _at_the_lapse(monkeypatch, first)

    def pick_up():
        hand_out_to_patient(Fill.get_by_id(remainder.id), pharmacist)
        return "picked up"

    by_job, by_pharmacist = at_once([_job(app, ends), _person(app, pick_up)])
    stored = Fill.get_by_id(remainder.id)
    if by_pharmacist == "picked up":  # all 30 dispensed in time: nothing is void
        assert stored.status == "picked_up"
        assert Fill.get_by_id(first.id).remainder_voided_at is None
        assert Clarification.select().count() == 0 and _cancel_events(stored) == 0
        assert all(item.notice_id is None for item in by_job)
        assert Lot.get_by_id(lot.id).quantity_on_hand == 80
    else:
        assert "voided and the prescriber notified" in by_pharmacist, by_pharmacist
        assert _voided_once(first) and _cancel_events(stored) == 1
        assert stored.status == "cancelled" and Lot.get_by_id(lot.id).quantity_on_hand == 100


def test_a_void_after_the_last_remainder_was_picked_up_is_refused(app, monkeypatch):
    """The job lists the remainder, the last 20 are handed out in the window's last second,
    then the job's void comes: the prescription was dispensed in full, nothing is void."""
    first, remainder, _, pharmacist, _ = _in_progress("ready")
    ends = _at_the_lapse(monkeypatch, first)
    listed = lapsed.lapsed_remainders(ends)
    assert [fill.id for fill in listed] == [first.id]
    hand_out_to_patient(Fill.get_by_id(remainder.id), pharmacist)
    with pytest.raises(partial.PartialRefused, match="dispensed in full"):
        partial.void_remainder(listed[0], None, now=ends)
    assert Fill.get_by_id(first.id).remainder_voided_at is None
    assert Clarification.select().count() == 0
    assert Fill.get_by_id(remainder.id).status == "picked_up"


def test_final_verification_decides_on_the_void_as_stored(app, monkeypatch):
    """The job voids while the pharmacist's scan is being checked (after the checks made
    before the transaction): the approval is refused with the void in words."""
    first, remainder, _, pharmacist, _ = _in_progress("final_verify")
    ends = _at_the_lapse(monkeypatch, first)
    check_scan = steps.check_scan

    def job_meanwhile(fill, scan):
        check_scan(fill, scan)
        lapsed.void_lapsed(ends)

    monkeypatch.setattr(steps, "check_scan", job_meanwhile)
    with pytest.raises(FILL_PROBLEMS, match="voided and the prescriber notified"):
        steps.approve_final(Fill.get_by_id(remainder.id), pharmacist, scan=remainder.dispensed_ndc)
    assert Fill.get_by_id(remainder.id).status == "cancelled"
    assert _cancel_events(remainder) == 1


def test_the_job_voiding_while_the_technician_scans_leaves_the_stock_untouched(app, monkeypatch):
    """The job voids between the technician's scan check and the stock being taken: the
    fill is cancelled (nothing taken yet), the filling is refused in words and takes none."""
    first, remainder, technician, _, lot = _in_progress("fill")
    ends = _at_the_lapse(monkeypatch, first)
    scan_problem = steps.scan_problem

    def job_meanwhile(scan, ndc):
        lapsed.void_lapsed(ends)
        return scan_problem(scan, ndc)

    monkeypatch.setattr(steps, "scan_problem", job_meanwhile)
    product = first.prescription.product
    with pytest.raises(FILL_PROBLEMS, match="cancelled"):
        steps.record_filling(
            Fill.get_by_id(remainder.id), technician, scan=product.ndc, lot=Lot.get_by_id(lot.id)
        )
    assert Fill.get_by_id(remainder.id).status == "cancelled" and _cancel_events(remainder) == 1
    assert Lot.get_by_id(lot.id).quantity_on_hand == 100
    assert StockMovement.select().where(StockMovement.fill_id == remainder.id).count() == 0
