"""Writing audit events: call record() inside the transaction that makes the change."""

import datetime
import decimal
import json
from typing import Any

from flask import g, has_request_context, session
from peewee import Model

from portal.audit.models import GENESIS, AuditEvent
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


def _acting():
    """Who is acting and at which terminal, from the request when there is one."""
    if not has_request_context():
        return None, "", ""
    user = g.get("user")
    terminal = session.get("terminal", "")
    if user is None:
        return None, "", terminal
    return user.id, user.full_name, terminal


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
    if user is not None:
        user_id, actor, terminal = user.id, user.full_name, _acting()[2]
    else:
        user_id, actor, terminal = _acting()
    # A pharmacist co-signing at someone else's terminal (portal.auth.cosign) adds a note.
    extra = g.get("audit_note", "") if has_request_context() else ""
    if extra:
        note = f"{note}; {extra}" if note else extra
    if action in ("update",):
        before, after = changes(before, after)
    with db.atomic():
        locks.hold_for_transaction(locks.AUDIT_CHAIN)
        last = AuditEvent.select(AuditEvent.hash).order_by(AuditEvent.id.desc()).first()
        event = AuditEvent(
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
            prev_hash=last.hash if last else GENESIS,
        )
        event.hash = event.compute_hash()
        event.save(force_insert=True)
    return event


def verify_chain(batch: int = 2000) -> tuple[int, AuditEvent | None, str]:
    """Walk the chain in id order. Returns (events checked, first bad event or None, why)."""
    expected_prev, count, last_id = GENESIS, 0, 0
    while True:
        rows = list(
            AuditEvent.select().where(AuditEvent.id > last_id).order_by(AuditEvent.id).limit(batch)
        )
        if not rows:
            return count, None, ""
        for event in rows:
            if event.prev_hash != expected_prev:
                return (
                    count,
                    event,
                    "its link to the previous event is broken (a row was deleted or changed)",
                )
            if event.compute_hash() != event.hash:
                return count, event, "its contents do not match its hash (the row was edited)"
            expected_prev, last_id = event.hash, event.id
            count += 1


def _setting_changed(key: str, old: Any, new: Any) -> None:
    record("update", "setting", key, before={"value": old}, after={"value": new})


# Every change of a pharmacy setting is in the trail, whichever area's page made it.
settings.on_change(_setting_changed)
