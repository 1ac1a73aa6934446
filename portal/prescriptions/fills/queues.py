"""The work queues: one tab per open state, with a live count, oldest first, priority first.

- counts: the kept counts per (status, queue_rank) in fill_count (kept by triggers on fill,
  migration 0159), a dozen rows however many fills are open; narrowed to some patients or
  to who entered, one GROUP BY over the open states on the index below;
- rows: the index (status, queue_rank, created_at, id) on fill, keyset pagination after the
  last row shown, so page 20 costs what page 1 does (no OFFSET).
bench/queue.py measures both at 10k and 1M fills.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask import url_for
from flask_babel import gettext as _
from peewee import JOIN, SQL, Tuple, fn

from portal.auth.models import User
from portal.catalog.formulas.models import Formula
from portal.catalog.models import Product
from portal.foundation.i18n import lazy_gettext as _l
from portal.foundation.start_page import Line
from portal.patients.models import Patient
from portal.prescriptions import policy
from portal.prescriptions.fills import workflow
from portal.prescriptions.fills.models import Fill, FillCount
from portal.prescriptions.fills.workflow import FillStatus
from portal.prescriptions.models import Prescription

# The tabs, in the order work flows.
QUEUE_STATES: tuple[FillStatus, ...] = (
    FillStatus.INTAKE,
    FillStatus.DATA_ENTRY,
    FillStatus.DATA_VERIFY,
    FillStatus.FILL,
    FillStatus.COMPOUND,
    FillStatus.FINAL_VERIFY,
    FillStatus.READY,
    FillStatus.ON_HOLD,
)
TAB_LABELS = {
    FillStatus.INTAKE: _l("Intake"),
    FillStatus.DATA_ENTRY: _l("Data entry"),
    FillStatus.DATA_VERIFY: _l("Data verification"),
    FillStatus.FILL: _l("Fill"),
    FillStatus.COMPOUND: _l("Compound"),
    FillStatus.FINAL_VERIFY: _l("Final verification"),
    FillStatus.READY: _l("Ready"),
    FillStatus.ON_HOLD: _l("On hold"),
}
PAGE_SIZE = 50


@dataclass(frozen=True)
class Filters:
    """Narrow every tab: to some patients (found by the patient search), to who entered."""

    patient_ids: tuple[int, ...] | None = None  # None: everyone; (): nobody matched
    user_id: int | None = None  # who entered the fill

    @property
    def active(self) -> bool:
        return self.patient_ids is not None or self.user_id is not None

    def apply(self, query):
        if self.patient_ids is not None:
            query = query.where(Fill.patient.in_(self.patient_ids or (0,)))
        if self.user_id is not None:
            query = query.where(Fill.entered_by == self.user_id)
        return query


@dataclass(frozen=True)
class Cursor:
    """Where a page ends: the sort key of its last row."""

    rank: int
    created_at: datetime
    fill_id: int

    def encode(self) -> str:
        return f"{self.rank}.{self.created_at.isoformat()}.{self.fill_id}"

    @classmethod
    def decode(cls, text: str | None) -> Cursor | None:
        """A cursor from the query string; None (first page) for anything unreadable."""
        try:
            rank, moment, fill_id = (text or "").split(".", 2)
            if "." in fill_id:  # microseconds in the time: the id is after the last dot
                micro, fill_id = fill_id.rsplit(".", 1)
                moment = f"{moment}.{micro}"
            return cls(int(rank), datetime.fromisoformat(moment), int(fill_id))
        except ValueError:
            return None


def counts(filters: Filters = Filters()) -> dict[str, int]:
    """Fills per open state (each tab's count): from the kept counts (FillCount) for the whole
    pharmacy, flat however many fills there are; narrowed to patients or to who entered, one
    GROUP BY over the index."""
    found = {state: 0 for state in QUEUE_STATES}
    if filters.active:
        query = (
            Fill.select(Fill.status, fn.COUNT(SQL("*")).alias("n"))
            .where(Fill.status.in_(QUEUE_STATES))
            .group_by(Fill.status)
        )
        rows = filters.apply(query).tuples()
    else:
        rows = (
            FillCount.select(FillCount.status, fn.SUM(FillCount.fills))
            .where(FillCount.status.in_(QUEUE_STATES))
            .group_by(FillCount.status)
            .tuples()
        )
    for status, number in rows:
        found[status] = int(number or 0)
    return found


@dataclass
class Page:
    rows: list[Fill]
    next_cursor: Cursor | None


# What _queue_rows.html reads of a fill and its prescription (fill.was_returned, the
# priority, the next step's page, the keyset cursor; the drug's name), nothing else.
ROW_COLUMNS = (
    Fill.id,
    Fill.prescription,
    Fill.patient,
    Fill.fill_number,
    Fill.status,
    Fill.priority,
    Fill.queue_rank,
    Fill.quantity,
    Fill.created_at,
    Fill.entered_by,
    Fill.return_reason,
    Fill.hold_reason,
    Prescription.id,
    Prescription.rx_number,
    Prescription.product,
    Prescription.formula,
)


def page(
    state: str, after: Cursor | None = None, filters: Filters = Filters(), size: int = PAGE_SIZE
) -> Page:
    """One page of a queue: returned first, then by priority, then oldest first."""
    if state not in QUEUE_STATES:
        raise ValueError(f"{state!r} is not a queue")
    entered = User.alias("entered")
    query = (
        # Only what a queue row shows (ROW_COLUMNS) of the fill and prescription, and of the
        # patient, drug and person: whole records (38 columns of the fill, 32 of the
        # prescription, six date-times parsed per row) made turning rows into objects the
        # better part of the page's time.
        Fill.select(
            *ROW_COLUMNS,
            Patient.id,
            Patient.last_name,
            Patient.first_name,
            Patient.middle_name,
            Patient.date_of_birth,
            Product.id,
            Product.name,
            Product.strength,
            Product.dosage_form,
            Formula,  # its title reads several columns (a compound's rows are few)
            entered.id,
            entered.full_name,
        )
        .join(Prescription, on=(Fill.prescription == Prescription.id))
        .join(Product, JOIN.LEFT_OUTER, on=(Prescription.product == Product.id))
        .join_from(Prescription, Formula, JOIN.LEFT_OUTER, on=(Prescription.formula == Formula.id))
        .join_from(Fill, Patient, on=(Fill.patient == Patient.id))
        .join_from(Fill, entered, JOIN.LEFT_OUTER, on=(Fill.entered_by == entered.id))
        .where(Fill.status == state)
        .order_by(Fill.queue_rank, Fill.created_at, Fill.id)
    )
    if after is not None:
        query = query.where(
            Tuple(Fill.queue_rank, Fill.created_at, Fill.id)
            > Tuple(after.rank, after.created_at, after.fill_id)
        )
    rows = list(filters.apply(query).limit(size + 1))
    more = len(rows) > size
    rows = rows[:size]
    last = rows[-1] if rows else None
    cursor = Cursor(last.queue_rank, last.created_at, last.id) if more and last else None
    return Page(rows, cursor)


def default_tab(user: User) -> str:
    """Where each role starts: pharmacists at data verification, others at data entry."""
    return FillStatus.DATA_VERIFY if user.is_pharmacist else FillStatus.DATA_ENTRY


def plain_status(fill: Fill, translate=str) -> str:
    """The status in words for the counter, with why it is held (as staff typed it).
    ``translate`` puts the words in the page's language (the hold reason stays as typed)."""
    words = translate(workflow.PLAIN_STATUS.get(fill.status, fill.status))
    if fill.status == FillStatus.ON_HOLD and fill.hold_reason:
        return f"{words}: {fill.hold_reason}"
    return words


def open_fills_for_patients(patient_ids: list[int]) -> dict[int, list[Fill]]:
    """Each patient's fills not yet picked up or cancelled, by patient, oldest first."""
    found: dict[int, list[Fill]] = {pid: [] for pid in patient_ids}
    if not patient_ids:
        return found
    rows = (
        Fill.select(Fill, Prescription, Product)
        .join(Prescription)
        .join(Product, JOIN.LEFT_OUTER, on=(Prescription.product == Product.id))
        .where(Fill.patient.in_(patient_ids) & Fill.status.in_(tuple(workflow.OPEN_STATES)))
        .order_by(Fill.created_at, Fill.id)
    )
    for fill in rows:
        found[fill.patient_id].append(fill)
    return found


def today_lines(user: User) -> list:
    """The start page's prescription card: each open queue with work in it, returned
    fills first (they wait on the technician), the pharmacist's checks next."""
    found = {state: 0 for state in QUEUE_STATES}
    returned = {}
    kept = FillCount.select(FillCount.status, FillCount.queue_rank, FillCount.fills).where(
        FillCount.status.in_(QUEUE_STATES) & (FillCount.fills > 0)
    )
    for status, rank, number in kept.tuples():  # a dozen rows: every tab's and the returned
        found[status] += number
        if rank == policy.RETURNED_RANK and status in RETURNED_TO:
            returned[status] = number
    lines = []
    if returned:
        lines.append(
            Line(
                sum(returned.values()),
                _("returned by a pharmacist"),
                url_for("prescriptions.queue"),
                "alert",
            )
        )
    for state, number in returned.items():  # counted once, as returned
        found[state] -= number
    urgent = (
        {FillStatus.DATA_VERIFY, FillStatus.FINAL_VERIFY}
        if user.is_pharmacist
        else {FillStatus.DATA_ENTRY, FillStatus.FILL}
    )
    for state in QUEUE_STATES:
        if found[state]:
            lines.append(
                Line(
                    found[state],
                    TODAY_WORDS[state],
                    url_for("prescriptions.queue", state=state),
                    "warn" if state in urgent else "",
                )
            )
    return lines


# The queues a pharmacist returns fills to (policy.RETURN_MOVES).
RETURNED_TO = (FillStatus.DATA_ENTRY, FillStatus.FILL, FillStatus.COMPOUND)

TODAY_WORDS = {
    FillStatus.INTAKE: _l("in intake"),
    FillStatus.DATA_ENTRY: _l("to enter"),
    FillStatus.DATA_VERIFY: _l("waiting for data verification"),
    FillStatus.FILL: _l("to fill"),
    FillStatus.COMPOUND: _l("to compound"),
    FillStatus.FINAL_VERIFY: _l("waiting for final verification"),
    FillStatus.READY: _l("ready for pickup"),
    FillStatus.ON_HOLD: _l("on hold"),
}
