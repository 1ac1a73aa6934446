"""Making the daily PMP file: the day's controlled dispensings (new), with the revisions
and voids of anything sent before that has since changed or been reversed; kept in the
instance folder, owner-only, and logged with its hash.

    make_file(day, user=..., now=...) -> PmpSubmission
    file_path(submission) -> Path
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

from flask import current_app
from peewee import fn

from portal.audit import log as audit
from portal.foundation import settings
from portal.foundation.dates import utcnow
from portal.foundation.db import write_transaction
from portal.prescriptions.fills.models import Fill
from portal.reports.pmp import asap, gather
from portal.reports.pmp.models import PmpRecord, PmpRevisionDue, PmpSubmission


def folder() -> Path:
    """instance/pmp, readable by the portal's own account only (it holds patient data)."""
    path = Path(current_app.instance_path) / "pmp"
    path.mkdir(parents=True, exist_ok=True)
    os.chmod(path, 0o700)
    return path


def file_path(submission: PmpSubmission) -> Path:
    return folder() / submission.stored_name


# Fields sent after the first files were made: empty, they leave a record's digest as it
# was (DSP17; AIR06-AIR08; DSP23; AIR03, AIR09-AIR10).
ADDED_LATER = (
    "sold_on",
    "picked_up_relationship",
    "picked_up_last",
    "picked_up_first",
    "sig",
    "picked_up_id_state",
    "pharmacist_last",
    "pharmacist_first",
)
# Kept with the record but not an element of it: no revision when only these change.
NOT_SENT = ("status", "schedule")


def _plain(value):
    if isinstance(value, date | datetime):
        return value.isoformat()
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    return value


def sent_json(record: asap.PmpDispensing) -> str:
    return json.dumps({k: _plain(v) for k, v in dataclasses.asdict(record).items()}, sort_keys=True)


def digest(record: asap.PmpDispensing) -> str:
    values = {k: _plain(v) for k, v in dataclasses.asdict(record).items() if k not in NOT_SENT}
    for name in ADDED_LATER:
        if values.get(name) in (None, ""):
            del values[name]  # digests of records kept before the field was sent stay equal
    return hashlib.sha256(json.dumps(values, sort_keys=True).encode()).hexdigest()


def _from_json(text: str, status: str) -> asap.PmpDispensing:
    values = json.loads(text)
    for name in ("written_on", "filled_on", "patient_birth", "sold_on"):
        if values.get(name) is not None:
            values[name] = date.fromisoformat(values[name])
    for name in ("quantity", "quantity_prescribed"):
        if values.get(name) is not None:
            values[name] = Decimal(values[name])
    values["status"] = status
    return asap.PmpDispensing(**values)


def _last_sent(since: datetime | None) -> dict[int, PmpRecord]:
    """The latest record sent of each fill changed since the last file (None: all), or
    queued for a revision since (its patient, prescriber or pharmacist's name edited:
    revisions.py)."""
    latest = PmpRecord.select(fn.MAX(PmpRecord.id)).group_by(PmpRecord.fill_id)
    query = PmpRecord.select().where(PmpRecord.id.in_(latest))
    if since is not None:
        changed = Fill.select(Fill.id).where(Fill.updated_at >= since)
        queued = PmpRevisionDue.select(PmpRevisionDue.fill_id).where(
            PmpRevisionDue.submission.is_null()
        )
        query = query.where(PmpRecord.fill_id.in_(changed) | PmpRecord.fill_id.in_(queued))
    return {row.fill_id: row for row in query}


# What the state matches a revision or void by: the prescription number (DSP02), the fill
# date (DSP05) and the refill number (DSP06), repeated as first sent (asap.py: Minnesota
# PMP, "File Submission"). The portal may since compute them otherwise: a partial fill's
# remainder reported before its DSP06 became the partial's own refill number (first round
# of 21 CFR 1306.13 partial fills) would otherwise go out with another DSP06.
IDENTIFYING = ("rx_number", "filled_on", "fill_number")


def air_for() -> str:
    """Which dispensings carry the AIR segment (setting pmp.air_for, the state's choice)."""
    return str(settings.get("pmp.air_for") or asap.AIR_FOR_ALL)


def reads_as_sent(sent: PmpRecord, record: asap.PmpDispensing) -> bool:
    """Would the file carry ``record`` in the very words ``sent`` went out in? A value the
    file does not write (a pharmacist's name where no AIR segment goes) or writes alike (in
    capitals) changes the record but gives the state nothing to revise."""
    mode = air_for()
    before = asap.dispensing_segments(_from_json(sent.sent, asap.REVISE), mode)
    after = asap.dispensing_segments(dataclasses.replace(record, status=asap.REVISE), mode)
    return before == after


def first_sent(fill_ids) -> dict[int, dict]:
    """The identifying values each fill's first record was sent with (PmpRecord.sent)."""
    ids = list(fill_ids)
    if not ids:
        return {}
    first = PmpRecord.select(fn.MIN(PmpRecord.id)).where(PmpRecord.fill_id.in_(ids))
    rows = PmpRecord.select(PmpRecord.fill_id, PmpRecord.sent).where(
        PmpRecord.id.in_(first.group_by(PmpRecord.fill_id))
    )
    found = {}
    for row in rows:
        values = json.loads(row.sent)
        found[row.fill_id] = {name: values.get(name) for name in IDENTIFYING}
    return found


def as_first_sent(record: asap.PmpDispensing, first: dict | None) -> asap.PmpDispensing:
    """``record`` with its identifying values as first sent (``first``: first_sent's)."""
    if not first:
        return record
    values = {name: first[name] for name in IDENTIFYING if first.get(name) is not None}
    if "filled_on" in values:
        values["filled_on"] = date.fromisoformat(values["filled_on"])
    return dataclasses.replace(record, **values)


def corrections(since: datetime | None) -> list[tuple[int, asap.PmpDispensing]]:
    """Revisions of changed dispensings and voids of reversed ones (DSP01 01 / 02), each
    repeating the identifying values as first sent (IDENTIFYING)."""
    sent = {k: v for k, v in _last_sent(since).items() if v.reporting_status != asap.VOID}
    fills = gather.fills_by_id(sent)
    first = first_sent(sent)
    found = []
    still = [fills[i] for i in sent if i in fills and gather.is_dispensed(fills[i])]
    for fill, now_sent in zip(still, gather.records(still, asap.REVISE), strict=True):
        now_sent = as_first_sent(now_sent, first.get(fill.id))
        if digest(now_sent) != sent[fill.id].digest:
            found.append((fill.id, now_sent))
    for fill_id, row in sent.items():
        if fill_id not in fills or not gather.is_dispensed(fills[fill_id]):
            voided = as_first_sent(_from_json(row.sent, asap.VOID), first.get(fill_id))
            found.append((fill_id, voided))
    return found


def make_file(day: date, *, user=None, now: datetime | None = None) -> PmpSubmission:
    """The file for the day (a zero report when nothing was dispensed and nothing changed)."""
    now = now or utcnow()
    with write_transaction():
        previous = PmpSubmission.select().order_by(PmpSubmission.id.desc()).first()
        today = gather.dispensed_on(day)
        already = {
            r.fill_id
            for r in PmpRecord.select(PmpRecord.fill_id).where(
                PmpRecord.fill_id.in_([f.id for f in today])
            )
        }
        new = [f for f in today if f.id not in already]
        entries = list(zip([f.id for f in new], gather.records(new), strict=True))
        entries += corrections(previous.created_at if previous else None)
        control = str(PmpSubmission.select().count() + 1).zfill(9)
        text = asap.build_file(
            gather.pharmacy_facts(),
            [record for _, record in entries],
            control_number=control,
            created_at=now,
            start=day,
            end=day,
            air_for=air_for(),
        )
        data = text.encode("ascii", "replace")
        stored = f"pmp-{day:%Y%m%d}-{control}.txt"
        path = folder() / stored
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "wb") as out:
            out.write(data)
        submission = PmpSubmission.create(
            period_start=day,
            period_end=day,
            control_number=control,
            record_count=len(entries),
            sha256=hashlib.sha256(data).hexdigest(),
            stored_name=stored,
            created_by=user,
            created_at=now,
        )
        for fill_id, record in entries:
            PmpRecord.create(
                submission=submission,
                fill_id=fill_id,
                reporting_status=record.status,
                digest=digest(record),
                sent=sent_json(record),
            )
        # The revisions queued by patient, prescriber and pharmacist name edits went out in
        # this file (those whose record came back unchanged need none).
        PmpRevisionDue.update(submission=submission).where(
            PmpRevisionDue.submission.is_null()
        ).execute()
        audit.record(
            "create", "pmp_submission", submission.id, after=audit.snapshot(submission), user=user
        )
    return submission
