"""Partial fills (21 CFR 1306.13, 1306.23; 21 USC 829(f)): a fill dispenses less than the
prescribed quantity, with the reason; the remainder is a follow-on fill of the same
prescription (not a refill) within the reason's window; when the window lapses the
remainder is voided and the prescriber is told by a clarification request to fax.

    record_partial(fill, user, quantity=..., reason=...)
    open_remainder(first, user, quantity=..., now=..., priority=...) -> Fill
    in_progress_problem(fill, now) -> str | None
    void_remainder(first, user, now=...) -> Clarification
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from peewee import fn

from portal.audit import log as audit
from portal.audit import transitions
from portal.auth.models import User
from portal.catalog.models import from_stored_quantity
from portal.foundation import locks
from portal.foundation.dates import to_local, utcnow
from portal.foundation.db import is_sqlite, write_transaction
from portal.foundation.i18n import N_
from portal.pharmacy.models import Pharmacy
from portal.prescriptions.controlled import origin, rules
from portal.prescriptions.controlled.settings import origin_limits
from portal.prescriptions.fills import cancelling
from portal.prescriptions.fills.models import Clarification, Fill, WorkflowError
from portal.prescriptions.fills.workflow import OPEN_STATES, FillStatus
from portal.prescriptions.screening.facts import plain_number

# A partial fill is decided before the stock is taken (record_filling withdraws it).
BEFORE_STOCK = (FillStatus.INTAKE, FillStatus.DATA_ENTRY, FillStatus.DATA_VERIFY, FillStatus.FILL)
DISPENSED = (FillStatus.FINAL_VERIFY, FillStatus.READY, FillStatus.PICKED_UP)


class PartialRefused(WorkflowError):
    """A partial fill or remainder refused, with the rule in words."""


def local_now(moment: datetime | None = None) -> datetime:
    """A UTC moment (now by default) as the pharmacy's wall-clock time, without tzinfo."""
    pharmacy = Pharmacy.current()
    local = to_local(moment or utcnow(), pharmacy.time_zone if pharmacy else None)
    return local.replace(tzinfo=None)


def _locked(fill_id: int) -> Fill:
    """The fill, held until the transaction ends (SQLite's write lock already holds it)."""
    query = Fill.select().where(Fill.id == fill_id)
    return query.get() if is_sqlite() else query.for_update().get()


def first_of(fill: Fill) -> Fill:
    """The first partial fill a remainder continues (the fill itself when it is the first)."""
    return Fill.get_by_id(fill.remainder_of_id) if fill.remainder_of_id else fill


def dispensed_total(first: Fill) -> Decimal:
    """What the first partial and its remainders (not cancelled) give, open ones included."""
    raw = (
        Fill.select(fn.COALESCE(fn.SUM(Fill.quantity), 0))
        .where(
            ((Fill.id == first.id) | (Fill.remainder_of == first.id))
            & (Fill.status != FillStatus.CANCELLED)
        )
        .scalar()
    )
    return from_stored_quantity(raw) or Decimal(0)


def record_partial(fill: Fill, user: User, *, quantity: Decimal, reason: str) -> Fill:
    """Dispense less than the prescribed quantity on this fill, for the reason given."""
    rx = fill.prescription
    with write_transaction():
        stored = Fill.get_by_id(fill.id)
        if stored.status not in BEFORE_STOCK:
            raise PartialRefused(
                f"This fill is {stored.status_label.lower()}: a partial fill is decided "
                "before the stock is taken. Send it back to be filled again first."
            )
        if stored.remainder_of_id:
            raise PartialRefused(N_("This fill is already the remainder of a partial fill."))
        if problem := rules.partial_problem(
            prescribed=Decimal(rx.quantity), dispensing=Decimal(quantity), reason=reason
        ):
            raise PartialRefused(problem)
        before = audit.snapshot(stored)
        stored.quantity, stored.partial_reason = Decimal(quantity), reason
        stored.updated_at = utcnow()
        stored.save()
        fill.quantity, fill.partial_reason = stored.quantity, reason
        audit.record(
            "update",
            "fill",
            fill.id,
            before=before,
            after=audit.snapshot(stored),
            patient_id=fill.patient_id,
            note=f"{rules.partial_words(stored.quantity, rx.quantity)}: "
            f"{rules.partial_label(reason)}",
            user=user,
        )
    return fill


def window(first: Fill) -> rules.Window | None:
    """The remainder's window; None before the first partial has been dispensed."""
    if not first.partial_reason or first.filled_at is None:
        return None
    rx = first.prescription
    record = origin.record_for(rx)
    return rules.remainder_window(
        schedule=rx.schedule or "5",
        reason=first.partial_reason,
        written_on=rx.written_on,
        first_filled_at=local_now(first.filled_at),
        emergency_oral=bool(record and record.is_emergency_oral),
        limits=origin_limits(),
    )


def remainder_problem(first: Fill, asked: Decimal, now: datetime) -> str | None:
    """Why no remainder of ``first`` can be dispensed now (local time), or None."""
    if not first.partial_reason:
        return N_("This fill was not a partial fill: there is no remainder.")
    if first.remainder_voided_at:
        return N_("The remainder of this partial fill was voided and the prescriber notified.")
    if first.status not in DISPENSED:
        return N_("The remainder follows once the first partial fill has been filled.")
    found = window(first)
    return rules.remainder_problem(
        window=found,
        now=now,
        prescribed=Decimal(first.prescription.quantity),
        dispensed=dispensed_total(first),
        asked=Decimal(asked),
    )


def open_remainders(first: Fill) -> list[Fill]:
    """The remainders of ``first`` still in progress (opened, not picked up or cancelled)."""
    return list(
        Fill.select()
        .where((Fill.remainder_of == first.id) & Fill.status.in_(list(OPEN_STATES)))
        .order_by(Fill.fill_number)
    )


def in_progress_problem(fill: Fill, now: datetime) -> str | None:
    """Why a remainder opened in time cannot pass final verification or pickup at ``now``
    (the pharmacy's local time), in words; None for any other fill, or while the window is
    open. The window (1306.13(a), (b); 829(f); 1306.23) binds the dispensing, not only the
    opening of the remainder."""
    if not fill.remainder_of_id:
        return None
    first = first_of(fill)
    if first.remainder_voided_at:
        return (
            f"The remainder of Rx {first.rx_fill} was voided and the prescriber notified: "
            "this fill may not be dispensed. Cancel it (its stock goes back)."
        )
    found = window(first)
    return rules.lapsed_in_progress_problem(found, now) if found else None


def open_remainder(
    first: Fill, user: User, *, quantity: Decimal, now: datetime, priority: str = "today"
) -> Fill:
    """A follow-on fill of the remainder, sent to data verification: not a refill, so it
    keeps the first partial's refills left."""
    with write_transaction():
        # The audit chain's lock before the row's, as the void takes them (transitions):
        # the other order lets the two wait for each other on PostgreSQL.
        locks.hold_for_transaction(locks.AUDIT_CHAIN)
        first = _locked(first.id)  # two terminals: one remainder, never more than is left
        if problem := remainder_problem(first, quantity, now):
            raise PartialRefused(problem)
        rx = first.prescription
        fill = Fill.open(rx, user, priority=priority, quantity=Decimal(quantity))
        before = audit.snapshot(fill)
        fill.remainder_of = first
        fill.partial_reason = first.partial_reason
        fill.refills_remaining = first.refills_remaining
        fill.days_supply = first.days_supply
        fill.save()
        audit.record(
            "update",
            "fill",
            fill.id,
            before=before,
            after=audit.snapshot(fill),
            patient_id=fill.patient_id,
            note=f"remainder of Rx {first.rx_fill}",
            user=user,
        )
        fill.move_to(FillStatus.DATA_ENTRY, user, "remainder of a partial fill")
        fill.move_to(FillStatus.DATA_VERIFY, user)
    return fill


def void_remainder(first: Fill, user: User | None, *, now: datetime) -> Clarification:
    """The window has lapsed: void the remainder and write the prescriber's notice.

    ``user`` None is the portal's own unattended job (portal.prescriptions.controlled.lapsed);
    the audit trail shows it as the system. Of two at once (two terminals, or the job and a
    pharmacist) one voids and the other is refused in words: the void is set once, through
    portal.audit.transitions.mark_once."""
    with write_transaction():
        found: list[rules.Window] = []

        def still_to_void(stored: Fill) -> None:
            if stored.remainder_voided_at:
                when = local_now(stored.remainder_voided_at)
                raise PartialRefused(
                    f"The remainder of Rx {stored.rx_fill} was already voided "
                    f"({when:%m/%d/%Y %H:%M}) and the prescriber's notice written."
                )
            window_now = window(stored)
            if window_now is None:
                raise PartialRefused(N_("There is no remainder to void on this fill."))
            # Read as stored, under the audit chain's lock that every move of a fill takes:
            # the job listed this fill before a pickup that may since have dispensed the rest.
            dispensed = dispensed_total(stored)
            if dispensed >= Decimal(stored.prescription.quantity) and not open_remainders(stored):
                raise PartialRefused(
                    f"Rx {stored.rx_fill} was dispensed in full "
                    f"({plain_number(dispensed)} of {plain_number(stored.prescription.quantity)} "
                    f"{stored.prescription.unit_text}): "
                    "there is no remainder to void."
                )
            if now < window_now.ends_at:
                raise PartialRefused(
                    f"The remainder may still be dispensed until {window_now.last_day:%m/%d/%Y}."
                )
            found.append(window_now)

        first = transitions.mark_once(
            first,
            "remainder_voided_at",
            utcnow(),
            user=user,
            entity="fill",
            action="void_remainder",
            check_stored=still_to_void,
            note="" if user else "remainder's window lapsed: voided by the daily job",
            patient_id=first.patient_id,
            what="partial fill's remainder",
        )
        # A remainder opened in time but not dispensed before the window ended is void too:
        # out of the queue, its stock back, as cancelling a fill does.
        stopped = open_remainders(first)
        for fill in stopped:
            cancelling.cancel(
                fill,
                user,
                f"remainder's window lapsed ({found[0].rule}): void, not dispensed",
            )
        rx = first.prescription
        dispensed = dispensed_total(first)
        left = Decimal(rx.quantity) - dispensed
        cancelled = (
            f" The remainder fill {', '.join(f.rx_fill for f in stopped)} was in progress and "
            "is cancelled, not dispensed."
            if stopped
            else ""
        )
        notice = Clarification.create(
            prescription=rx,
            fill=first,
            question=(
                f"Notice: Rx {rx.rx_number} for {rx.drug_name} was partly filled "
                f"({rules.partial_words(dispensed, rx.quantity)}). The remaining "
                f"{plain_number(left)} {rx.unit_text} could not be dispensed within the time "
                f"allowed ({found[0].rule}) and is void.{cancelled} A new prescription is "
                "needed for more."
            ),
            asked_by=user,
        )
        audit.record(
            "create",
            "clarification",
            notice.id,
            after=audit.snapshot(notice),
            patient_id=first.patient_id,
            user=user,
        )
    return notice
