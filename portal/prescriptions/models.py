"""Prescriptions, the Rx number counter and scanned originals. Fills are in fills/models.py.

A prescription names a product now; the compounding area adds a nullable `formula`
foreign key for compounded preparations (see `is_compound` and gather.drug_facts).
Only intake and data entry may leave fields blank: a fill cannot be sent to the
pharmacist until the form has them all (forms.IntakeForm).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from peewee import (
    BigIntegerField,
    Case,
    CharField,
    DateField,
    DateTimeField,
    ForeignKeyField,
    IntegerField,
    TextField,
    fn,
)

from portal.auth.models import User
from portal.catalog.formulas.models import Formula
from portal.catalog.models import Product, QuantityField
from portal.foundation.dates import utcnow
from portal.foundation.db import BaseModel, write_transaction
from portal.foundation.i18n import translated
from portal.patients.models import Patient
from portal.prescribers.models import Prescriber
from portal.prescriptions import policy
from portal.prescriptions import settings as rx_settings
from portal.prescriptions.fills.workflow import FillStatus
from portal.prescriptions.screening.facts import SCHEDULE_LABELS


class RxCounter(BaseModel):
    """The last Rx number issued: one row (id 1), raised inside the prescription's transaction.

    Numbers are never reused: a cancelled prescription keeps its number, and the counter
    only moves up. One UPDATE takes the row lock (BEGIN IMMEDIATE on SQLite, a row lock on
    PostgreSQL), so two terminals entering at once get different numbers.
    """

    id = IntegerField(primary_key=True)
    last_issued = BigIntegerField(default=0)

    class Meta:
        table_name = "rx_counter"

    @classmethod
    def issue(cls) -> int:
        """The next Rx number (call inside the write transaction that uses it)."""
        start = rx_settings.rx_number_start()
        with write_transaction():
            following = cls.last_issued + 1
            bumped = Case(None, [(following < start, start)], following)
            if cls.update(last_issued=bumped).where(cls.id == 1).execute() == 0:
                # First number ever (or the row was lost): carry on from the highest issued.
                highest = Prescription.select(fn.COALESCE(fn.MAX(Prescription.rx_number), 0))
                cls.insert(id=1, last_issued=highest).on_conflict_ignore().execute()
                cls.update(last_issued=bumped).where(cls.id == 1).execute()
            return int(cls.select(cls.last_issued).where(cls.id == 1).scalar())


class Prescription(BaseModel):
    """One prescription as written, with its Rx number. Its fills are the dispensings."""

    rx_number = BigIntegerField(unique=True)
    patient = ForeignKeyField(Patient, backref="prescriptions", on_delete="RESTRICT")
    prescriber = ForeignKeyField(
        Prescriber, null=True, backref="prescriptions", on_delete="RESTRICT"
    )
    product = ForeignKeyField(Product, null=True, backref="prescriptions", on_delete="RESTRICT")
    # A compounded preparation: the master formula (an approved version) instead of a product.
    formula = ForeignKeyField(Formula, null=True, backref="prescriptions", on_delete="RESTRICT")
    sig = CharField(max_length=500, default="")  # as typed: "1 cap po bid x10d"
    directions = TextField(default="")  # in plain words, as verified and labelled
    quantity = QuantityField(default=0)  # in quantity_unit
    quantity_unit = CharField(max_length=8, default="each")  # policy.QUANTITY_UNITS
    days_supply = IntegerField(default=0)
    refills_authorized = IntegerField(default=0)
    daw = CharField(max_length=1, default="0")  # policy.DAW_CODES
    written_on = DateField(null=True)
    expires_on = DateField(null=True)  # the last day it may be filled (policy.expires_on)
    origin = CharField(max_length=12, default="written")  # policy.ORIGINS
    schedule = CharField(max_length=1, null=True)  # "2".."5"; None: not controlled
    notes = TextField(default="")
    status = CharField(max_length=10, default="active")  # active | inactive
    # Stopped by the prescriber, as the pharmacist recorded it (intake/discontinue.py).
    discontinued_at = DateTimeField(null=True)
    discontinued_by = ForeignKeyField(User, null=True, backref="+", on_delete="RESTRICT")
    discontinued_reason = CharField(max_length=1000, default="")
    created_by = ForeignKeyField(User, backref="+", on_delete="RESTRICT")
    created_at = DateTimeField(default=utcnow)
    updated_at = DateTimeField(default=utcnow)

    class Meta:
        table_name = "prescription"

    def save(self, *args, **kwargs):
        self.updated_at = utcnow()
        return super().save(*args, **kwargs)

    # ---- reading -------------------------------------------------------------------------

    @property
    def is_compound(self) -> bool:
        """True for a compounded preparation (the compounding area's `formula` is set)."""
        return bool(getattr(self, "formula_id", None))

    @property
    def drug_name(self) -> str:
        """What is dispensed, as staff read it."""
        if self.is_compound:
            formula = self.formula
            return getattr(formula, "title", None) or str(formula)
        return self.product.description if self.product_id else "(no drug chosen yet)"

    @property
    def schedule_label(self) -> str:
        return SCHEDULE_LABELS.get(self.schedule or "", "")

    @property
    def origin_label(self) -> str:
        return translated(policy.label(policy.ORIGINS, self.origin))

    @property
    def daw_label(self) -> str:
        return translated(policy.label(policy.DAW_CODES, self.daw))

    @property
    def unit_text(self) -> str:
        """The quantity's unit in words: "tablets", "mL"."""
        return policy.unit_words(self.quantity_unit)

    @property
    def quantity_text(self) -> str:
        return f"{plain_quantity(self.quantity)} {self.unit_text}"

    @property
    def is_active(self) -> bool:
        return self.status == "active"

    # Fills are read through the backref (self.fills.model is Fill): fills/models.py builds on
    # this module, so importing it here would run the dependency backwards.
    def fill_list(self):
        return list(self.fills.order_by(self.fills.model.fill_number))

    def image_list(self) -> list[PrescriptionImage]:
        return list(self.images.order_by(PrescriptionImage.id))

    def refill_problem(self, today: date) -> str | None:
        """Why no new fill can be made now, in words; None when a refill may be made."""
        # A remainder of a partial fill is not a refill (21 CFR 1306.13, 1306.23).
        fills = list(
            self.fills.where(
                (self.fills.model.status != FillStatus.CANCELLED)
                & self.fills.model.remainder_of.is_null()
            )
        )
        still_open = [f.fill_number for f in fills if f.is_open]
        return policy.refill_problem(
            rx_number=self.rx_number,
            active=self.is_active,
            refills_authorized=self.refills_authorized,
            fills_made=len(fills),
            open_fill_number=min(still_open) if still_open else None,
            expires=self.expires_on,
            schedule=self.schedule,
            max_refills_c3_c4=rx_settings.max_refills_c3_c4(),
            today=today,
        )

    def refills_left(self) -> int:
        """Refills not yet used (fills not cancelled count, the original included)."""
        made = self.fills.where(
            (self.fills.model.status != FillStatus.CANCELLED)
            & self.fills.model.remainder_of.is_null()
        ).count()
        return policy.refills_left(self.refills_authorized, made)

    def set_expiry(self) -> None:
        """Work out the last fillable day from the date written and the schedule."""
        if self.written_on is None:
            self.expires_on = None
        else:
            self.expires_on = policy.expires_on(
                self.written_on, self.schedule, rx_settings.expiry_limits()
            )

    def __str__(self) -> str:
        return f"Rx {self.rx_number}"


class PrescriptionImage(BaseModel):
    """A scan or photo of the original, stored in the instance folder under a random name."""

    prescription = ForeignKeyField(Prescription, backref="images", on_delete="CASCADE")
    stored_name = CharField(max_length=80, unique=True)  # random; no path, no user text
    original_name = CharField(max_length=200, default="")
    content_type = CharField(max_length=40)
    size_bytes = IntegerField()
    sha256 = CharField(max_length=64)
    uploaded_by = ForeignKeyField(User, backref="+", on_delete="RESTRICT")
    uploaded_at = DateTimeField(default=utcnow)

    class Meta:
        table_name = "prescription_image"

    @property
    def is_pdf(self) -> bool:
        return self.content_type == "application/pdf"


def plain_quantity(value) -> str:
    """30, 2.5: a quantity without trailing zeros (the `qty` template filter)."""
    return format(Decimal(value or 0).normalize(), "f")
