"""The one way a compounding record changes status: portal.audit.transitions.move, with the
record's event row (events.py) and audit event in the same transaction. A refusal, or a
second terminal's move in between, comes back as RecordProblem in words."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from portal.audit import transitions
from portal.auth.cosign import current_note
from portal.compounding.records.audit import RecordProblem, patient_of
from portal.compounding.records.events import CompoundingRecordEvent
from portal.compounding.records.models import CompoundingRecord
from portal.compounding.records.rules import RECORD_MOVES, RecordStatus


def event_note(note: str = "") -> str:
    """The event's note with who co-signed at whose terminal, when someone did."""
    extra = current_note()
    if not extra:
        return note
    return f"{note} ({extra})" if note else extra


def started(record: CompoundingRecord, user, note: str = "") -> CompoundingRecordEvent:
    """The first row of a new record's history."""
    return CompoundingRecordEvent.create(
        record=record,
        from_status="",
        to_status=RecordStatus.IN_PROGRESS,
        user=user,
        note=event_note(note),
    )


def move(
    record: CompoundingRecord,
    to_status: RecordStatus,
    user,
    *,
    action: str,
    changes: Mapping[str, Any] | None = None,
    note: str = "",
    check_stored: Callable[[CompoundingRecord], None] | None = None,
) -> CompoundingRecordEvent:
    """Move the record to ``to_status`` from its stored status (joins the caller's
    transaction, or opens one); the audit event is named ``action``."""

    def event(from_status: str, to_status: str) -> CompoundingRecordEvent:
        return CompoundingRecordEvent.create(
            record=record,
            from_status=from_status,
            to_status=to_status,
            user=user,
            note=event_note(note),
        )

    try:
        return transitions.move(
            record,
            to_status,
            moves=RECORD_MOVES,
            user=user,
            entity="compounding_record",
            event=event,
            changes=changes,
            note=note,
            patient_id=patient_of(record),
            what="compounding record",
            action=action,
            check_stored=check_stored,
        )
    except transitions.IllegalMove as refused:
        raise RecordProblem(str(refused)) from refused
