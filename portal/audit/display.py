"""An audit event as a manager reads it: names instead of ids, local times, and only the
fields that really changed ("0.00" and "0" are the same amount)."""

import re
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from flask_babel import gettext as _

from portal.audit import names as audit_names
from portal.audit.models import AuditEvent
from portal.foundation.digits import is_digits
from portal.foundation.filters import local_time

# Columns that hold another record's id, and the record type they point at.
REFERENCES = {
    "patient": "patient",
    "coverage": "coverage",
    "payer": "payer",
    "payer_id": "payer",
    "fill": "fill",
    "fill_id": "fill",
    "prescription": "prescription",
    "prescriber": "prescriber",
    "product": "product",
    "ingredient": "ingredient",
    "lot": "lot",
    "dispensed_lot": "lot",
    "formula": "formula",
    "record": "compounding_record",
    "compounding_record_id": "compounding_record",
    "claim": "claim",
    "primary_claim": "claim",
    "remittance": "remittance",
    "user": "user",
    "assigned_to": "user",
    "pharmacist": "user",
}
# Columns never shown as changes: the row's own id, the time of the change itself (the
# event has it), and search keys derived from a field that is shown.
HIDDEN = {"id", "updated_at"}
DERIVED = re.compile(r"_(key|digits|lookup)$")
ISO_MOMENT = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}")
ISO_DAY = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")


@dataclass
class Change:
    label: str
    before: str | None  # None: the field was not there before (created)
    after: str | None  # None: the field is gone (deleted)


@dataclass
class EventView:
    event: AuditEvent
    when: str
    record: str
    patient: str
    changes: list[Change] = field(default_factory=list)
    snapshot: list[Change] = field(default_factory=list)  # a created or deleted record


def _target(key: str) -> str | None:
    if key in REFERENCES:
        return REFERENCES[key]
    if key.endswith("_by") and key != "picked_up_by":  # picked_up_by is a typed name
        return "user"
    return None


def _number(value):
    if isinstance(value, bool) or value is None:
        return None
    try:
        return Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None


def same(before, after) -> bool:
    """Equal as stored values: "0.00" == 0, "" == None."""
    if before == after:
        return True
    if before in ("", None) and after in ("", None):
        return True
    left, right = _number(before), _number(after)
    return left is not None and right is not None and left == right


def _shown(key: str) -> bool:
    return key not in HIDDEN and not DERIVED.search(key)


def _label(key: str) -> str:
    words = key.removesuffix("_id").replace("_", " ")
    return words[:1].upper() + words[1:]


def _text(key: str, value, named: dict) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return "yes" if value else "no"
    target = _target(key)
    if target and is_digits(str(value)):
        return named.get((target, str(value)), audit_names.plain(target, value))
    if key in ("status", "state") and isinstance(value, str):
        return value.replace("_", " ")
    if isinstance(value, str) and ISO_MOMENT.match(value):
        try:
            return local_time(datetime.fromisoformat(value))
        except ValueError:
            return value
    if isinstance(value, str) and ISO_DAY.match(value):
        try:
            return date.fromisoformat(value).strftime("%m/%d/%Y")
        except ValueError:
            return value
    if isinstance(value, list | dict):
        return ", ".join(str(item) for item in value) if isinstance(value, list) else str(value)
    return str(value)


def _references(event: AuditEvent):
    yield event.entity, event.entity_id
    if event.patient_id:
        yield "patient", str(event.patient_id)
    for data in (event.before_data(), event.after_data()):
        for key, value in data.items():
            target = _target(key)
            if target and value is not None and is_digits(str(value)):
                yield target, str(value)


def _changes(event: AuditEvent, named: dict) -> tuple[list[Change], list[Change]]:
    before, after = event.before_data(), event.after_data()
    keys = [k for k in list(before) + [k for k in after if k not in before] if _shown(k)]
    if before and after:
        return [
            Change(_label(k), _text(k, before.get(k), named), _text(k, after.get(k), named))
            for k in keys
            if not same(before.get(k), after.get(k))
        ], []
    # A record created (or removed) whole: its fields are a snapshot, not a list of changes.
    data, created = (after, True) if after else (before, False)
    snapshot = []
    for key in keys:
        if data.get(key) in ("", None):
            continue
        text = _text(key, data[key], named)
        snapshot.append(
            Change(_label(key), None, text) if created else Change(_label(key), text, None)
        )
    return [], snapshot


def views(events: list[AuditEvent]) -> list[EventView]:
    """The page's rows, with every name found in one query per record type."""
    named = audit_names.names(pair for event in events for pair in _references(event))
    rows = []
    for event in events:
        changes, snapshot = _changes(event, named)
        record = named.get((event.entity, event.entity_id)) or audit_names.plain(
            event.entity, event.entity_id
        )
        patient = ""
        if event.patient_id:
            patient = named.get(
                ("patient", str(event.patient_id)), _("patient %(number)s", number=event.patient_id)
            )
        rows.append(
            EventView(
                event=event,
                when=local_time(event.at, "%m/%d/%Y %I:%M:%S %p"),
                record=record,
                patient=patient,
                changes=changes,
                snapshot=snapshot,
            )
        )
    return rows
