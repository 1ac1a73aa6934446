"""The audit trail's hash chain detects edited and deleted rows."""

from portal.audit import log as audit
from portal.audit.models import AuditEvent
from portal.foundation.db import db, write_transaction
from tests.factories import make_user


def _three_events():
    user = make_user(roles=("pharmacist",))
    with write_transaction():
        audit.record("create", "patient", 1, after={"last_name": "Rivera"}, user=user)
        audit.record(
            "update",
            "patient",
            1,
            before={"last_name": "Rivera", "phone": "1"},
            after={"last_name": "Rivera", "phone": "2"},
            user=user,
        )
        audit.record("view", "patient", 1, patient_id=1, user=user)
    return list(AuditEvent.select().order_by(AuditEvent.id))


def test_events_link_to_the_previous_hash(app):
    first, second, third = _three_events()
    assert first.prev_hash == "0" * 64
    assert second.prev_hash == first.hash
    assert third.prev_hash == second.hash
    assert audit.verify_chain(audit.chain_key()).ok


def test_update_keeps_only_changed_fields(app):
    _, update, _ = _three_events()
    assert update.before_data() == {"phone": "1"}
    assert update.after_data() == {"phone": "2"}


def test_secrets_never_enter_the_trail(app):
    user = make_user()
    snap = audit.snapshot(user)
    assert "password_hash" not in snap and "pin_hash" not in snap and "pin_lookup" not in snap
    assert snap["username"] == user.username


def test_verify_names_an_edited_row(app, runner):
    _, second, _ = _three_events()
    db.execute_sql(f'UPDATE audit_event SET after = \'{{"phone": "9"}}\' WHERE id = {second.id}')
    result = runner.invoke(args=["audit", "verify"])
    assert result.exit_code == 1
    assert f"BROKEN at audit event {second.id}" in result.output
    assert "edited" in result.output


def test_verify_names_the_event_after_a_deleted_row(app, runner):
    _, second, third = _three_events()
    db.execute_sql(f"DELETE FROM audit_event WHERE id = {second.id}")
    result = runner.invoke(args=["audit", "verify"])
    assert result.exit_code == 1
    assert f"BROKEN at audit event {third.id}" in result.output


def test_verify_reports_ok_with_the_count(app, runner):
    _three_events()
    result = runner.invoke(args=["audit", "verify"])
    assert result.exit_code == 0
    assert "ok: 3 events" in result.output


def test_event_rolls_back_with_its_change(app):
    try:
        with write_transaction():
            audit.record("create", "patient", 5, after={"x": 1})
            raise RuntimeError("change failed")
    except RuntimeError:
        pass
    assert AuditEvent.select().count() == 0
