"""Rules of a compounding record: batch numbers, what each line needs, quality-check results,
what must be true before completing, and how a label states an active's concentration.

Plain functions on plain values; the models and views feed them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum

from portal.compounding.calculations.units import (
    COUNT,
    MASS,
    VOLUME,
    canonical_unit,
    dimension,
    in_unit,
)
from portal.compounding.calculations.working import HUNDRED, show
from portal.compounding.records.weighing import deviation, within_tolerance
from portal.foundation.digits import is_digits
from portal.foundation.i18n import N_


class RecordStatus(StrEnum):
    """Where a compounding record is. USP <795> (Compounding Records): the record is
    completed by the compounder and verified by a pharmacist before the preparation is
    released; a rejected one is kept, not deleted."""

    IN_PROGRESS = "in_progress"
    COMPLETED = "completed"
    APPROVED = "approved"
    REJECTED = "rejected"

    @property
    def label(self) -> str:
        return RECORD_STATUS_LABELS[self]


RECORD_STATUS_LABELS = {
    RecordStatus.IN_PROGRESS: N_("In progress"),
    RecordStatus.COMPLETED: N_("Completed — awaiting pharmacist"),
    RecordStatus.APPROVED: N_("Approved"),
    RecordStatus.REJECTED: N_("Rejected"),
}
# A record being made may be completed or abandoned; a completed one waits for the
# pharmacist's approval or rejection; approved and rejected records are final.
RECORD_MOVES = {
    RecordStatus.IN_PROGRESS: frozenset({RecordStatus.COMPLETED, RecordStatus.REJECTED}),
    RecordStatus.COMPLETED: frozenset({RecordStatus.APPROVED, RecordStatus.REJECTED}),
    RecordStatus.APPROVED: frozenset(),
    RecordStatus.REJECTED: frozenset(),
}
OPEN_STATUSES = (RecordStatus.IN_PROGRESS, RecordStatus.COMPLETED)

BATCH_PREFIX = "B"


def batch_number(on: date, sequence: int) -> str:
    """An anticipatory batch's lot number: B, year and month, then a sequence in the month.

    The 1st batch of November 2026 is B2611-0001. The month in the number lets a
    pharmacist read the batch's age off the label.
    """
    if sequence < 1:
        raise ValueError(f"a batch sequence starts at 1, not {sequence}")
    return f"{BATCH_PREFIX}{on:%y%m}-{sequence:04d}"


def batch_prefix(on: date) -> str:
    return f"{BATCH_PREFIX}{on:%y%m}-"


def next_batch_sequence(existing: list[str], on: date) -> int:
    """The next sequence in the month of `on`, after the batch numbers already issued."""
    prefix = batch_prefix(on)
    used = [
        int(n[len(prefix) :])
        for n in existing
        if n.startswith(prefix) and is_digits(n[len(prefix) :])
    ]
    return max(used, default=0) + 1


PRESCRIPTION_UNITS = {"tab": "each", "cap": "each", "each": "each", "g": "g", "mL": "mL"}


def quantity_unit_for_scaling(prescription_unit: str) -> str:
    """The prescription's quantity unit as the scaling math reads it (tablets/capsules: each)."""
    return PRESCRIPTION_UNITS.get(prescription_unit, prescription_unit)


@dataclass(frozen=True)
class Measurement:
    """A measured amount against the required one: deviation and whether it needs a note."""

    deviation_percent: Decimal
    flagged: bool


def measure(required: Decimal, measured: Decimal, tolerance_percent: Decimal) -> Measurement:
    """Deviation of a measured amount and whether it is beyond the formula's tolerance."""
    return Measurement(
        deviation_percent=deviation(required, measured),
        flagged=not within_tolerance(required, measured, tolerance_percent),
    )


def quality_passed(
    kind: str,
    *,
    measured: Decimal | None = None,
    quantity_made: Decimal | None = None,
    tolerance_percent: Decimal | None = None,
    minimum: Decimal | None = None,
    maximum: Decimal | None = None,
    judged_pass: bool | None = None,
) -> bool | None:
    """Whether a quality check passed; None when not recorded yet.

    Final weight: within ± tolerance of the quantity made (limits included). pH: between the
    low and high limits (included). Appearance and other checks: the person's judgement.
    """
    if kind == "final_weight":
        if measured is None or quantity_made is None:
            return None
        return within_tolerance(quantity_made, measured, tolerance_percent or Decimal(5))
    if kind == "ph":
        if measured is None or minimum is None or maximum is None:
            return None
        return minimum <= measured <= maximum
    return judged_pass


@dataclass(frozen=True)
class LineState:
    """One line of a record as the completion check sees it."""

    name: str
    has_lot: bool
    lot_expired: bool
    measured: bool
    flagged: bool
    has_note: bool


@dataclass(frozen=True)
class CheckState:
    name: str
    passed: bool | None


def completion_problems(lines: list[LineState], checks: list[CheckState]) -> list[str]:
    """What stops the record from being completed, in words; empty when it may be."""
    problems = []
    for line in lines:
        if not line.has_lot:
            problems.append(f"Choose the lot of {line.name}.")
        elif line.lot_expired:
            problems.append(f"The lot chosen for {line.name} has expired: choose another.")
        if not line.measured:
            problems.append(f"Record the measured amount of {line.name}.")
        elif line.flagged and not line.has_note:
            problems.append(
                f"{line.name} is outside the weighing tolerance: a pharmacist's note is needed."
            )
    for check in checks:
        if check.passed is None:
            problems.append(f"Record the quality check “{check.name}”.")
        elif check.passed is False:
            problems.append(
                f"The quality check “{check.name}” failed: this preparation cannot be "
                "dispensed. Reject the record and compound again."
            )
    return problems


def concentration(
    amount: Decimal, unit: str, basis_quantity: Decimal, basis_unit: str, dosage_form: str
) -> str:
    """How a label states an active ingredient's strength, from its amount per batch basis.

    2.5 g per 100 g is "2.5%" (w/w); 1 g per 100 mL is "10 mg/mL"; 25 mg per capsule of a
    formula per 100 capsules is "25 mg per capsule". A count line reads "2 per 100 each".
    """
    line_unit, whole_unit = canonical_unit(unit), canonical_unit(basis_unit)
    line_dim, whole_dim = dimension(line_unit), dimension(whole_unit)
    if whole_dim == COUNT and line_dim in (MASS, VOLUME):
        small = "mg" if line_dim == MASS else "mL"
        each = in_unit(amount, line_unit, small) / basis_quantity
        piece = (dosage_form or "unit").strip().split()[-1] if dosage_form else "unit"
        return f"{show(each)} {small} per {piece}"
    if line_dim == MASS and whole_dim == MASS:
        percent = (
            in_unit(amount, line_unit, "g") / in_unit(basis_quantity, whole_unit, "g") * HUNDRED
        )
        return f"{show(percent)}%"
    if line_dim == MASS and whole_dim == VOLUME:
        per_ml = in_unit(amount, line_unit, "mg") / in_unit(basis_quantity, whole_unit, "mL")
        return f"{show(per_ml)} mg/mL"
    if line_dim == VOLUME and whole_dim == VOLUME:
        percent = (
            in_unit(amount, line_unit, "mL") / in_unit(basis_quantity, whole_unit, "mL") * HUNDRED
        )
        return f"{show(percent)}% v/v"
    return f"{show(amount)} {line_unit} per {show(basis_quantity)} {whole_unit}"
