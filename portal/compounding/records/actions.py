"""Changes to a compounding record: choose lots and record weights, note a deviation, record
quality checks, complete (stock and BUD), approve or reject. Starting one: start.py.

Each function joins the caller's write_transaction() or opens its own, audits what it
changed with before and after, and raises RecordProblem with the reason in words when the
change is not allowed. A change of status goes through lifecycle.move, which also writes
the record's history.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from portal.audit import log as audit
from portal.auth.models import User
from portal.catalog.stock.models import Lot, StockError
from portal.catalog.stock.rules import QUANTITY_PLACES
from portal.compounding import calculations as calc
from portal.compounding.bud import rules
from portal.compounding.records import lifecycle
from portal.compounding.records.audit import RecordProblem, audit_record
from portal.compounding.records.models import CompoundingLine, CompoundingRecord, QualityResult
from portal.compounding.records.rules import (
    OPEN_STATUSES,
    CheckState,
    LineState,
    RecordStatus,
    completion_problems,
    measure,
    quality_passed,
)
from portal.compounding.records.start import start, start_for_fill  # noqa: F401  (callers start here too)
from portal.foundation.dates import utcnow
from portal.foundation.db import write_transaction
from portal.foundation.i18n import N_

# ---- working -------------------------------------------------------------------------------


def _ensure_open(record: CompoundingRecord) -> None:
    if not record.is_open:
        raise RecordProblem(
            f"This record is {record.status_label.lower()}; its lines can no longer be changed."
        )


def check_lot(line: CompoundingLine, lot: Lot, today: date) -> None:
    """Refuse a lot of another item, or an expired one, in words."""
    item = line.formula_line.item
    belongs = (
        lot.ingredient_id == item.id if item.kind == "ingredient" else lot.product_id == item.id
    )
    if not belongs:
        raise RecordProblem(f"Lot {lot.lot_number} is not a lot of {line.name}.")
    if lot.expires_on < today:
        raise RecordProblem(
            f"Lot {lot.lot_number} of {line.name} expired on {lot.expires_on:%m/%d/%Y}; "
            "an expired component cannot be used."
        )


def suggested_lots(line: CompoundingLine, today: date) -> list[Lot]:
    """Lots of the line's item with stock, unexpired, first-expiring first."""
    return list(Lot.usable_for(line.formula_line.item, today))


def record_line(
    record: CompoundingRecord,
    line: CompoundingLine,
    *,
    lot: Lot | None,
    measured: Decimal | None,
    user: User,
    today: date,
) -> bool:
    """Set a line's lot and measured amount; work out its deviation. True when it changed.

    A new measurement clears an earlier pharmacist's note: the note was about the old one.
    """
    _ensure_open(record)
    if lot is not None:
        check_lot(line, lot, today)
    before = audit.snapshot(line)
    line.lot = lot
    if measured != line.measured_amount:
        line.measured_amount = measured
        line.pharmacist_note, line.noted_by, line.noted_at = "", None, None
    if measured is None:
        line.deviation_percent, line.flagged = None, False
    else:
        found = measure(line.required_amount, measured, record.tolerance_percent)
        line.deviation_percent = found.deviation_percent.quantize(Decimal("0.0001"))
        line.flagged = found.flagged
    after = audit.snapshot(line)
    if before == after:
        return False
    with write_transaction():
        line.save()
        audit_record(
            "update", record, before, after, user=user, entity="compounding_line", entity_id=line.id
        )
    return True


def note_deviation(
    record: CompoundingRecord, line: CompoundingLine, note: str, pharmacist: User
) -> None:
    """A pharmacist's explanation of an out-of-tolerance amount (USP <795>: deviations and
    their explanation are part of the record)."""
    _ensure_open(record)
    if not pharmacist.is_pharmacist:
        raise RecordProblem(N_("Only a pharmacist may accept a deviation."))
    if not line.flagged:
        raise RecordProblem(f"{line.name} is within tolerance; no note is needed.")
    note = (note or "").strip()
    if not note:
        raise RecordProblem(f"Write why the amount of {line.name} is acceptable.")
    before = audit.snapshot(line)
    line.pharmacist_note, line.noted_by, line.noted_at = note, pharmacist, utcnow()
    with write_transaction():
        line.save()
        audit_record("update", record, before, audit.snapshot(line), note="deviation accepted",
               user=pharmacist, entity="compounding_line", entity_id=line.id)  # fmt: skip


def record_quality(
    record: CompoundingRecord,
    result: QualityResult,
    *,
    measured: Decimal | None,
    observed: str,
    judged_pass: bool | None,
    user: User,
) -> None:
    """Record one quality check's result; a weight or pH passes or fails by its specification."""
    _ensure_open(record)
    check = result.check
    before = audit.snapshot(result)
    result.measured = measured
    result.observed = (observed or "").strip()
    result.passed = quality_passed(
        check.kind,
        measured=measured,
        quantity_made=record.quantity,
        tolerance_percent=check.tolerance_percent,
        minimum=check.minimum,
        maximum=check.maximum,
        judged_pass=judged_pass,
    )
    if result.passed is None and measured is None and not result.observed:
        result.recorded_by, result.recorded_at = None, None
    else:
        result.recorded_by, result.recorded_at = user, utcnow()
    after = audit.snapshot(result)
    if before != after:
        with write_transaction():
            result.save()
            audit_record(
                "update",
                record,
                before,
                after,
                user=user,
                entity="quality_result",
                entity_id=result.id,
            )


# ---- completing ----------------------------------------------------------------------------


def problems(record: CompoundingRecord, today: date) -> list[str]:
    """What stops completion now, in words."""
    lines = record.lines()
    return completion_problems(
        [
            LineState(
                name=line.name,
                has_lot=line.lot_id is not None,
                lot_expired=line.lot_expired(today),
                measured=line.measured_amount is not None,
                flagged=line.flagged,
                has_note=bool(line.pharmacist_note),
            )
            for line in lines
        ],
        [CheckState(result.check.name, result.passed) for result in record.quality_results()],
    )


def complete(record: CompoundingRecord, user: User, *, today: date):
    """Finish the record: take every measured amount out of its lot, date the preparation,
    and send the fill (if any) to final verification. All or nothing."""
    _ensure_open(record)
    found = problems(record, today)
    if found:
        raise RecordProblem(" ".join(found))
    formula = record.formula
    lines = record.lines()
    try:
        explanation = rules.explain_beyond_use_date(
            today,
            formula.preparation_type,
            formula.preserved,
            [(f"{line.name} lot {line.lot.lot_number}", line.lot.expires_on) for line in lines],
            stability_days=formula.stability_days,
            stability_reference=formula.bud_reference or None,
            table=record.bud_table,
            route=formula.route,
        )
    except (ValueError, TypeError) as error:
        raise RecordProblem(f"The beyond-use date cannot be set: {error}.")
    storage = formula.storage or (explanation.storage[:1].upper() + explanation.storage[1:])
    with write_transaction():
        # The move first: a second terminal completing the same record waits here and is
        # refused before any stock is taken twice.
        lifecycle.move(
            record,
            RecordStatus.COMPLETED,
            user,
            action="complete",
            changes={
                "compounded_by": user,
                "compounded_on": today,
                "completed_at": utcnow(),
                "beyond_use_date": explanation.beyond_use_date,
                "bud_explanation": explanation.sentence,
                "storage": storage,
            },
            note=f"beyond-use date {explanation.beyond_use_date:%m/%d/%Y}",
            check_stored=_ensure_open,
        )
        for line in lines:
            _take_from_lot(record, line, user)
        fill = record.fill_or_none()
        if fill is not None:
            fill.move_to("final_verify", user, today=today)
    return explanation


def _take_from_lot(record: CompoundingRecord, line: CompoundingLine, user: User) -> None:
    lot = line.lot
    amount = calc.in_unit(line.measured_amount, line.unit, lot.unit)
    # Stock is counted to 4 places; a trace amount still moves the smallest step.
    amount = max(amount.quantize(QUANTITY_PLACES), QUANTITY_PLACES)
    try:
        lot.withdraw(
            amount,
            "compounded",
            user=user,
            compounding_record_id=record.id,
            note=f"{record.internal_id}: {line.name}",
        )
    except StockError as error:
        raise RecordProblem(f"{line.name}: {error}.")


# ---- the pharmacist's decision -------------------------------------------------------------


def _completed_only(record: CompoundingRecord) -> None:
    if record.status != RecordStatus.COMPLETED:
        raise RecordProblem(
            f"Only a completed record can be approved; this one is {record.status_label.lower()}."
        )


def _not_final(record: CompoundingRecord) -> None:
    if record.status not in OPEN_STATUSES:
        raise RecordProblem(f"This record is {record.status_label.lower()} already.")


def approve(record: CompoundingRecord, pharmacist: User) -> None:
    """USP <795>: a pharmacist verifies the completed record before the preparation is
    released."""
    if not pharmacist.is_pharmacist:
        raise RecordProblem(N_("Only a pharmacist may approve a compounding record."))
    _completed_only(record)
    lifecycle.move(
        record,
        RecordStatus.APPROVED,
        pharmacist,
        action="approve",
        changes={"approved_by": pharmacist, "approved_at": utcnow()},
        check_stored=_completed_only,
    )


def reject(record: CompoundingRecord, pharmacist: User, reason: str, *, today: date) -> None:
    """The preparation is not dispensed. Stock already used stays used; the fill goes back
    to compounding to be made again."""
    if not pharmacist.is_pharmacist:
        raise RecordProblem(N_("Only a pharmacist may reject a compounding record."))
    reason = (reason or "").strip()
    if not reason:
        raise RecordProblem(N_("Say why the record is rejected."))
    _not_final(record)
    with write_transaction():
        event = lifecycle.move(
            record,
            RecordStatus.REJECTED,
            pharmacist,
            action="reject",
            changes={
                "rejected_by": pharmacist,
                "rejected_at": utcnow(),
                "rejection_reason": reason,
            },
            note=reason,
            check_stored=_not_final,
        )
        fill = record.fill_or_none()
        was_completed = event.from_status == RecordStatus.COMPLETED
        if fill is not None and was_completed and fill.status == "final_verify":
            fill.move_to(
                "compound", pharmacist, reason=f"compounding record rejected: {reason}", today=today
            )
