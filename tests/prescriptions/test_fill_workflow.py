"""Fills in the database: Rx numbers, the workflow enforced by Fill.move_to, events, audit,
and segregation of duties."""

import pytest

from portal.audit.models import AuditEvent
from portal.foundation import settings
from portal.foundation.db import write_transaction
from portal.prescriptions.fills.models import Fill, FillEvent, NotAllowed, WorkflowError
from portal.prescriptions.fills.workflow import IllegalTransition
from portal.prescriptions.intake import entry
from portal.prescriptions.models import RxCounter
from tests.factories import advance_fill, make_fill, make_prescription, make_user


def test_rx_numbers_are_sequential_from_the_setting_and_never_reused(app):
    first = make_prescription()
    second = make_prescription()
    assert first.rx_number == 100001
    assert second.rx_number == 100002
    fill = make_fill(second)
    fill.move_to("cancelled", make_user(roles=("pharmacist",)), "written for the wrong patient")
    assert make_prescription().rx_number == 100003


def test_raising_the_start_skips_ahead_and_lowering_it_reuses_nothing(app):
    make_prescription()
    with write_transaction():
        settings.put("prescriptions.rx_number_start", 500000)
    assert make_prescription().rx_number == 500000
    with write_transaction():
        settings.put("prescriptions.rx_number_start", 10)
    assert make_prescription().rx_number == 500001


def test_a_lost_counter_row_carries_on_after_the_highest_number(app):
    make_prescription()
    RxCounter.delete().execute()
    assert make_prescription().rx_number == 100002


def test_every_move_is_an_event_with_who_and_when(app):
    technician = make_user(roles=("technician",))
    pharmacist = make_user(roles=("pharmacist",))
    fill = make_fill(make_prescription(user=technician))
    advance_fill(fill, "picked_up", pharmacist=pharmacist, technician=technician)
    events = list(fill.events())
    assert [e.to_status for e in events] == [
        "intake",
        "data_entry",
        "data_verify",
        "fill",
        "final_verify",
        "ready",
        "picked_up",
    ]
    assert events[3].user.id == pharmacist.id
    stored = Fill.get_by_id(fill.id)
    assert stored.entered_by_id == technician.id
    assert stored.data_verified_by_id == pharmacist.id
    assert stored.final_verified_by_id == pharmacist.id
    assert stored.filled_on is not None and stored.picked_up_at is not None
    transitions = AuditEvent.select().where(
        (AuditEvent.action == "transition") & (AuditEvent.entity_id == str(fill.id))
    )
    assert transitions.count() == 6


@pytest.mark.parametrize(
    ("start", "target"),
    [
        ("data_verify", "ready"),
        ("data_verify", "picked_up"),
        ("fill", "ready"),
        ("intake", "fill"),
        ("ready", "fill"),
    ],
)
def test_illegal_transitions_are_refused_by_the_model(app, start, target):
    if start == "intake":
        fill = make_fill(make_prescription(send=False))
    else:
        fill = advance_fill(make_fill(), start)
    pharmacist = make_user(roles=("pharmacist",))
    with pytest.raises(IllegalTransition):
        fill.move_to(target, pharmacist)
    assert Fill.get_by_id(fill.id).status == start


def test_a_closed_fill_cannot_move_again(app):
    fill = advance_fill(make_fill(), "picked_up")
    with pytest.raises(IllegalTransition, match="cannot be changed"):
        fill.move_to("cancelled", make_user(roles=("pharmacist",)), "oops")


def test_a_stale_copy_cannot_move_a_fill_someone_else_moved(app):
    fill = make_fill()
    stale = Fill.get_by_id(fill.id)
    fill.move_to("fill", make_user(roles=("pharmacist",)))
    with pytest.raises(IllegalTransition):
        stale.move_to("data_entry", make_user(roles=("pharmacist",)), "typo")
    assert Fill.get_by_id(fill.id).status == "fill"


def test_hold_needs_a_reason_and_resumes_where_it_was(app):
    fill = make_fill()
    technician = make_user(roles=("technician",))
    with pytest.raises(WorkflowError, match="Say why"):
        fill.move_to("on_hold", technician)
    fill.move_to("on_hold", technician, "patient will call back")
    assert Fill.get_by_id(fill.id).held_from == "data_verify"
    with pytest.raises(IllegalTransition):
        fill.move_to("fill", technician)
    fill.move_to("data_verify", technician, "resumed")
    stored = Fill.get_by_id(fill.id)
    assert (stored.status, stored.held_from, stored.hold_reason) == ("data_verify", None, "")


def test_technician_cannot_verify_fill(app):
    fill = make_fill()
    technician = make_user(roles=("technician",))
    with pytest.raises(NotAllowed, match="Only a pharmacist"):
        fill.move_to("fill", technician)
    with pytest.raises(NotAllowed):
        fill.move_to("data_entry", technician, "typo")
    assert Fill.get_by_id(fill.id).status == "data_verify"
    assert FillEvent.select().where(FillEvent.fill == fill).count() == 3


def test_technician_cannot_do_final_verification(app):
    fill = advance_fill(make_fill(), "final_verify")
    with pytest.raises(NotAllowed):
        fill.move_to("ready", make_user(roles=("technician",)))


def test_pharmacist_cannot_verify_their_own_entry_without_a_reason(app):
    pharmacist = make_user(roles=("pharmacist",))
    fill = make_fill(make_prescription(user=pharmacist))
    assert Fill.get_by_id(fill.id).entered_by_id == pharmacist.id
    with pytest.raises(NotAllowed, match="You entered this prescription"):
        fill.move_to("fill", pharmacist)
    fill.move_to("fill", pharmacist, own_entry_reason="only pharmacist on duty tonight")
    override = AuditEvent.get(
        (AuditEvent.action == "override") & (AuditEvent.entity_id == str(fill.id))
    )
    assert "only pharmacist on duty tonight" in override.note
    assert override.user_id == pharmacist.id


def test_another_pharmacist_verifies_a_pharmacists_entry_without_a_reason(app):
    fill = make_fill(make_prescription(user=make_user(roles=("pharmacist",))))
    fill.move_to("fill", make_user(roles=("pharmacist",)))
    assert Fill.get_by_id(fill.id).status == "fill"


def test_returned_fill_goes_on_top_of_the_technicians_queue_and_back_in_line_once_sent(app):
    fill = make_fill(make_prescription(priority="delivery"))
    pharmacist = make_user(roles=("pharmacist",))
    fill.move_to("data_entry", pharmacist, "quantity should be 21")
    stored = Fill.get_by_id(fill.id)
    assert (stored.queue_rank, stored.return_reason) == (0, "quantity should be 21")
    stored.move_to("data_verify", make_user(roles=("technician",)))
    assert Fill.get_by_id(fill.id).queue_rank == 3


def test_refill_is_refused_when_none_remain(app):
    rx = make_prescription(refills_authorized=1)
    advance_fill(make_fill(rx), "picked_up")
    user = make_user(roles=("technician",))
    refill = entry.refill(rx, user=user, quantity=30, days_supply=10, priority="today")
    assert (refill.fill_number, refill.refills_remaining, refill.status) == (1, 0, "data_verify")
    advance_fill(refill, "picked_up")
    with pytest.raises(entry.RefillRefused, match="No refills remain"):
        entry.refill(rx, user=user, quantity=30, days_supply=10, priority="today")


def test_refill_is_refused_while_a_fill_is_open_and_after_expiry(app):
    from datetime import date, timedelta

    rx = make_prescription(refills_authorized=3)
    user = make_user(roles=("technician",))
    with pytest.raises(entry.RefillRefused, match="still in progress"):
        entry.refill(rx, user=user, quantity=30, days_supply=10, priority="today")
    advance_fill(make_fill(rx), "picked_up")
    rx.written_on = date.today() - timedelta(days=400)
    rx.set_expiry()
    rx.save()
    with pytest.raises(entry.RefillRefused, match="expired"):
        entry.refill(rx, user=user, quantity=30, days_supply=10, priority="today")


def test_a_cancelled_fill_keeps_its_number_and_the_next_fill_takes_a_new_one(app):
    rx = make_prescription(refills_authorized=2)
    pharmacist = make_user(roles=("pharmacist",))
    advance_fill(make_fill(rx), "picked_up")
    user = make_user(roles=("technician",))
    first = entry.refill(rx, user=user, quantity=30, days_supply=10, priority="today")
    first.move_to("cancelled", pharmacist, "patient declined")
    second = entry.refill(rx, user=user, quantity=30, days_supply=10, priority="today")
    assert (first.fill_number, second.fill_number) == (1, 2)
    assert second.refills_remaining == 1
