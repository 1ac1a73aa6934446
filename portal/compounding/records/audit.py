"""A compounding record's audit events, and the error a refused change raises."""

from portal.audit import log as audit
from portal.compounding.records.models import CompoundingRecord
from portal.foundation.db import write_transaction


class RecordProblem(ValueError):
    """A change to a compounding record that cannot be made; the message says why."""


def patient_of(record: CompoundingRecord) -> int | None:
    fill = record.fill_or_none()
    return fill.patient_id if fill is not None else None


def audit_record(
    action,
    record,
    before=None,
    after=None,
    note="",
    user=None,
    entity="compounding_record",
    entity_id=None,
):
    audit.record(
        action,
        entity,
        record.id if entity_id is None else entity_id,
        before=before,
        after=after,
        note=note,
        patient_id=patient_of(record),
        user=user,
    )


def printed(record: CompoundingRecord, user=None) -> None:
    """The printable record was produced: who saw a patient's record, and when."""
    with write_transaction():
        audit_record("print", record, user=user)
