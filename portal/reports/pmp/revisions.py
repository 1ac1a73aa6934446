"""Revisions sent to the PMP when the facts reported about a dispensing change without the
dispensing itself changing: its patient (name, birth date, sex, address, phone) or its
prescriber (name, NPI, DEA number, phone) edited after it was sent, or the name of the
pharmacist who did its final verification (AIR09, AIR10) corrected.

ASAP 4.2A DSP01 "01" revises a record already sent, repeating the prescription number, fill
date and refill number as first sent. The patients, prescribers and auth areas sit below
reports, so they call these listeners from their own registries (Patient.after_edit,
Prescriber.after_edit, User.after_name_change), in the edit's transaction:

    patient_edited(patient), prescriber_edited(prescriber), pharmacist_renamed(user)

Each queues (PmpRevisionDue) the dispensings already sent and not voided, filled within
the look-back (setting pmp.revision_days), whose record as the file writes it now differs
from the one last sent; each is logged in the audit trail with the fields that changed. The
next daily file (submit.make_file) sends them.
"""

from __future__ import annotations

import json
from datetime import timedelta

from flask import g, has_request_context
from flask_babel import ngettext
from peewee import fn

from portal.audit import log as audit
from portal.foundation import settings
from portal.foundation.dates import today, utcnow
from portal.prescriptions.fills.models import Fill
from portal.prescriptions.models import Prescription
from portal.reports.pmp import asap, gather, submit
from portal.reports.pmp.models import PmpRecord, PmpRevisionDue


def patient_edited(patient) -> int:
    """Queue revisions of the patient's reported dispensings; how many were queued."""
    return queue(Fill.patient == patient.id, "patient edited")


def prescriber_edited(prescriber) -> int:
    """Queue revisions of the prescriber's reported dispensings; how many were queued."""
    written = Prescription.select(Prescription.id).where(Prescription.prescriber == prescriber.id)
    return queue(Fill.prescription.in_(written), "prescriber edited")


def pharmacist_renamed(user) -> str | None:
    """Queue revisions of the reported dispensings the person final-verified (their name is
    AIR09/AIR10), and say for whoever corrected the name how many now wait to be sent again,
    those queued earlier included (a second correction before the file queues none again);
    None when none wait (a technician, a pharmacist with nothing sent)."""
    verified = Fill.final_verified_by == user.id
    queue(verified, "pharmacist name corrected")
    checked = Fill.select(Fill.id).where(verified)
    waiting = (
        PmpRevisionDue.select()
        .where(PmpRevisionDue.submission.is_null() & PmpRevisionDue.fill_id.in_(checked))
        .count()
    )
    if not waiting:
        return None
    return ngettext(
        "%(num)d dispensing already sent to the state PMP will be sent again, with the "
        "corrected name, in the next daily file.",
        "%(num)d dispensings already sent to the state PMP will be sent again, with the "
        "corrected name, in the next daily file.",
        waiting,
    )


WAITING_SHOWN = 50


def waiting() -> list[tuple[PmpRevisionDue, str]]:
    """Revisions queued for the next file with their "Rx-fill", oldest first (the PMP page
    lists them)."""
    rows = list(
        PmpRevisionDue.select()
        .where(PmpRevisionDue.submission.is_null())
        .order_by(PmpRevisionDue.id)
        .limit(WAITING_SHOWN)
    )
    fills = gather.fills_by_id({row.fill_id for row in rows})
    return [
        (row, fills[row.fill_id].rx_fill if row.fill_id in fills else str(row.fill_id))
        for row in rows
    ]


def lookback_days() -> int:
    try:
        days = int(settings.get("pmp.revision_days"))
    except (TypeError, ValueError):
        days = 365
    return days if days >= 1 else 365


def queue(which, reason: str, user=None) -> int:
    """Queue a revision of each fill matching ``which`` that was reported, is not voided,
    is not already waiting, was filled within the look-back and whose record changed."""
    since = today() - timedelta(days=lookback_days())
    fill_ids = Fill.select(Fill.id).where(which & (Fill.filled_on >= since))
    latest = (
        PmpRecord.select(fn.MAX(PmpRecord.id))
        .where(PmpRecord.fill_id.in_(fill_ids))
        .group_by(PmpRecord.fill_id)
    )
    sent = {
        row.fill_id: row
        for row in PmpRecord.select().where(PmpRecord.id.in_(latest))
        if row.reporting_status != asap.VOID
    }
    if not sent:
        return 0
    waiting = {
        row.fill_id
        for row in PmpRevisionDue.select(PmpRevisionDue.fill_id).where(
            PmpRevisionDue.submission.is_null() & PmpRevisionDue.fill_id.in_(list(sent))
        )
    }
    fills = gather.fills_by_id([i for i in sent if i not in waiting])
    still = [fill for fill in fills.values() if gather.is_dispensed(fill)]
    first = submit.first_sent(fill.id for fill in still)
    due = []
    for fill, now_sent in zip(still, gather.records(still, asap.REVISE), strict=True):
        now_sent = submit.as_first_sent(now_sent, first.get(fill.id))
        last = sent[fill.id]
        if submit.digest(now_sent) == last.digest:
            continue  # nothing ASAP carries changed (an e-mail, a note, a fax number)
        if submit.reads_as_sent(last, now_sent):
            continue  # nothing the file writes changed (no AIR segment carries the name)
        due.append((fill, changed_fields(last.sent, now_sent)))
    if not due:
        return 0
    now = utcnow()
    PmpRevisionDue.insert_many(
        [
            {
                "fill_id": fill.id,
                "reason": reason,
                "fields": " ".join(fields),
                "queued_by": user.id if user is not None else _request_user_id(),
                "queued_at": now,
            }
            for fill, fields in due
        ]
    ).execute()
    audit.record_many(
        [
            {
                "action": "pmp_revision_queued",
                "entity": "fill",
                "entity_id": fill.id,
                "before": None,
                "after": {"fields": " ".join(fields)},
                "patient_id": fill.patient_id,
                "note": f"{reason}: Rx {fill.rx_fill} revised in the next PMP file",
            }
            for fill, fields in due
        ],
        user=user,
    )
    return len(due)


def changed_fields(last_sent: str, now_sent: asap.PmpDispensing) -> list[str]:
    """The record's fields (as asap.PmpDispensing names them) that differ from those sent."""
    before = json.loads(last_sent)
    after = json.loads(submit.sent_json(now_sent))
    return sorted(
        name
        for name in after
        if name not in submit.NOT_SENT and (before.get(name) or "") != (after.get(name) or "")
    )


def _request_user_id():
    """The signed-in user of the request making the edit, if any (as the audit trail's)."""
    user = g.get("user") if has_request_context() else None
    return user.id if user is not None else None
