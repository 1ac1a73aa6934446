"""The pharmacist's records of how a C-II arrived, each in one transaction with its audit
event, and the facts the verification steps read (rules.OriginFacts).

    record_emergency_oral(prescription, pharmacist, quantity=..., note=..., today=...)
    record_fax_reason(prescription, pharmacist, reason=...)
    mark_original_received(prescription, user, on=...)
    close_follow_up(prescription, user, state=..., on=...)
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from portal.audit import log as audit
from portal.auth.models import User
from portal.foundation.dates import utcnow
from portal.foundation.db import write_transaction
from portal.foundation.i18n import N_
from portal.prescriptions.controlled import rules
from portal.prescriptions.controlled.models import ControlledOrigin
from portal.prescriptions.controlled.settings import origin_limits
from portal.prescriptions.models import Prescription
from portal.prescriptions.screening.facts import CheckResult, Status


class OriginRefused(ValueError):
    """A record refused, with the reason in words."""


def record_for(prescription: Prescription) -> ControlledOrigin | None:
    return ControlledOrigin.get_or_none(ControlledOrigin.prescription == prescription.id)


def facts(prescription: Prescription) -> rules.OriginFacts:
    """What the rules read: the schedule, how it arrived, and what the pharmacist recorded."""
    row = record_for(prescription)
    return rules.OriginFacts(
        schedule=prescription.schedule,
        origin=prescription.origin,
        emergency_quantity=row.emergency_quantity if row else None,
        fax_reason=row.fax_reason if row else "",
        original_received=bool(row and row.original_received_on),
    )


_ONE_DAY = timedelta(days=1)


def _pharmacist(user: User) -> None:
    if not user.is_pharmacist:
        raise OriginRefused(N_("Only a pharmacist can record this (21 CFR 1306.11)."))


def _c2(prescription: Prescription, origin: str, what: str) -> None:
    if prescription.schedule != "2" or prescription.origin != origin:
        received = prescription.origin_label.lower()
        raise OriginRefused(
            f"{what} applies only to a C-II received {origin_words(origin)}; "
            f"Rx {prescription.rx_number} is {prescription.schedule_label or 'not controlled'}, "
            f"received as {received}."
        )


def origin_words(origin: str) -> str:
    return {"phone": "by telephone", "fax": "by fax"}.get(origin, origin)


def _save(prescription: Prescription, user: User, **changes) -> ControlledOrigin:
    """Create or change the prescription's row with its audit event (call in a transaction)."""
    row = record_for(prescription)
    before = audit.snapshot(row) if row else None
    if row is None:
        row = ControlledOrigin(prescription=prescription)
    for name, value in changes.items():
        setattr(row, name, value)
    row.updated_at = utcnow()
    row.save()
    audit.record(
        "create" if before is None else "update",
        "controlled_origin",
        row.id,
        before=before,
        after=audit.snapshot(row),
        patient_id=prescription.patient_id,
        user=user,
    )
    return row


def record_emergency_oral(
    prescription: Prescription, pharmacist: User, *, quantity: Decimal, note: str, today: date
) -> ControlledOrigin:
    """The pharmacist reduces a telephoned C-II to writing as an emergency oral order
    (1306.11(d)): its quantity is the emergency quantity, and the prescriber's written or
    electronic prescription is due within the follow-up days."""
    _pharmacist(pharmacist)
    _c2(prescription, "phone", "An emergency oral order")
    if quantity is None or Decimal(quantity) <= 0:
        raise OriginRefused(N_("Enter the quantity for the emergency period (more than zero)."))
    if Decimal(quantity) > Decimal(prescription.quantity or 0):
        raise OriginRefused(
            f"The emergency quantity cannot be more than the {prescription.quantity_text} "
            "prescribed."
        )
    if not (note or "").strip():
        raise OriginRefused(N_("Say what the emergency is, as the prescriber told it."))
    with write_transaction():
        return _save(
            prescription,
            pharmacist,
            emergency_quantity=Decimal(quantity),
            emergency_note=note.strip(),
            emergency_recorded_by=pharmacist,
            emergency_recorded_at=utcnow(),
            follow_up_due=rules.follow_up_due(today, origin_limits()),
            follow_up_state=rules.FOLLOW_UP_DUE,
            follow_up_on=None,
            follow_up_by=None,
        )


def record_fax_reason(
    prescription: Prescription, pharmacist: User, *, reason: str
) -> ControlledOrigin:
    """Why this faxed C-II serves as the original (1306.11(e)-(g))."""
    _pharmacist(pharmacist)
    _c2(prescription, "fax", "A fax-as-original reason")
    if reason not in dict(rules.FAX_AS_ORIGINAL_REASONS):
        raise OriginRefused(
            N_(
                "Choose why the fax serves as the original: home infusion, long-term care "
                "facility, or hospice or terminal illness."
            )
        )
    with write_transaction():
        return _save(prescription, pharmacist, fax_reason=reason, fax_reason_by=pharmacist)


def mark_original_received(prescription: Prescription, user: User, *, on: date):
    """The signed original of a faxed C-II is in hand and checked."""
    _c2(prescription, "fax", "The signed original")
    with write_transaction():
        return _save(prescription, user, original_received_on=on, original_received_by=user)


def close_follow_up(
    prescription: Prescription, user: User, *, state: str, on: date, today: date
) -> ControlledOrigin:
    """The follow-up of an emergency oral order arrived, or did not and the DEA was notified
    (1306.11(d)(4))."""
    row = record_for(prescription)
    if row is None or not row.follow_up_open:
        raise OriginRefused(N_("There is no follow-up waiting on this prescription."))
    if state not in (rules.FOLLOW_UP_RECEIVED, rules.FOLLOW_UP_DEA_NOTIFIED):
        raise OriginRefused(N_("Choose: the prescription arrived, or the DEA was notified."))
    if on is None or on > today:
        raise OriginRefused(N_("Enter the date it happened (not in the future)."))
    if row.emergency_recorded_at and on < row.emergency_recorded_at.date() - _ONE_DAY:
        raise OriginRefused(N_("The date cannot be before the emergency oral order was recorded."))
    with write_transaction():
        return _save(prescription, user, follow_up_state=state, follow_up_on=on, follow_up_by=user)


CHECK = "origin"


def data_check(prescription: Prescription, quantity: Decimal) -> CheckResult | None:
    """The C-II origin check shown at data verification; None for any other prescription.

    A block here cannot be overridden: a telephoned C-II is not a prescription until the
    pharmacist records the emergency oral order (steps.approve_data refuses it)."""
    if prescription.schedule != "2":
        return None
    found = facts(prescription)
    if problem := rules.data_verification_problem(found, quantity):
        return CheckResult(CHECK, Status.BLOCK, problem)
    if note := rules.origin_note(found):
        return CheckResult(CHECK, Status.WARN, note)
    return CheckResult(CHECK, Status.PASS, _in_order(prescription, found))


def _in_order(prescription: Prescription, found: rules.OriginFacts) -> str:
    if found.emergency_quantity is not None:
        row = record_for(prescription)
        return (
            f"Emergency oral order for {rules.plain_number(found.emergency_quantity)} "
            f"(21 CFR 1306.11(d)); the prescriber's prescription is {row.follow_up_words}."
        )
    if found.fax_reason:
        return f"Fax serves as the original: {rules.reason_label(found.fax_reason)}."
    if found.original_received:
        return N_("Faxed C-II; the signed original is in hand.")
    return f"C-II received as {prescription.origin_label.lower()}."


def data_problem(prescription: Prescription, quantity: Decimal) -> str | None:
    """Why data verification must stop for how this C-II arrived (no override), or None."""
    if prescription.schedule != "2":
        return None
    return rules.data_verification_problem(facts(prescription), quantity)


def final_problem(prescription: Prescription) -> str | None:
    """Why final verification must wait for a faxed C-II's original, or None."""
    if prescription.schedule != "2":
        return None
    return rules.final_verification_problem(facts(prescription))
