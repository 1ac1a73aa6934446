"""The labels batch page's list: fills waiting for a label, in the queue's order, a page at a time.

- rows: keyset pagination on (queue_rank, created_at, id) after the last row shown, as the
  Rx queue pages (portal/prescriptions/fills/queues.py), so the next page costs what the
  first does (no OFFSET);
- a page is one statement whatever its size: the rows' patient and drug come joined, not
  read row by row. Which fills the page is made of is found first from the index (status,
  queue_rank, created_at, id) alone, so only that page's rows are joined and sorted;
- the fills chosen for printing are read again whole, by id, still at a printing step,
  whichever pages they were chosen on.
"""

from __future__ import annotations

from peewee import JOIN, Tuple

from portal.catalog.formulas.models import Formula
from portal.catalog.models import Product
from portal.catalog.stock.models import Lot
from portal.patients.models import Patient
from portal.prescribers.models import Prescriber
from portal.prescriptions.fills.models import Fill
from portal.prescriptions.fills.queues import Cursor, Page
from portal.prescriptions.fills.workflow import FillStatus
from portal.prescriptions.models import Prescription

PRINTABLE_STATES = (FillStatus.FILL, FillStatus.COMPOUND, FillStatus.FINAL_VERIFY)
PAGE_SIZE = 50  # as the Rx and claims queues: "Show the next 50" brings the rest


def _queue_key():
    return Tuple(Fill.queue_rank, Fill.created_at, Fill.id)


def cursor_of(fill: Fill) -> Cursor:
    """Where ``fill`` stands in the list's order."""
    return Cursor(fill.queue_rank, fill.created_at, fill.id)


def _waiting(after: Cursor | None, through: Cursor | None):
    """Fills at a printing step, in the list's order, after ``after`` and up to ``through``."""
    query = Fill.select(Fill.id).where(Fill.status.in_(PRINTABLE_STATES))
    if after is not None:
        query = query.where(_queue_key() > Tuple(after.rank, after.created_at, after.fill_id))
    if through is not None:
        query = query.where(
            _queue_key() <= Tuple(through.rank, through.created_at, through.fill_id)
        )
    return query.order_by(Fill.queue_rank, Fill.created_at, Fill.id)


def page(after: Cursor | None = None, size: int = PAGE_SIZE, through: Cursor | None = None) -> Page:
    """One page of the list, after ``after``; with ``through``, at least every row up to it
    (a form sent back with fills chosen further down shows them again, still chosen)."""
    if through is not None:
        size = max(size, _waiting(after, through).count())
    ids = _waiting(after, None).limit(size + 1)
    rows = list(
        # Of the patient and drug only what a row shows (as the Rx queue reads them).
        Fill.select(
            Fill,
            Prescription,
            Patient.id,
            Patient.first_name,
            Patient.middle_name,
            Patient.last_name,
            Product.id,
            Product.name,
            Product.strength,
            Product.dosage_form,
            Formula.id,
            Formula.name,
            Formula.strength,
            Formula.dosage_form,
        )
        .join(Prescription, on=(Fill.prescription == Prescription.id))
        .join(Product, JOIN.LEFT_OUTER, on=(Prescription.product == Product.id))
        .join_from(Prescription, Formula, JOIN.LEFT_OUTER, on=(Prescription.formula == Formula.id))
        .join_from(Fill, Patient, on=(Fill.patient == Patient.id))
        .where(Fill.id.in_(ids))
        .order_by(Fill.queue_rank, Fill.created_at, Fill.id)
    )
    more = len(rows) > size
    rows = rows[:size]
    return Page(rows, cursor_of(rows[-1]) if more and rows else None)


def chosen(fill_ids) -> list[Fill]:
    """The chosen fills still at a printing step, whole (their labels read every field), in
    the list's order: the batch PDF prints them as the list shows them."""
    ids = sorted(set(fill_ids))
    if not ids:
        return []
    # What every label reads comes joined: a label costs no statement for its patient,
    # prescriber, drug or lot (the pharmacy, a compound's record and a controlled refill's
    # first filling are still read by the label).
    return list(
        Fill.select(Fill, Prescription, Patient, Prescriber, Product, Formula, Lot)
        .join(Prescription, on=(Fill.prescription == Prescription.id))
        .join(Prescriber, JOIN.LEFT_OUTER, on=(Prescription.prescriber == Prescriber.id))
        .join_from(Prescription, Product, JOIN.LEFT_OUTER, on=(Prescription.product == Product.id))
        .join_from(Prescription, Formula, JOIN.LEFT_OUTER, on=(Prescription.formula == Formula.id))
        .join_from(Fill, Patient, on=(Fill.patient == Patient.id))
        .join_from(Fill, Lot, JOIN.LEFT_OUTER, on=(Fill.dispensed_lot == Lot.id))
        .where(Fill.id.in_(ids), Fill.status.in_(PRINTABLE_STATES))
        .order_by(Fill.queue_rank, Fill.created_at, Fill.id)
    )
