"""Attacks on the audit trail by someone who can write to the database but does not hold
the instance folder's audit key: cutting the end off, emptying it, rewriting it."""

import hashlib
import json
import os
import threading
import time

from portal.audit import anchor
from portal.audit import log as audit
from portal.audit.models import GENESIS, AuditEvent
from portal.foundation.db import db, write_transaction
from tests.factories import make_user


def _events(count, start=0):
    user = make_user(roles=("pharmacist",))
    with write_transaction():
        for number in range(start, start + count):
            audit.record(
                "update", "patient", number, before={"phone": "1"}, after={"phone": "2"}, user=user
            )


def _verify(runner):
    return runner.invoke(args=["audit", "verify"])


def _rehash_from(first_id, keyed=None):
    """What an attacker without the key does: recompute every hash from a row on, with the
    plain SHA-256 of the canonical text (the pre-key scheme), relinking each row."""
    rows = list(AuditEvent.select().order_by(AuditEvent.id))
    previous = GENESIS
    for row in rows:
        if row.id >= first_id:
            row.prev_hash = previous
            if keyed is not None:
                row.keyed = keyed
            row.hash = hashlib.sha256(row.canonical().encode()).hexdigest()
            changed = {"prev_hash": row.prev_hash, "hash": row.hash}
            if keyed is not None:
                changed["keyed"] = keyed
            AuditEvent.update(changed).where(AuditEvent.id == row.id).execute()
        previous = row.hash


def test_deleting_the_last_ten_events_is_detected(app, runner):
    _events(15)
    assert _verify(runner).exit_code == 0  # the daily check signs a checkpoint
    last_ten = [row.id for row in AuditEvent.select().order_by(AuditEvent.id.desc()).limit(10)]
    AuditEvent.delete().where(AuditEvent.id.in_(last_ten)).execute()
    result = _verify(runner)
    assert result.exit_code == 1
    assert "events were deleted" in result.output
    assert "recorded 15 events" in result.output


def test_deleting_every_event_is_detected(app, runner):
    _events(5)
    assert _verify(runner).exit_code == 0
    AuditEvent.delete().execute()
    result = _verify(runner)
    assert result.exit_code == 1
    assert "the trail is empty" in result.output


def test_an_edited_row_with_every_later_hash_recomputed_is_detected(app, runner):
    _events(8)
    assert _verify(runner).exit_code == 0
    third = AuditEvent.select().order_by(AuditEvent.id).offset(2).first()
    AuditEvent.update(after=json.dumps({"phone": "555"})).where(AuditEvent.id == third.id).execute()
    _rehash_from(third.id)
    result = _verify(runner)
    assert result.exit_code == 1
    assert f"BROKEN at audit event {third.id}" in result.output


def test_a_rewrite_passed_off_as_the_unkeyed_chain_of_before_the_upgrade_is_detected(app, runner):
    _events(8)
    assert _verify(runner).exit_code == 0
    first = AuditEvent.select().order_by(AuditEvent.id).first()
    AuditEvent.update(note="nothing happened").where(AuditEvent.id == first.id).execute()
    _rehash_from(first.id, keyed=False)  # the whole chain as plain SHA-256: it links up
    result = _verify(runner)
    assert result.exit_code == 1
    assert "not keyed" in result.output


def test_rewriting_events_newer_than_the_checkpoint_needs_the_key(app, runner):
    _events(4)
    assert _verify(runner).exit_code == 0
    _events(4, start=10)  # not yet in any checkpoint
    newest = AuditEvent.select().order_by(AuditEvent.id.desc()).first()
    AuditEvent.update(entity_id="99").where(AuditEvent.id == newest.id).execute()
    _rehash_from(newest.id)
    result = _verify(runner)
    assert result.exit_code == 1
    assert f"BROKEN at audit event {newest.id}" in result.output


def test_an_altered_checkpoint_is_refused(app, runner):
    _events(6)
    assert _verify(runner).exit_code == 0
    path = anchor.folder() / anchor.CHECKPOINT
    data = json.loads(path.read_text())
    last_two = [row.id for row in AuditEvent.select().order_by(AuditEvent.id.desc()).limit(2)]
    AuditEvent.delete().where(AuditEvent.id.in_(last_two)).execute()
    head = AuditEvent.select().order_by(AuditEvent.id.desc()).first()
    data.update(count=data["count"] - 2, head_id=head.id, head=head.hash)  # hide the cut
    path.write_text(json.dumps(data))
    result = _verify(runner)
    assert result.exit_code == 1
    assert "checkpoint file's signature does not match" in result.output


def test_a_later_checkpoint_never_signs_over_a_cut_off_trail(app, runner):
    _events(12)
    assert _verify(runner).exit_code == 0
    signed = anchor.last_checkpoint()
    last_ten = [row.id for row in AuditEvent.select().order_by(AuditEvent.id.desc()).limit(10)]
    AuditEvent.delete().where(AuditEvent.id.in_(last_ten)).execute()
    _events(3, start=50)  # the trail goes on after the cut
    assert not anchor.write_checkpoint("interval").ok
    assert anchor.last_checkpoint() == signed
    assert _verify(runner).exit_code == 1
    assert not anchor.last_result().ok


def test_requests_renew_the_checkpoint_once_the_interval_has_passed(app, client):
    _events(3)
    client.get("/login")
    first = anchor.last_checkpoint()
    assert first is not None and first.count == 3 and first.reason == "interval"
    _events(2, start=10)
    client.get("/login")
    assert anchor.last_checkpoint() == first  # within the interval: nothing new
    old = time.time() - 16 * 60
    os.utime(anchor.folder() / "checkpoint.lock", (old, old))
    client.get("/login")
    assert anchor.last_checkpoint().count == 5


def _legacy_event(number, previous):
    """An event as written before the upgrade: plain SHA-256, no key."""
    event = AuditEvent(
        at=audit.utcnow(), action="create", entity="patient", entity_id=str(number),
        after=json.dumps({"n": number}), prev_hash=previous, keyed=False,
    )  # fmt: skip
    event.hash = hashlib.sha256(event.canonical().encode()).hexdigest()
    event.save(force_insert=True)
    return event.hash


def test_a_chain_from_before_the_upgrade_keeps_verifying_and_goes_on_keyed(app, runner):
    previous = GENESIS
    for number in range(5):
        previous = _legacy_event(number, previous)
    result = _verify(runner)
    assert result.exit_code == 0, result.output
    assert "ok: 5 events" in result.output
    _events(3)
    assert AuditEvent.select().where(AuditEvent.keyed == True).count() == 3  # noqa: E712
    assert "ok: 8 events" in _verify(runner).output
    _legacy_event(99, AuditEvent.select().order_by(AuditEvent.id.desc()).first().hash)
    result = _verify(runner)  # an unkeyed event can no longer be added
    assert result.exit_code == 1
    assert "not keyed" in result.output


def test_the_audit_page_shows_the_last_daily_check(app, runner, client_as):
    manager = client_as("manager")
    page = manager.get("/audit/").get_data(as_text=True)
    assert "The audit trail has never been checked" in page
    manager.post("/audit/verify")  # a check by hand is not the daily one
    page = manager.get("/audit/").get_data(as_text=True)
    assert "The daily check is not running" in page and "it has never run" in page
    _events(2)
    assert _verify(runner).exit_code == 0
    page = manager.get("/audit/").get_data(as_text=True)
    assert "Last check of the audit trail" in page and "intact" in page
    assert "The daily check is not running" not in page
    AuditEvent.delete().execute()
    assert _verify(runner).exit_code == 1
    page = manager.get("/audit/").get_data(as_text=True)
    assert "The audit trail is BROKEN" in page and "events were deleted" in page


def test_the_check_button_compares_against_the_checkpoint(app, runner, client_as):
    manager = client_as("manager")
    _events(4)
    assert _verify(runner).exit_code == 0
    AuditEvent.delete().where(
        AuditEvent.id == db.execute_sql("SELECT MAX(id) FROM audit_event").fetchone()[0]
    ).execute()
    page = manager.post("/audit/verify", follow_redirects=True).get_data(as_text=True)
    assert "The audit trail is BROKEN" in page and "events were deleted" in page


def test_checkpoints_taken_while_events_are_written_never_raise_a_false_alarm(app, runner):
    """Workers append events while another signs checkpoints: each checkpoint names a head
    the chain really passes through, so the full check afterwards finds nothing wrong."""
    errors, results, writing = [], [], threading.Event()

    def append(worker):
        with app.app_context():
            try:
                for number in range(15):
                    with write_transaction():
                        audit.record("view", "patient", worker * 100 + number)
            except Exception as error:  # noqa: BLE001 - reported by the assertion below
                errors.append(error)
            finally:
                db.close()

    def sign():
        with app.app_context():
            try:
                while writing.is_set():
                    results.append(anchor.write_checkpoint("interval"))
            except Exception as error:  # noqa: BLE001
                errors.append(error)
            finally:
                db.close()

    writing.set()
    signer = threading.Thread(target=sign)
    workers = [threading.Thread(target=append, args=(worker,)) for worker in range(3)]
    signer.start()
    for thread in workers:
        thread.start()
    for thread in workers:
        thread.join()
    writing.clear()
    signer.join()
    assert errors == []
    assert results and all(result.ok for result in results)
    result = _verify(runner)
    assert result.exit_code == 0, result.output
    assert "ok: 45 events" in result.output


def test_an_emptied_checkpoint_file_does_not_drop_the_anchor(app, runner):
    _events(4)
    assert _verify(runner).exit_code == 0
    AuditEvent.delete().execute()
    (anchor.folder() / anchor.CHECKPOINT).write_text("")
    result = _verify(runner)
    assert result.exit_code == 1
    assert "checkpoint file cannot be read" in result.output
