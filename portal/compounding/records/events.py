"""A compounding record's history: each move from one status to the next, who made it, when
and why (USP <795>, Compounding Records: the record names who compounded the preparation
and who verified it). Rows are written by lifecycle.py and start.py, never edited or
deleted."""

from __future__ import annotations

from peewee import JOIN, CharField, DateTimeField, ForeignKeyField, TextField

from portal.auth.models import User
from portal.compounding.records.models import CompoundingRecord
from portal.compounding.records.rules import RECORD_STATUS_LABELS
from portal.foundation.dates import utcnow
from portal.foundation.db import BaseModel


class CompoundingRecordEvent(BaseModel):
    """One move of a compounding record: from, to, who, when and why."""

    record = ForeignKeyField(CompoundingRecord, backref="event_rows", on_delete="CASCADE")
    from_status = CharField(max_length=12, default="")  # "" when the record was started
    to_status = CharField(max_length=12)
    # None only where no one is known: a record closed because its fill was sent back
    # before the pharmacist's name was kept with the move.
    user = ForeignKeyField(User, null=True, backref="+", on_delete="RESTRICT")
    at = DateTimeField(default=utcnow)
    note = TextField(default="")  # the reason, and who co-signed at whose terminal

    class Meta:
        table_name = "compounding_record_event"
        indexes = ((("record", "at"), False),)

    @property
    def to_label(self) -> str:
        return RECORD_STATUS_LABELS.get(self.to_status, self.to_status)

    @classmethod
    def history(cls, record: CompoundingRecord) -> list[CompoundingRecordEvent]:
        """The record's moves, oldest first, with who made each."""
        return list(
            cls.select(cls, User)
            .join(User, on=(cls.user == User.id), join_type=JOIN.LEFT_OUTER)
            .where(cls.record == record)
            .order_by(cls.at, cls.id)
        )
