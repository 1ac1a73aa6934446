"""Writing audit events: call record() inside the transaction that makes the change."""

import datetime
import decimal
import json
from dataclasses import dataclass
from typing import Any

from flask import current_app, g, has_request_context, session
from peewee import Model

from portal.audit.models import GENESIS, AuditEvent, event_hash
from portal.foundation import locks, settings
from portal.foundation.dates import utcnow
from portal.foundation.db import db

# Columns never copied into the trail (secrets stay out of it).
SECRET_FIELDS = {"password_hash", "pin_hash", "pin_lookup", "badge_hash", "badge_lookup"}


def plain_value(value: Any) -> Any:
    """A value as the trail stores it: dates as ISO text, Decimals as text, rows as ids."""
    if isinstance(value, datetime.datetime | datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, Model):
        return value.get_id()
    return value


def snapshot(instance: Model) -> dict:
    """A model row as a JSON-safe dict of its columns (foreign keys as ids, no secrets)."""
    data = {}
    for field in instance._meta.sorted_fields:
        if field.name in SECRET_FIELDS:
            continue
        data[field.name] = plain_value(instance.__data__.get(field.name))
    return data


def changes(before: dict | None, after: dict | None) -> tuple[dict, dict]:
    """Keep only the fields that differ: the before and after of a change."""
    before, after = before or {}, after or {}
    keys = sorted(set(before) | set(after))
    changed = [key for key in keys if before.get(key) != after.get(key)]
    return (
        {key: before[key] for key in changed if key in before},
        {key: after[key] for key in changed if key in after},
    )


def _dump(data: dict | None) -> str:
    if not data:
        return ""
    return json.dumps({k: plain_value(v) for k, v in data.items()}, sort_keys=True, default=str)


def chain_key() -> bytes:
    """The audit key from the instance folder (config.py keeps it out of the database)."""
    return current_app.config["AUDIT_KEY"].encode()


def _acting():
    """Who is acting and at which terminal, from the request when there is one."""
    if not has_request_context():
        return None, "", ""
    user = g.get("user")
    terminal = session.get("terminal", "")
    if user is None:
        return None, "", terminal
    return user.id, user.full_name, terminal


def _event(
    action, entity, entity_id, before, after, patient_id, note, user_id, actor, terminal, extra
) -> AuditEvent:
    """One unchained event (no prev_hash or hash yet), as record() and record_many() store it."""
    if extra:
        note = f"{note}; {extra}" if note else extra
    if action in ("update",):
        before, after = changes(before, after)
    return AuditEvent(
        at=utcnow(),
        user_id=user_id,
        actor=actor or "",
        terminal=terminal or "",
        action=action,
        entity=entity,
        entity_id=str(entity_id),
        patient_id=patient_id,
        before=_dump(before),
        after=_dump(after),
        note=note or "",
        keyed=True,
    )


def _who(user):
    """(user id, name, terminal) of the acting user: the one passed in, or the request's."""
    if user is not None:
        return user.id, user.full_name, _acting()[2]
    return _acting()


def _co_sign_note() -> str:
    # A pharmacist co-signing at someone else's terminal (portal.auth.cosign) adds a note.
    return g.get("audit_note", "") if has_request_context() else ""


def record(
    action: str,
    entity: str,
    entity_id: Any = "",
    *,
    before: dict | None = None,
    after: dict | None = None,
    patient_id: int | None = None,
    note: str = "",
    user=None,
) -> AuditEvent:
    """Append one event to the chain. Call it inside the write_transaction() of the change,
    so the change and its event commit or roll back together."""
    event = _event(
        action, entity, entity_id, before, after, patient_id, note, *_who(user), _co_sign_note()
    )
    with db.atomic():
        locks.hold_for_transaction(locks.AUDIT_CHAIN)
        last = AuditEvent.select(AuditEvent.hash).order_by(AuditEvent.id.desc()).first()
        event.prev_hash = last.hash if last else GENESIS
        event.hash = event.compute_hash(chain_key())
        event.save(force_insert=True)
    return event


_INSERT_BATCH = 500  # rows per INSERT: well under SQLite's bound-parameter limit (13 columns)


def record_many(entries: list[dict], *, user=None) -> int:
    """Append many events by one acting user: what record() does for each, with one lock of
    the chain, one read of its head and one INSERT per batch. Each entry holds record()'s
    arguments (action, entity, entity_id, before, after, patient_id, note); the events are
    chained in the order given, so the trail verifies exactly as if record() wrote them one
    by one. Call inside the change's transaction. Returns how many were written."""
    if not entries:
        return 0
    who, extra = _who(user), _co_sign_note()
    events = [
        _event(
            entry["action"],
            entry["entity"],
            entry.get("entity_id", ""),
            entry.get("before"),
            entry.get("after"),
            entry.get("patient_id"),
            entry.get("note", ""),
            *who,
            extra,
        )
        for entry in entries
    ]
    key = chain_key()
    with db.atomic():
        locks.hold_for_transaction(locks.AUDIT_CHAIN)
        last = AuditEvent.select(AuditEvent.hash).order_by(AuditEvent.id.desc()).first()
        previous = last.hash if last else GENESIS
        for event in events:
            event.prev_hash = previous
            event.hash = previous = event.compute_hash(key)
        fields = [f for f in AuditEvent._meta.sorted_fields if f.name != "id"]
        rows = [tuple(event.__data__[f.name] for f in fields) for event in events]
        for start in range(0, len(rows), _INSERT_BATCH):
            AuditEvent.insert_many(rows[start : start + _INSERT_BATCH], fields=fields).execute()
    return len(events)


@dataclass
class ChainCheck:
    """What a walk of the chain found: how far it got, and the first problem if any."""

    count: int = 0  # events checked and found intact
    head_id: int = 0  # the last intact event (0 and GENESIS for an empty trail)
    head: str = GENESIS
    event: Any = None  # the first bad event (id, action, entity, at...), when one is to blame
    why: str = ""

    @property
    def ok(self) -> bool:
        return not self.why

    def failed(self, event: AuditEvent | None, why: str) -> "ChainCheck":
        self.event, self.why = event, why
        return self


def _when(checkpoint) -> str:
    return f"the checkpoint of {checkpoint.at:%Y-%m-%d %H:%M:%S} UTC"


def _events_after(last_id: int, batch: int):
    """Every event after last_id in id order, read in batches as named tuples (not models:
    a year's trail is walked several times faster)."""
    while True:
        rows = list(
            AuditEvent.select()
            .where(AuditEvent.id > last_id)
            .order_by(AuditEvent.id)
            .limit(batch)
            .namedtuples()
        )
        if not rows:
            return
        yield from rows
        last_id = rows[-1].id


def _fault(event, key: bytes, expected_prev: str, unkeyed_allowed: bool) -> str:
    """Why one event breaks the chain, or "" when it holds."""
    if not event.keyed and not unkeyed_allowed:
        return "it is not keyed although the chain was keyed before it was written"
    if event.prev_hash != expected_prev:
        return "its link to the previous event is broken (a row was deleted or changed)"
    if event_hash(event, key) != event.hash:
        return "its contents do not match its hash (the row was edited or rewritten)"
    return ""


def _checkpoint_fault(event, count: int, checkpoint) -> str:
    """At or past the checkpoint's head: the head must be this event, unchanged."""
    if event.id != checkpoint.head_id:
        return f"event {checkpoint.head_id}, the last one in {_when(checkpoint)}, is missing"
    if event.hash != checkpoint.head or count != checkpoint.count:
        return f"it differs from {_when(checkpoint)} (the trail was rewritten)"
    return ""


def _cut_short(check: ChainCheck, checkpoint) -> str:
    ends = (
        f"the trail ends after {check.count} events (at event {check.head_id})"
        if check.count
        else "the trail is empty"
    )
    return (
        f"{ends}, but {_when(checkpoint)} recorded {checkpoint.count} events up to event "
        f"{checkpoint.head_id}: events were deleted"
    )


def verify_chain(
    key: bytes, checkpoint=None, *, since=None, legacy_through: int | None = None, batch=2000
) -> ChainCheck:
    """Walk the chain in id order, from the start or from the head of the checkpoint `since`.

    Each event must link to the one before and match its hash (HMAC under `key` once keyed);
    unkeyed events may only come before the first keyed one and up to `legacy_through`.
    Against `checkpoint` (portal.audit.anchor) the walk must pass its head event with the
    same hash and count: fewer events means the end was cut off, another hash a rewrite.
    """
    check, seen_keyed = ChainCheck(), False
    if since is not None and since.head_id:
        start = AuditEvent.get_or_none(AuditEvent.id == since.head_id)
        if start is None or start.hash != since.head:
            why = f"event {since.head_id}, the last one in {_when(since)}, is missing or changed"
            return check.failed(start, f"{why} (events were deleted or rewritten)")
        check.count, check.head_id, check.head = since.count, start.id, start.hash
        seen_keyed = start.keyed
    reached = checkpoint is None or check.head_id >= checkpoint.head_id
    for event in _events_after(check.head_id, batch):
        seen_keyed = seen_keyed or event.keyed
        in_legacy = legacy_through is None or event.id <= legacy_through
        why = _fault(event, key, check.head, unkeyed_allowed=not seen_keyed and in_legacy)
        if why:
            return check.failed(event, why)
        check.count, check.head_id, check.head = check.count + 1, event.id, event.hash
        if not reached and event.id >= checkpoint.head_id:
            why = _checkpoint_fault(event, check.count, checkpoint)
            if why:
                return check.failed(event, why)
            reached = True
    if not reached:
        return check.failed(None, _cut_short(check, checkpoint))
    return check


def _setting_changed(key: str, old: Any, new: Any) -> None:
    record("update", "setting", key, before={"value": old}, after={"value": new})


# Every change of a pharmacy setting is in the trail, whichever area's page made it.
settings.on_change(_setting_changed)
