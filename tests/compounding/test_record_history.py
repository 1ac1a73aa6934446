"""A compounding record's history: every move is an event row written with the status and
the audit event by the one transition helper, shown on the record page; records made before
the history existed get one row from migration 0078."""

import threading
from datetime import date

import pytest
from flask import current_app

from portal import migrate
from portal.audit.models import AuditEvent
from portal.catalog.stock.models import StockMovement
from portal.compounding.records import actions
from portal.compounding.records.events import CompoundingRecordEvent
from portal.compounding.records.models import CompoundingRecord
from portal.compounding.records.rules import RECORD_MOVES, RecordStatus
from portal.foundation.db import db, write_transaction
from tests.factories import make_batch_record, make_user, stock_formula

TODAY = date(2026, 3, 1)


def _completed(user=None):
    """A batch with every line weighed exactly and every check passed, then completed."""
    user = user or make_user(roles=("technician",))
    record = make_batch_record(user=user, today=TODAY)
    stock_formula(record.formula)
    with write_transaction():
        for line in record.lines():
            lot = actions.suggested_lots(line, TODAY)[0]
            actions.record_line(
                record, line, lot=lot, measured=line.required_amount, user=user, today=TODAY
            )
        for result in record.quality_results():
            weight = record.quantity if result.check.kind == "final_weight" else None
            actions.record_quality(
                record, result, measured=weight, observed="smooth", judged_pass=True, user=user
            )
    actions.complete(record, user, today=TODAY)
    return record


def _steps(record):
    return [
        (event.from_status, event.to_status, event.user_id)
        for event in CompoundingRecordEvent.history(record)
    ]


def test_every_status_has_a_label_and_its_moves():
    assert set(RECORD_MOVES) == set(RecordStatus)
    assert [status.label for status in RecordStatus] == [
        "In progress",
        "Completed — awaiting pharmacist",
        "Approved",
        "Rejected",
    ]


def test_a_new_record_starts_its_history(app):
    technician = make_user(roles=("technician",))
    record = make_batch_record(user=technician, today=TODAY)
    assert _steps(record) == [("", "in_progress", technician.id)]
    assert CompoundingRecordEvent.history(record)[0].note == f"batch {record.batch_number}"


def test_completing_and_approving_are_each_one_event_and_one_audit(app):
    technician = make_user(roles=("technician",))
    pharmacist = make_user(roles=("pharmacist",))
    record = _completed(technician)
    actions.approve(record, pharmacist)
    assert _steps(record) == [
        ("", "in_progress", technician.id),
        ("in_progress", "completed", technician.id),
        ("completed", "approved", pharmacist.id),
    ]
    completed, approved = CompoundingRecordEvent.history(record)[1:]
    assert completed.note == "beyond-use date 03/14/2026"
    assert approved.to_label == "Approved"
    actions_audited = [
        e.action
        for e in AuditEvent.select()
        .where(
            (AuditEvent.entity == "compounding_record") & (AuditEvent.entity_id == str(record.id))
        )
        .order_by(AuditEvent.id)
    ]
    assert actions_audited == ["create", "complete", "approve"]
    stored = CompoundingRecord.get_by_id(record.id)
    assert (stored.status, stored.approved_by_id) == ("approved", pharmacist.id)


def test_a_stale_page_cannot_approve_a_record_twice(app):
    record = _completed()
    stale = CompoundingRecord.get_by_id(record.id)
    actions.approve(record, make_user(roles=("pharmacist",)))
    with pytest.raises(actions.RecordProblem, match="this one is approved"):
        actions.approve(stale, make_user(roles=("pharmacist",)))
    assert [to for _, to, _ in _steps(record)].count("approved") == 1


def test_a_stale_page_cannot_reject_an_approved_record(app):
    record = _completed()
    stale = CompoundingRecord.get_by_id(record.id)
    pharmacist = make_user(roles=("pharmacist",))
    actions.approve(record, pharmacist)
    with pytest.raises(actions.RecordProblem, match="is approved already"):
        actions.reject(stale, pharmacist, "wrong base", today=TODAY)
    assert CompoundingRecord.get_by_id(record.id).status == "approved"


def test_a_failed_completion_leaves_no_event(app):
    record = make_batch_record(today=TODAY)
    with pytest.raises(actions.RecordProblem):
        actions.complete(record, make_user(), today=TODAY)  # nothing weighed yet
    assert _steps(record) == [("", "in_progress", record.started_by_id)]


def test_rejecting_keeps_the_reason_in_the_history(app):
    record = make_batch_record(today=TODAY)
    pharmacist = make_user(roles=("pharmacist",))
    actions.reject(record, pharmacist, "spilled the base", today=TODAY)
    last = CompoundingRecordEvent.history(record)[-1]
    assert (last.from_status, last.to_status, last.note) == (
        "in_progress",
        "rejected",
        "spilled the base",
    )


def test_the_record_page_shows_the_history_with_who_co_signed(client_as):
    record = _completed()
    technician = client_as("technician")
    pharmacist = make_user(roles=("pharmacist",), full_name="Rita Pharmacist")
    technician.post(
        f"/compounding/records/{record.id}/approve", data={"cosign_pin": pharmacist.pin}
    )
    page = technician.get(f"/compounding/records/{record.id}").get_data(as_text=True)
    history = page[page.index('id="history-title"') :]
    assert "Started" in history and "Completed — awaiting pharmacist" in history
    assert "Approved" in history and "Rita Pharmacist" in history
    assert "co-signed by Rita Pharmacist" in history


def test_migration_0078_gives_each_existing_record_one_row_for_its_status(app):
    approved = _completed()
    pharmacist = make_user(roles=("pharmacist",))
    actions.approve(approved, pharmacist)
    making = make_batch_record(today=TODAY)
    runner = migrate.runner()
    runner.down("0078_compounding_record_events")
    try:
        assert "compounding_record_event" not in CompoundingRecord._meta.database.get_tables()
    finally:
        runner.up()
    rows = {
        event.record_id: (event.from_status, event.to_status, event.user_id)
        for event in CompoundingRecordEvent.select()
    }
    assert rows == {
        approved.id: ("", "approved", pharmacist.id),
        making.id: ("", "in_progress", making.started_by_id),
    }
    moved = CompoundingRecordEvent.get(CompoundingRecordEvent.record == approved.id)
    assert moved.at == CompoundingRecord.get_by_id(approved.id).approved_at
    assert "history starts here" in moved.note


def _at_once(*jobs):
    """Run each job in its own thread (its own connection), started together; returns what
    each raised (None when it succeeded)."""
    start = threading.Barrier(len(jobs))
    outcome = [None] * len(jobs)
    app = current_app._get_current_object()  # each thread works in the app, as a request does

    def run(index, job):
        try:
            start.wait()
            with app.app_context():
                job()
        except Exception as error:  # noqa: BLE001 - collected for the assertion
            outcome[index] = error
        finally:
            db.close()

    threads = [threading.Thread(target=run, args=(i, job)) for i, job in enumerate(jobs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcome


def test_two_terminals_completing_one_record_take_its_stock_once(app):
    user = make_user(roles=("technician",))
    record = _completed(user)  # weighed and checked, then completed ...
    CompoundingRecord.update(status="in_progress").where(
        CompoundingRecord.id == record.id
    ).execute()
    StockMovement.delete().where(StockMovement.compounding_record_id == record.id).execute()
    first, second = (CompoundingRecord.get_by_id(record.id) for _ in range(2))  # ... reopened
    db.close()
    outcome = _at_once(
        lambda: actions.complete(first, user, today=TODAY),
        lambda: actions.complete(second, user, today=TODAY),
    )
    refused = [error for error in outcome if error is not None]
    assert len(refused) == 1 and isinstance(refused[0], actions.RecordProblem), outcome
    taken = StockMovement.select().where(StockMovement.compounding_record_id == record.id)
    assert taken.count() == len(record.lines())
    assert [to for _, to, _ in _steps(record)].count("completed") == 2  # the first, and this one


def test_two_pharmacists_approving_at_once_approve_it_once(app):
    record = _completed()
    pharmacists = [make_user(roles=("pharmacist",)) for _ in range(2)]
    copies = [CompoundingRecord.get_by_id(record.id) for _ in range(2)]
    db.close()
    outcome = _at_once(
        *(
            (lambda copy=copy, who=who: actions.approve(copy, who))
            for copy, who in zip(copies, pharmacists, strict=True)
        )
    )
    assert sorted(type(error).__name__ for error in outcome if error) == ["RecordProblem"]
    assert [to for _, to, _ in _steps(record)].count("approved") == 1
