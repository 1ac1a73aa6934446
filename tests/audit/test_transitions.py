"""The one transition helper: allowed moves only, from the stored state, guarded against a
second terminal, with its event and audit rows in the same transaction."""

from enum import StrEnum

import pytest

from portal.audit import transitions
from portal.audit.models import AuditEvent
from portal.foundation.db import write_transaction
from portal.prescriptions.fills.models import Fill, FillEvent
from tests.factories import make_fill, make_user


class Step(StrEnum):
    INTAKE = "intake"
    DATA_ENTRY = "data_entry"
    CANCELLED = "cancelled"


MOVES = {Step.INTAKE: frozenset({Step.DATA_ENTRY}), Step.DATA_ENTRY: frozenset()}


def _event(fill, user):
    return lambda before, after: FillEvent.create(
        fill=fill, from_status=before, to_status=after, user=user
    )


def test_an_allowed_move_updates_the_row_and_writes_its_event_and_audit(app):
    user = make_user()
    fill = make_fill(send=False)
    events = FillEvent.select().count()
    made = transitions.move(
        fill, Step.DATA_ENTRY, moves=MOVES, user=user, entity="fill", event=_event(fill, user)
    )
    assert Fill.get_by_id(fill.id).status == "data_entry" == fill.status
    assert (made.from_status, made.to_status) == ("intake", "data_entry")
    assert FillEvent.select().count() == events + 1
    last = AuditEvent.select().order_by(AuditEvent.id.desc()).first()
    assert (last.action, last.entity, last.entity_id) == ("transition", "fill", str(fill.id))


def test_a_move_the_table_does_not_allow_is_refused_in_words(app):
    fill = make_fill(send=False)
    with pytest.raises(transitions.IllegalMove, match="intake cannot become cancelled"):
        transitions.move(fill, Step.CANCELLED, moves=MOVES, user=make_user(), entity="fill")
    assert Fill.get_by_id(fill.id).status == "intake"


def test_a_stale_copy_is_checked_against_the_stored_state(app):
    user = make_user()
    fill = make_fill(send=False)
    stale = Fill.get_by_id(fill.id)
    transitions.move(fill, Step.DATA_ENTRY, moves=MOVES, user=user, entity="fill")
    with pytest.raises(transitions.IllegalMove, match="data entry cannot become data entry"):
        transitions.move(stale, Step.DATA_ENTRY, moves=MOVES, user=user, entity="fill")


def test_the_event_and_the_state_roll_back_together(app):
    user = make_user()
    fill = make_fill(send=False)
    events = FillEvent.select().count()

    def failing_event(before, after):
        FillEvent.create(fill=fill, from_status=before, to_status=after, user=user)
        raise RuntimeError("printer on fire")

    with pytest.raises(RuntimeError), write_transaction():
        transitions.move(
            fill, Step.DATA_ENTRY, moves=MOVES, user=user, entity="fill", event=failing_event
        )
    assert Fill.get_by_id(fill.id).status == "intake"
    assert FillEvent.select().count() == events


def test_the_audit_event_can_carry_the_steps_own_word(app):
    fill = make_fill(send=False)
    transitions.move(
        fill, Step.DATA_ENTRY, moves=MOVES, user=make_user(), entity="fill", action="enter"
    )
    last = AuditEvent.select().order_by(AuditEvent.id.desc()).first()
    assert (last.action, last.before_data(), last.after_data()) == (
        "enter",
        {"status": "intake"},
        {"status": "data_entry"},
    )


def test_a_check_on_the_stored_row_refuses_in_its_own_words(app):
    fill = make_fill(send=False)
    seen = []

    def on_hold_first(stored):
        seen.append(stored.status)
        raise ValueError("Put the fill on hold first.")

    with pytest.raises(ValueError, match="on hold first"):
        transitions.move(
            fill,
            Step.DATA_ENTRY,
            moves=MOVES,
            user=make_user(),
            entity="fill",
            check_stored=on_hold_first,
        )
    assert seen == ["intake"]
    assert Fill.get_by_id(fill.id).status == "intake"


def test_a_life_cycle_adds_its_own_checks_and_columns_from_the_stored_row(app):
    user = make_user()
    fill = make_fill(send=False)
    seen = []

    def refuse_twice(stored):
        seen.append(stored.status)
        if len(seen) > 1:
            raise ValueError("only once, in this life cycle's words")

    moved = transitions.move(
        fill,
        Step.DATA_ENTRY,
        moves={**MOVES, Step.DATA_ENTRY: frozenset({Step.INTAKE})},
        user=user,
        entity="fill",
        check_stored=refuse_twice,
        changes=lambda stored: {"hold_reason": f"was {stored.status}"},
        note=lambda stored: f"from {stored.status}",
    )
    assert moved is None and seen == ["intake"]
    assert Fill.get_by_id(fill.id).hold_reason == "was intake" == fill.hold_reason
    last = AuditEvent.select().order_by(AuditEvent.id.desc()).first()
    assert last.note == "from intake"
    with pytest.raises(ValueError, match="only once"):
        transitions.move(
            fill,
            Step.INTAKE,
            moves={**MOVES, Step.DATA_ENTRY: frozenset({Step.INTAKE})},
            user=user,
            entity="fill",
            check_stored=refuse_twice,
        )
    assert Fill.get_by_id(fill.id).status == "data_entry"


def test_move_many_moves_each_row_from_its_stored_state_and_refuses_the_rest_in_words(app):
    user = make_user()
    fills = [make_fill(send=False) for _ in range(3)]
    stale = Fill.get_by_id(fills[1].id)
    transitions.move(fills[1], Step.DATA_ENTRY, moves=MOVES, user=user, entity="fill")
    audits = AuditEvent.select().count()
    steps = [transitions.Step(fills[0], Step.DATA_ENTRY, note="first")]
    steps += [transitions.Step(stale, Step.DATA_ENTRY), transitions.Step(fills[2], "cancelled")]

    def events(moved):
        return [
            FillEvent.create(fill=s.row, from_status=s.from_state, to_status=s.to_state, user=user)
            for s in moved
        ]

    moved, refused = transitions.move_many(
        Fill, steps, moves=MOVES, user=user, entity="fill", events=events
    )
    assert [(step.row.id, event.to_status) for step, event in moved] == [
        (fills[0].id, "data_entry")
    ]
    assert Fill.get_by_id(fills[0].id).status == "data_entry" == fills[0].status
    assert [(r.step.row.id, r.why) for r in refused] == [
        (fills[1].id, "A fill that is data entry cannot become data entry."),
        (fills[2].id, "A fill that is intake cannot become cancelled."),
    ]
    assert Fill.get_by_id(fills[2].id).status == "intake"
    assert AuditEvent.select().count() == audits + 1
    last = AuditEvent.select().order_by(AuditEvent.id.desc()).first()
    assert (last.entity_id, last.note, last.before_data()) == (
        str(fills[0].id),
        "first",
        {"status": "intake"},
    )


def test_move_many_refuses_a_row_changed_between_its_read_and_its_update(app):
    user = make_user()
    fill = make_fill(send=False)

    def meanwhile(step, stored):
        # Another terminal moves the row after its state was read.
        Fill.update(status="data_entry").where(Fill.id == fill.id).execute()
        return ""

    moved, refused = transitions.move_many(
        Fill,
        [transitions.Step(fill, Step.DATA_ENTRY)],
        moves=MOVES,
        user=user,
        entity="fill",
        check_stored=meanwhile,
    )
    assert moved == []
    assert [r.why for r in refused] == ["Someone else changed this fill just now; reload the page."]


def test_move_many_moves_a_row_once(app):
    fill = make_fill(send=False)
    with pytest.raises(ValueError, match="each row once"):
        transitions.move_many(
            Fill,
            [transitions.Step(fill, Step.DATA_ENTRY)] * 2,
            moves=MOVES,
            user=make_user(),
            entity="fill",
        )
