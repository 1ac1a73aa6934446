"""Compounding records (USP <795>): each making of a preparation from a master formula.

A record is made for a fill (its internal id is the Rx number) or as an anticipatory batch
(its own lot number, e.g. B2611-0001). It keeps the formula VERSION used, the scaled lines
(required amount, lot chosen, amount measured, deviation), the quality-check results, who
compounded and who approved it, and the BUD with the sentence explaining it. The changes
themselves are in actions.py and start.py; its status moves only through lifecycle.py,
which keeps its history (events.py). Lab logs are in compounding/lab.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from peewee import (
    JOIN,
    BooleanField,
    CharField,
    DateField,
    DateTimeField,
    DecimalField,
    ForeignKeyField,
    IntegerField,
    TextField,
)

from portal.auth.models import User
from portal.catalog.formulas.models import Formula, FormulaIngredient, FormulaQualityCheck
from portal.catalog.models import Ingredient, Product
from portal.catalog.stock.models import Lot
from portal.compounding.calculations.units import in_unit
from portal.compounding.records.rules import (
    OPEN_STATUSES,
    RECORD_STATUS_LABELS,
    RecordStatus,
    concentration,
)
from portal.foundation.dates import utcnow
from portal.foundation.db import BaseModel
from portal.prescriptions.fills.models import Fill


class CompoundingRecord(BaseModel):
    # The fill it was made for; None for an anticipatory batch (which has a batch_number).
    fill = ForeignKeyField(Fill, null=True, backref="compounding_records", on_delete="RESTRICT")
    batch_number = CharField(max_length=20, null=True, unique=True)  # anticipatory batches
    formula = ForeignKeyField(Formula, backref="records", on_delete="RESTRICT")
    quantity = DecimalField(max_digits=14, decimal_places=4, auto_round=True)  # quantity made
    unit = CharField(max_length=8)  # g, mL or each
    status = CharField(max_length=12, default=RecordStatus.IN_PROGRESS, index=True)
    scale_factor = DecimalField(max_digits=16, decimal_places=8, auto_round=True)
    scaling_steps = TextField(default="")  # one step per line
    tolerance_percent = DecimalField(
        max_digits=5, decimal_places=2, auto_round=True
    )  # from the formula
    bud_table = CharField(max_length=10, default="usp2023")
    started_by = ForeignKeyField(User, backref="+", on_delete="RESTRICT")
    started_at = DateTimeField(default=utcnow)
    compounded_by = ForeignKeyField(User, null=True, backref="+", on_delete="RESTRICT")
    compounded_on = DateField(null=True)  # the pharmacy's date: day 1 of the BUD
    completed_at = DateTimeField(null=True)
    beyond_use_date = DateField(null=True)
    bud_explanation = TextField(default="")
    storage = CharField(max_length=200, default="")
    approved_by = ForeignKeyField(User, null=True, backref="+", on_delete="RESTRICT")
    approved_at = DateTimeField(null=True)
    rejected_by = ForeignKeyField(User, null=True, backref="+", on_delete="RESTRICT")
    rejected_at = DateTimeField(null=True)
    rejection_reason = TextField(default="")
    notes = TextField(default="")

    class Meta:
        table_name = "compounding_record"
        # Staff activity over a period (migration 0151).
        indexes = (
            (("completed_at", "compounded_by"), False),
            (("approved_at", "approved_by"), False),
        )

    # ---- reading -------------------------------------------------------------------------

    @property
    def status_label(self) -> str:
        return RECORD_STATUS_LABELS.get(self.status, self.status)

    @property
    def is_batch(self) -> bool:
        return bool(self.batch_number)

    @property
    def internal_id(self) -> str:
        """USP <795>: the Rx number for a prescription, the batch lot number for a batch."""
        if self.batch_number:
            return self.batch_number
        fill = self.fill_or_none()
        return str(fill.prescription.rx_number) if fill is not None else f"record {self.id}"

    def fill_or_none(self):
        """The fill this record was made for (None for a batch)."""
        return self.fill if self.fill_id else None

    @property
    def title(self) -> str:
        return f"{self.formula.title} — {self.quantity.normalize():f} {self.unit}"

    @property
    def is_open(self) -> bool:
        return self.status == RecordStatus.IN_PROGRESS

    def lines(self) -> list[CompoundingLine]:
        """Lines in formula order, with the formula line, its item and the chosen lot."""
        return list(
            CompoundingLine.select(CompoundingLine, FormulaIngredient, Ingredient, Product, Lot)
            .join_from(CompoundingLine, FormulaIngredient)
            .join_from(FormulaIngredient, Ingredient, JOIN.LEFT_OUTER)
            .join_from(FormulaIngredient, Product, JOIN.LEFT_OUTER)
            .join_from(CompoundingLine, Lot, JOIN.LEFT_OUTER)
            .where(CompoundingLine.record == self)
            .order_by(CompoundingLine.position, CompoundingLine.id)
        )

    def quality_results(self) -> list[QualityResult]:
        return list(
            QualityResult.select(QualityResult, FormulaQualityCheck)
            .join(FormulaQualityCheck)
            .where(QualityResult.record == self)
            .order_by(QualityResult.position, QualityResult.id)
        )

    def active_ingredients(self) -> list[tuple[str, str]]:
        """(name, strength) of each active ingredient, as a compound label states them."""
        formula = self.formula
        found = []
        for line in formula.lines():
            if not line.is_active:
                continue
            if line.ingredient_id:
                strength = concentration(
                    line.amount,
                    line.unit,
                    formula.basis_quantity,
                    formula.basis_unit,
                    formula.dosage_form,
                )
            else:
                strength = formula.strength
            found.append((line.component_name, strength))
        return found

    def label_facts(self) -> dict:
        """What a compounded preparation's label needs (USP <795> section 11)."""
        formula = self.formula
        return {
            "internal_id": self.internal_id,
            "dosage_form": formula.dosage_form,
            "strength": formula.strength,
            "active_ingredients": self.active_ingredients(),
            "quantity": self.quantity,
            "quantity_unit": self.unit,
            "beyond_use_date": self.beyond_use_date,
            "storage": self.storage,
            "auxiliary_labels": formula.auxiliary_label_list,
            "compounded_on": self.compounded_on,
        }

    # ---- queries -------------------------------------------------------------------------

    @classmethod
    def listing(cls, status: str | None = None, limit: int = 100):
        query = cls.select(cls, Formula).join(Formula)
        if status:
            query = query.where(cls.status == status)
        return query.order_by(cls.started_at.desc(), cls.id.desc()).limit(limit)

    @classmethod
    def open_for_fill(cls, fill) -> CompoundingRecord | None:
        """The fill's record still being made or waiting for a pharmacist, if any."""
        return (
            cls.select()
            .where((cls.fill == fill) & cls.status.in_(OPEN_STATUSES))
            .order_by(cls.id.desc())
            .first()
        )

    @classmethod
    def latest_for_fill(cls, fill) -> CompoundingRecord | None:
        """The fill's newest record, whatever its status (final verification shows it)."""
        return cls.select().where(cls.fill == fill).order_by(cls.id.desc()).first()

    @classmethod
    def batch_numbers_like(cls, prefix: str) -> list[str]:
        return [
            row.batch_number
            for row in cls.select(cls.batch_number).where(cls.batch_number.startswith(prefix))
        ]

    def __str__(self) -> str:
        return f"Compounding record {self.id} ({self.internal_id})"


class CompoundingLine(BaseModel):
    """One ingredient of a record: scaled and corrected, the lot used and what was measured."""

    record = ForeignKeyField(CompoundingRecord, backref="line_rows", on_delete="CASCADE")
    formula_line = ForeignKeyField(FormulaIngredient, backref="+", on_delete="RESTRICT")
    position = IntegerField(default=0)
    name = CharField(max_length=200)  # as the formula names it, kept with the record
    is_active = BooleanField(default=False)
    unit = CharField(max_length=8)
    formula_amount = DecimalField(
        max_digits=14, decimal_places=6, auto_round=True
    )  # per batch basis
    scaled_amount = DecimalField(
        max_digits=16, decimal_places=6, auto_round=True
    )  # before corrections
    required_amount = DecimalField(
        max_digits=16, decimal_places=6, auto_round=True
    )  # to weigh or measure
    potency_percent = DecimalField(
        max_digits=7, decimal_places=3, auto_round=True, default=Decimal(100)
    )
    salt_factor = DecimalField(max_digits=7, decimal_places=4, auto_round=True, null=True)
    steps = TextField(default="")  # the working, one step per line
    lot = ForeignKeyField(Lot, null=True, backref="+", on_delete="RESTRICT")
    measured_amount = DecimalField(max_digits=16, decimal_places=6, auto_round=True, null=True)
    deviation_percent = DecimalField(max_digits=12, decimal_places=4, auto_round=True, null=True)
    flagged = BooleanField(default=False)
    pharmacist_note = TextField(default="")
    noted_by = ForeignKeyField(User, null=True, backref="+", on_delete="RESTRICT")
    noted_at = DateTimeField(null=True)

    class Meta:
        table_name = "compounding_line"

    @property
    def item(self):
        return self.formula_line.item

    @property
    def measured_in_stock_unit(self) -> Decimal | None:
        """The amount measured, in the item's stock unit (g, mL or each), the unit its cost
        per unit and its lots are kept in: 250 mg weighed is 0.25 g."""
        if self.measured_amount is None:
            return None
        return in_unit(self.measured_amount, self.unit, self.item.stock_unit)

    @property
    def step_list(self) -> list[str]:
        return [s for s in self.steps.splitlines() if s.strip()]

    def lot_expired(self, on_date: date) -> bool:
        return self.lot_id is not None and self.lot.expires_on < on_date


class QualityResult(BaseModel):
    """The result of one of the formula's quality checks on this preparation."""

    record = ForeignKeyField(CompoundingRecord, backref="quality_rows", on_delete="CASCADE")
    check = ForeignKeyField(FormulaQualityCheck, backref="+", on_delete="RESTRICT")
    position = IntegerField(default=0)
    measured = DecimalField(
        max_digits=14, decimal_places=4, auto_round=True, null=True
    )  # weight, pH
    observed = CharField(max_length=300, default="")  # what was seen
    passed = BooleanField(null=True)  # None: not recorded yet
    recorded_by = ForeignKeyField(User, null=True, backref="+", on_delete="RESTRICT")
    recorded_at = DateTimeField(null=True)

    class Meta:
        table_name = "quality_result"
