"""Lab logs of the compounding area: cleaning and balance verification (USP <795>)."""

from datetime import date
from decimal import Decimal

from peewee import BooleanField, CharField, DateTimeField, DecimalField, ForeignKeyField, TextField

from portal.auth.models import User
from portal.compounding.lab.rules import balance_check
from portal.foundation.dates import to_local, utcnow
from portal.foundation.db import BaseModel
from portal.foundation.i18n import N_

DEVIATION_PLACES = Decimal("0.0001")

CLEANING_TARGETS = {
    "work_surfaces": N_("Work surfaces of the compounding area"),
    "area": N_("Compounding area (floors, walls, shelves, sink)"),
    "equipment": N_("Equipment"),
}
BALANCE_UNITS = ("g", "mg")


class CleaningLog(BaseModel):
    """One cleaning: who, when, what was cleaned and with which agent."""

    target = CharField(max_length=20)  # a key of CLEANING_TARGETS
    equipment = CharField(max_length=120, default="")  # which piece, when target is equipment
    agent = CharField(max_length=120)  # e.g. "70% isopropyl alcohol", "detergent then IPA"
    notes = TextField(default="")
    cleaned_by = ForeignKeyField(User, backref="cleanings", on_delete="RESTRICT")
    cleaned_at = DateTimeField(default=utcnow, index=True)

    @property
    def what(self) -> str:
        if self.target == "equipment":
            return f"Equipment: {self.equipment}" if self.equipment else "Equipment"
        return CLEANING_TARGETS.get(self.target, self.target)

    @classmethod
    def recent(cls, limit: int = 50):
        return (
            cls.select(cls, User)
            .join(User)
            .order_by(cls.cleaned_at.desc(), cls.id.desc())
            .limit(limit)
        )

    @classmethod
    def last_work_surface_cleaning(cls):
        return (
            cls.select()
            .where(cls.target == "work_surfaces")
            .order_by(cls.cleaned_at.desc())
            .first()
        )

    @classmethod
    def last_work_surface_date(cls, zone_name: str | None) -> date | None:
        """The pharmacy's calendar date of the latest work-surface cleaning."""
        last = cls.last_work_surface_cleaning()
        return to_local(last.cleaned_at, zone_name).date() if last else None


class BalanceCheck(BaseModel):
    """A balance verified against a standard weight; the pass is computed, not typed."""

    balance = CharField(max_length=40)  # the balance's own id, e.g. "B1 (Ohaus PX224)"
    standard_weight = DecimalField(max_digits=12, decimal_places=4, auto_round=True)
    unit = CharField(max_length=4, default="g")
    reading = DecimalField(max_digits=12, decimal_places=4, auto_round=True)
    tolerance_percent = DecimalField(max_digits=6, decimal_places=3, auto_round=True)
    deviation_percent = DecimalField(max_digits=10, decimal_places=4, auto_round=True)
    within_tolerance = BooleanField()
    notes = TextField(default="")
    checked_by = ForeignKeyField(User, backref="balance_checks", on_delete="RESTRICT")
    checked_at = DateTimeField(default=utcnow, index=True)

    @classmethod
    def build(
        cls, *, balance, standard_weight, unit, reading, tolerance_percent, checked_by, notes=""
    ):
        """A new (unsaved) check with its deviation and pass/fail worked out."""
        off, ok = balance_check(standard_weight, reading, tolerance_percent)
        return cls(
            balance=balance.strip(),
            standard_weight=standard_weight,
            unit=unit,
            reading=reading,
            tolerance_percent=tolerance_percent,
            deviation_percent=off.quantize(DEVIATION_PLACES),
            within_tolerance=ok,
            notes=notes,
            checked_by=checked_by,
        )

    @classmethod
    def recent(cls, limit: int = 50):
        return (
            cls.select(cls, User)
            .join(User)
            .order_by(cls.checked_at.desc(), cls.id.desc())
            .limit(limit)
        )
