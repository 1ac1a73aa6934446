"""The append-only audit trail: one row per change or view, hash-chained."""

import hashlib
import hmac
import json

from peewee import AutoField, BooleanField, CharField, DateTimeField, IntegerField, TextField

from portal.foundation.dates import utcnow
from portal.foundation.db import BaseModel

GENESIS = "0" * 64


class AuditEvent(BaseModel):
    id = AutoField()
    at = DateTimeField(default=utcnow, index=True)
    # Plain ids, not foreign keys: the trail must outlive anything it describes.
    user_id = IntegerField(null=True, index=True)
    actor = CharField(max_length=120, default="")
    terminal = CharField(max_length=64, default="")
    action = CharField(max_length=40, index=True)
    entity = CharField(max_length=40)
    entity_id = CharField(max_length=64, default="")
    patient_id = IntegerField(null=True, index=True)
    before = TextField(default="")
    after = TextField(default="")
    note = TextField(default="")
    prev_hash = CharField(max_length=64)
    hash = CharField(max_length=64, unique=True)
    # True: `hash` is an HMAC-SHA256 under the instance folder's audit key (everything written
    # since migration 0090). False: a plain SHA-256 from before the chain was keyed.
    keyed = BooleanField(default=False)

    class Meta:
        indexes = ((("entity", "entity_id"), False),)

    def canonical(self) -> str:
        return canonical(self)

    def compute_hash(self, key: bytes) -> str:
        return event_hash(self, key)

    def before_data(self) -> dict:
        return json.loads(self.before) if self.before else {}

    def after_data(self) -> dict:
        return json.loads(self.after) if self.after else {}


def canonical(event) -> str:
    """The exact text the hash covers: every column but the hash, in a fixed order. Takes an
    AuditEvent or a row read as a named tuple (a long chain is walked without models)."""
    return json.dumps(
        [
            event.at.isoformat(timespec="microseconds"),
            event.user_id,
            event.actor,
            event.terminal,
            event.action,
            event.entity,
            str(event.entity_id),
            event.patient_id,
            event.before,
            event.after,
            event.note,
            event.prev_hash,
        ],
        separators=(",", ":"),
        ensure_ascii=False,
    )


def event_hash(event, key: bytes) -> str:
    """HMAC-SHA256 of the canonical text under the audit key; plain SHA-256 for an event
    written before the chain was keyed."""
    text = canonical(event).encode()
    if event.keyed:
        return hmac.new(key, text, hashlib.sha256).hexdigest()
    return hashlib.sha256(text).hexdigest()


class AuditQuery:
    """Filters for reading the trail (the manager's audit page and its CSV export)."""

    def __init__(
        self,
        user_id=None,
        patient_id=None,
        entity="",
        action="",
        start=None,
        end=None,
        patient_ids=None,
        entities=None,
    ):
        self.user_id, self.patient_id = user_id, patient_id
        self.entity, self.action = entity or "", action or ""
        self.start, self.end = start, end  # naive UTC bounds: start <= at < end
        # None: no such filter; an empty list: a filter that matched nothing (no rows).
        self.patient_ids, self.entities = patient_ids, entities

    def select(self):
        query = AuditEvent.select()
        if self.user_id is not None:
            query = query.where(AuditEvent.user_id == self.user_id)
        if self.patient_id is not None:
            query = query.where(AuditEvent.patient_id == self.patient_id)
        if self.patient_ids is not None:
            query = query.where(AuditEvent.patient_id.in_(self.patient_ids or [-1]))
        if self.entity:
            query = query.where(AuditEvent.entity == self.entity)
        if self.entities is not None:
            query = query.where(AuditEvent.entity.in_(self.entities or [""]))
        if self.action:
            query = query.where(AuditEvent.action == self.action)
        if self.start is not None:
            query = query.where(AuditEvent.at >= self.start)
        if self.end is not None:
            query = query.where(AuditEvent.at < self.end)
        return query

    def page(self, before_id: int | None = None, size: int = 50) -> list:
        """One page, newest first, by keyset on the id (no OFFSET scans on a long trail)."""
        query = self.select()
        if before_id:
            query = query.where(AuditEvent.id < before_id)
        return list(query.order_by(AuditEvent.id.desc()).limit(size))

    def page_after(self, after_id: int, size: int = 50) -> list:
        """The page just newer than after_id, newest first (the "Newer" link)."""
        query = self.select().where(AuditEvent.id > after_id)
        return list(reversed(list(query.order_by(AuditEvent.id).limit(size))))

    def count(self) -> int:
        return self.select().count()

    def count_newer(self, than_id: int) -> int:
        """How many matching events are newer than than_id: where a page starts."""
        return self.select().where(AuditEvent.id > than_id).count()

    def batches(self, size: int = 1000):
        """Every matching event, oldest first, in batches (for streaming exports)."""
        last_id = 0
        while True:
            rows = list(
                self.select().where(AuditEvent.id > last_id).order_by(AuditEvent.id).limit(size)
            )
            if not rows:
                return
            yield rows
            last_id = rows[-1].id


def distinct_values(column) -> list[str]:
    return [
        value
        for (value,) in AuditEvent.select(column).distinct().order_by(column).tuples()
        if value
    ]
