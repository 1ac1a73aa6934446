"""Questions to the prescriber about a prescription: asking puts the fill on hold, the
answer is recorded with who at the office gave it and may resume the fill. Each in one
transaction with its audit events, so the views only parse, call and render.
"""

from __future__ import annotations

from portal.audit import log as audit
from portal.auth.models import User
from portal.foundation.dates import utcnow
from portal.foundation.db import write_transaction
from portal.prescriptions.fills.models import Clarification, Fill
from portal.prescriptions.fills.workflow import FillStatus


def ask(fill: Fill, user: User, question: str) -> Clarification:
    """Record the question; the fill waits on hold for the answer (unless it already is)."""
    with write_transaction():
        clarification = Clarification.create(
            prescription=fill.prescription_id, fill=fill, question=question, asked_by=user
        )
        audit.record(
            "create",
            "clarification",
            clarification.id,
            after=audit.snapshot(clarification),
            patient_id=fill.patient_id,
            user=user,
        )
        if Fill.get_by_id(fill.id).status != FillStatus.ON_HOLD:
            fill.move_to(FillStatus.ON_HOLD, user, f"Waiting for the prescriber: {question}")
    return clarification


def record_answer(
    clarification: Clarification,
    user: User,
    *,
    answer: str,
    answered_by_name: str,
    fill: Fill | None = None,
    resume: bool = False,
) -> bool:
    """Record the prescriber's answer and who at the office gave it; with `resume`, the
    fill (when it is still on hold) goes back where it was held from. True when it did."""
    with write_transaction():
        before = audit.snapshot(clarification)
        clarification.answer = answer
        clarification.answered_by_name = answered_by_name
        clarification.answer_recorded_by = user
        clarification.answered_at = utcnow()
        clarification.save()
        audit.record(
            "update",
            "clarification",
            clarification.id,
            before=before,
            after=audit.snapshot(clarification),
            patient_id=clarification.prescription.patient_id,
            user=user,
        )
        resumed = fill is not None and resume and fill.status == FillStatus.ON_HOLD
        if resumed:
            fill.move_to(fill.held_from, user, "prescriber answered the clarification")
    return resumed
