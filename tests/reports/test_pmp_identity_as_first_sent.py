"""A revision or void repeats the identifying values of the dispensing as first sent (ASAP
4.2A DSP01 "01"/"02": the state matches it by prescription number, fill date and refill
number; Minnesota PMP, "File Submission"). A partial fill's remainder reported before its
refill number (DSP06) changed to the partial's own (21 CFR 1306.13: a remainder is no
refill) keeps the DSP06 it was first sent with, or the state could not match it."""

import dataclasses
from datetime import timedelta
from decimal import Decimal

from portal.foundation.dates import utcnow
from portal.foundation.db import write_transaction
from portal.prescriptions.controlled import partial
from portal.prescriptions.fills import steps
from portal.prescriptions.fills.models import Fill
from portal.reports.pmp import asap, gather, submit
from portal.reports.pmp.models import PmpRecord, PmpRevisionDue
from tests.factories import advance_fill, make_user
from tests.prescriptions.test_partial_fills import _partly_filled


def _remainder_reported_before_the_change():
    """A C-II partly filled (10 of 30) and its remainder, both sent in a file; the
    remainder's record rewritten as the portal sent it before: DSP06 its own fill number."""
    first, technician, pharmacist = _partly_filled()
    remainder = partial.open_remainder(
        first, technician, quantity=Decimal(20), now=partial.local_now()
    )
    advance_fill(remainder, "ready", pharmacist=pharmacist, technician=technician)
    remainder = Fill.get_by_id(remainder.id)
    Fill.update(filled_on=first.filled_on).where(Fill.id == remainder.id).execute()
    made = submit.make_file(first.filled_on, now=utcnow() - timedelta(minutes=5))
    row = PmpRecord.get((PmpRecord.submission == made) & (PmpRecord.fill_id == remainder.id))
    [now_sent] = gather.records([gather.fills_by_id([remainder.id])[remainder.id]])
    assert now_sent.fill_number == first.fill_number == 0  # the partial's refill number
    as_before = dataclasses.replace(now_sent, fill_number=remainder.fill_number)  # 1
    PmpRecord.update(sent=submit.sent_json(as_before), digest=submit.digest(as_before)).where(
        PmpRecord.id == row.id
    ).execute()
    return first, Fill.get_by_id(remainder.id), pharmacist


def _records(submission):
    text = submit.file_path(submission).read_text()
    return [s for s in asap.parse(text) if s[0] == "DSP"]


def test_a_revision_repeats_the_refill_number_the_remainder_was_first_sent_with(app):
    first, remainder, _ = _remainder_reported_before_the_change()
    # The remainder's days supply is corrected: a revision goes out.
    Fill.update(days_supply=6, updated_at=utcnow()).where(Fill.id == remainder.id).execute()
    made = submit.make_file(first.filled_on + timedelta(days=1), now=utcnow())
    [dsp] = _records(made)
    assert dsp[1] == asap.REVISE and dsp[2] == str(remainder.prescription.rx_number)
    assert dsp[6] == "1"  # DSP06 as first sent, not the 0 the portal now gives
    assert dsp[10] == "6"  # the corrected days supply


def test_a_remainder_sent_before_the_change_is_not_revised_for_it_alone(app):
    first, remainder, _ = _remainder_reported_before_the_change()
    Fill.update(updated_at=utcnow()).where(Fill.id == remainder.id).execute()  # touched only
    made = submit.make_file(first.filled_on + timedelta(days=1), now=utcnow())
    assert made.record_count == 0  # a zero report: nothing changed that the state holds
    assert [d[1] for d in _records(made)] == [""]


def test_a_void_repeats_the_values_as_first_sent(app):
    first, remainder, pharmacist = _remainder_reported_before_the_change()
    with write_transaction():
        steps.cancel(remainder, make_user(roles=("pharmacist",)), "Patient never collected it")
    made = submit.make_file(first.filled_on + timedelta(days=1), now=utcnow())
    [dsp] = _records(made)
    assert dsp[1] == asap.VOID and dsp[6] == "1"


def test_a_patient_edit_revises_the_old_remainder_with_its_first_refill_number(app):
    first, remainder, _ = _remainder_reported_before_the_change()
    patient = remainder.patient
    patient.city = "Provo"
    patient.save()
    queued = {due.fill_id: due.fields.split() for due in PmpRevisionDue.select()}
    # Not the refill number, nor the schedule (kept, not sent): only what was edited.
    assert queued == {first.id: ["patient_city"], remainder.id: ["patient_city"]}
    made = submit.make_file(first.filled_on + timedelta(days=1), now=utcnow())
    revised = _records(made)
    assert [d[1] for d in revised] == [asap.REVISE, asap.REVISE]
    # The partial with its refill number 0, the remainder with the 1 it was first sent with.
    assert sorted(d[6] for d in revised) == ["0", "1"]
