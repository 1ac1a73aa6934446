"""Starting a compounding record: for a fill waiting to be compounded, or as an anticipatory
batch with the month's next lot number. The formula is scaled to the quantity and each line
corrected for potency and salt form, with the working kept on the line."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from peewee import PostgresqlDatabase

from portal.audit import log as audit
from portal.auth.models import User
from portal.catalog.formulas.models import Formula
from portal.catalog.formulas.rules import FormulaStatus
from portal.compounding import calculations as calc
from portal.compounding import settings as compounding_settings
from portal.compounding.calculations.working import HUNDRED, show
from portal.compounding.records import lifecycle
from portal.compounding.records.audit import RecordProblem, audit_record
from portal.compounding.records.models import CompoundingLine, CompoundingRecord, QualityResult
from portal.compounding.records.rules import (
    RecordStatus,
    batch_number,
    batch_prefix,
    next_batch_sequence,
    quantity_unit_for_scaling,
)
from portal.foundation.dates import utcnow
from portal.foundation.db import db, write_transaction
from portal.prescriptions.fills.models import FillEvent


def start(
    formula: Formula,
    quantity: Decimal,
    unit: str,
    user: User,
    *,
    today: date,
    fill=None,
) -> CompoundingRecord:
    """A new record: the formula scaled to the quantity, each line corrected for potency and
    salt. Without a fill it is an anticipatory batch and gets the month's next lot number."""
    if formula.status != FormulaStatus.APPROVED:
        raise RecordProblem(
            f"Version {formula.version} of {formula.title} is {formula.status_label.lower()}: "
            "only an approved formula may be compounded."
        )
    lines = formula.lines()
    if not lines:
        raise RecordProblem(f"{formula.title} has no ingredients to compound.")
    try:
        scaled = calc.scale_formula(
            [
                calc.FormulaIngredient(
                    name=line.component_name,
                    amount=line.amount,
                    unit=line.unit,
                    # A certificate above 100% is weighed as written, never less.
                    potency_percent=min(line.potency_percent, HUNDRED),
                    salt_factor=line.salt_factor,
                )
                for line in lines
            ],
            basis_quantity=formula.basis_quantity,
            basis_unit=formula.basis_unit,
            prescribed_quantity=quantity,
            prescribed_unit=unit,
        )
    except (ValueError, TypeError) as error:
        raise RecordProblem(
            f"{formula.title} is made per {show(formula.basis_quantity)} {formula.basis_unit} "
            f"and cannot be scaled to {show(quantity)} {unit}: {error}."
        )
    with write_transaction():
        number = None
        if fill is None:
            _lock_batch_numbers()
            taken = CompoundingRecord.batch_numbers_like(batch_prefix(today))
            number = batch_number(today, next_batch_sequence(taken, today))
        record = CompoundingRecord.create(
            batch_number=number,
            formula=formula,
            quantity=quantity,
            unit=unit,
            scale_factor=scaled.factor,
            scaling_steps="\n".join(scaled.steps),
            tolerance_percent=formula.weighing_tolerance_percent,
            bud_table=compounding_settings.bud_table(),
            started_by=user,
            **({"fill": fill} if fill is not None else {}),
        )
        for position, (line, worked) in enumerate(zip(lines, scaled.ingredients, strict=True)):
            CompoundingLine.create(
                record=record,
                formula_line=line,
                position=position,
                name=line.component_name,
                is_active=line.is_active,
                unit=worked.unit,
                formula_amount=line.amount,
                scaled_amount=worked.scaled_amount,
                required_amount=worked.amount_to_weigh,
                potency_percent=min(line.potency_percent, HUNDRED),
                salt_factor=line.salt_factor,
                steps="\n".join(worked.steps),
            )
        for position, check in enumerate(formula.quality_checks()):
            QualityResult.create(record=record, check=check, position=position)
        audit_record("create", record, after=audit.snapshot(record), user=user)
        lifecycle.started(record, user, note=f"batch {number}" if number else "")
    return record


def start_for_fill(fill, user: User, *, today: date) -> CompoundingRecord:
    """The record for a fill sent to compounding: the prescription's formula (its family's
    approved version now) scaled to the fill's quantity. An open record is returned as is."""
    if fill.status != "compound":
        raise RecordProblem(
            f"Rx {fill.rx_fill} is not waiting to be compounded ({fill.status_label.lower()})."
        )
    prescription = fill.prescription
    if not prescription.is_compound:
        raise RecordProblem(f"Rx {fill.rx_fill} is for a product, not a compound.")
    with write_transaction():
        _close_sent_back(fill)
        open_record = CompoundingRecord.open_for_fill(fill)
        if open_record is not None:
            return open_record
        formula = prescription.formula.approved_version()
        if formula is None:
            raise RecordProblem(
                f"{prescription.formula.title} has no approved version: a pharmacist approves "
                "the master formula before it is compounded."
            )
        unit = quantity_unit_for_scaling(prescription.quantity_unit)
        return start(formula, Decimal(fill.quantity), unit, user, today=today, fill=fill)


def _close_sent_back(fill) -> None:
    """A completed record whose fill the pharmacist sent back to compounding is not dispensed:
    mark it rejected with the pharmacist's reason, so a new record can be made."""
    for record in CompoundingRecord.select().where(
        (CompoundingRecord.fill == fill) & (CompoundingRecord.status == RecordStatus.COMPLETED)
    ):
        event = (
            fill.events()
            .where(FillEvent.to_status == "compound")
            .order_by(FillEvent.id.desc())
            .first()
        )
        pharmacist = event.user if event is not None else None
        reason = f"sent back at final verification: {fill.return_reason or 'no reason given'}"
        lifecycle.move(
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
        )


def _lock_batch_numbers() -> None:
    """Serialise batch numbering: SQLite's BEGIN IMMEDIATE already does; PostgreSQL takes a
    transaction-scoped advisory lock so two terminals never read the same last number."""
    if isinstance(db.obj, PostgresqlDatabase):
        db.execute_sql("SELECT pg_advisory_xact_lock(%s)", (_BATCH_LOCK,))


_BATCH_LOCK = 7402  # any fixed number; the audit chain uses 7401
