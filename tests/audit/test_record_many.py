"""Many audit events in one go (an 835 posting thousands of claims): chained in order under
one lock, verifying exactly as events written one by one."""

from portal.audit import log as audit
from portal.audit.models import AuditEvent, event_hash
from portal.foundation.db import db, write_transaction
from tests.factories import make_user


def _entries(n):
    return [
        {
            "action": "update" if i % 2 else "transition",
            "entity": "claim",
            "entity_id": i,
            "before": {"rx": "60031", "paid": "0.00"},
            "after": {"rx": "60031", "paid": f"{i}.00"},
            "patient_id": 7,
            "note": f"835 T{i}",
        }
        for i in range(n)
    ]


def test_events_written_together_chain_on_from_the_head_and_verify(app):
    user = make_user(roles=("manager",))
    with write_transaction():
        audit.record("create", "patient", 1, after={"last_name": "Rivera"}, user=user)
        assert audit.record_many(_entries(1201), user=user) == 1201  # three INSERT batches
        audit.record("view", "patient", 1, user=user)
    events = list(AuditEvent.select().order_by(AuditEvent.id))
    assert len(events) == 1203
    for before, after in zip(events, events[1:], strict=False):
        assert after.prev_hash == before.hash
    key = audit.chain_key()
    assert all(event.keyed and event_hash(event, key) == event.hash for event in events)
    check = audit.verify_chain(key)
    assert check.ok and check.count == 1203
    first = events[1]
    assert (first.actor, first.entity, first.entity_id, first.note) == (
        user.full_name,
        "claim",
        "0",
        "835 T0",
    )
    # "update" keeps only what changed, as record() does; other actions keep everything.
    assert events[1].before_data() == {"rx": "60031", "paid": "0.00"}
    assert events[2].before_data() == {"paid": "0.00"}
    assert events[2].after_data() == {"paid": "1.00"}


def test_an_edited_event_of_a_batch_breaks_the_chain(app, runner):
    with write_transaction():
        audit.record_many(_entries(5), user=make_user())
    third = AuditEvent.select().order_by(AuditEvent.id).offset(2).first()
    db.execute_sql(f"UPDATE audit_event SET note = 'changed' WHERE id = {third.id}")
    result = runner.invoke(args=["audit", "verify"])
    assert result.exit_code == 1
    assert f"BROKEN at audit event {third.id}" in result.output


def test_a_batch_rolls_back_with_its_change(app):
    user = make_user()
    before = AuditEvent.select().count()
    try:
        with write_transaction():
            audit.record_many(_entries(3), user=user)
            raise RuntimeError("the change failed")
    except RuntimeError:
        pass
    assert AuditEvent.select().count() == before
    assert audit.record_many([], user=user) == 0
