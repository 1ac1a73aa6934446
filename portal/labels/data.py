"""What a prescription label carries, as plain values: no database, no Flask.

The fields follow 21 USC 353(b)(2), 21 CFR 1306.14 and 1306.24, 21 CFR 290.5 (the
controlled-substance transfer warning) and USP <795> section 11 (labeling of compounded
preparations). Views build a ``LabelData`` from a fill; the renderer
only formats and places what it is given.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from portal.foundation.i18n import ENGLISH, N_
from portal.labels.barcodes import label_barcode
from portal.prescriptions.screening.facts import SCHEDULES, Schedule

# NCPDP 402-D2 Rx number: up to 12 digits; 403-D3 fill number: 0 (original) to 99.
_RX_NUMBER = re.compile(r"[0-9]{1,12}")
MAX_FILL_NUMBER = 99

# 21 CFR 290.5: the warning goes on C-II, C-III and C-IV, not on C-V.
TRANSFER_WARNING_SCHEDULES = frozenset({"2", "3", "4"})
TRANSFER_WARNING = (
    "Caution: Federal law prohibits the transfer of this drug to any person "
    "other than the patient for whom it was prescribed."
)
COMPOUNDED_STATEMENT = N_("This is a compounded preparation.")

# Common auxiliary (warning) labels, for the app's picker; any text is allowed. These
# print in the patient's language (the catalog has them); text typed freely prints as typed.
COMMON_AUXILIARY_LABELS: tuple[str, ...] = (
    N_("Shake well"),
    N_("Refrigerate — do not freeze"),
    N_("For external use only"),
    N_("May cause drowsiness"),
    N_("Take with food"),
    N_("Avoid sunlight"),
    N_("Do not crush or chew"),
)


@dataclass(frozen=True)
class LabelPharmacy:
    """The dispensing pharmacy as printed at the top of every label."""

    name: str
    address: str  # one line: "12 Main St, Springfield, IL 62701"
    phone: str


@dataclass(frozen=True)
class CompoundIngredient:
    """An active ingredient of a compounded preparation and how much of it there is."""

    name: str
    strength: str  # amount, activity or concentration as printed: "10 mg/mL", "2%"


@dataclass(frozen=True)
class CompoundDetails:
    """What USP <795> section 11 adds to the label of a compounded preparation."""

    dosage_form: str  # "oral suspension", "cream"
    ingredients: tuple[CompoundIngredient, ...]
    internal_id: str  # the Rx number, or the batch lot number for batch preparations

    def __post_init__(self) -> None:
        object.__setattr__(self, "ingredients", tuple(self.ingredients))
        if not self.ingredients:
            raise ValueError("a compounded preparation's label lists its active ingredients")
        _require_text(self, ("dosage_form", "internal_id"))


@dataclass(frozen=True, kw_only=True)
class LabelData:
    """Everything one prescription label shows.

    ``fill_number`` is 0 for the original fill, 1 for the first refill, and so on.
    ``discard_after`` is the discard-after date, or the BUD for a compound.
    ``storage`` is given only when other than controlled room temperature.
    ``schedule`` is "2" to "5" for a controlled substance, None otherwise.
    """

    pharmacy: LabelPharmacy
    rx_number: str
    fill_number: int
    filled_on: date
    patient_name: str
    prescriber_name: str
    drug_name: str
    strength: str = ""
    manufacturer: str = ""  # for a generic; states commonly require it
    quantity: Decimal
    quantity_unit: str  # "tablets", "mL", "g": never implied
    directions: str
    refills_remaining: int
    discard_after: date
    storage: str = ""
    schedule: Schedule | None = None
    first_filled_on: date | None = None  # controlled: the date of initial filling
    # "partial fill: 10 of 30" when less than prescribed is dispensed (21 CFR 1306.13, 1306.23)
    partial: str = ""
    remainder: bool = False  # the remainder of a partial fill: not a refill
    compound: CompoundDetails | None = None
    auxiliary: tuple[str, ...] = field(default=())
    # The locale of the label's fixed words (portal/foundation/i18n.py), the patient's.
    language: str = ENGLISH
    # USP <17> patient-centred layout (setting label_patient_centred): who, what and how
    # first and largest.
    patient_centred: bool = False

    def __post_init__(self) -> None:
        object.__setattr__(self, "auxiliary", tuple(a.strip() for a in self.auxiliary))
        object.__setattr__(self, "quantity", _decimal(self.quantity))
        _require_text(
            self,
            ("patient_name", "prescriber_name", "drug_name", "quantity_unit", "directions"),
        )
        _require_text(self.pharmacy, ("name", "address", "phone"))
        if not _RX_NUMBER.fullmatch(self.rx_number):
            raise ValueError(f'Rx number "{self.rx_number}" must be 1 to 12 digits')
        if not 0 <= self.fill_number <= MAX_FILL_NUMBER:
            raise ValueError(f"fill number must be 0 to {MAX_FILL_NUMBER}, not {self.fill_number}")
        if self.quantity <= 0:
            raise ValueError("quantity must be more than zero")
        if self.refills_remaining < 0:
            raise ValueError("refills remaining cannot be negative")
        self._check_controlled()

    def _check_controlled(self) -> None:
        if self.schedule is None:
            return
        if self.schedule not in SCHEDULES:
            raise ValueError(f"schedule must be one of {', '.join(SCHEDULES)} or None")
        if self.schedule == "2" and self.refills_remaining:
            raise ValueError("a C-II prescription has no refills (21 CFR 1306.12)")
        # 21 CFR 1306.24: a controlled refill's label shows the date of initial filling.
        if self.first_filled_on is None and self.fill_number:
            raise ValueError("a controlled refill's label needs the date of initial filling")

    @property
    def initial_filling_date(self) -> date:
        """The date of initial filling: ``first_filled_on``, or today's fill if it is the first."""
        return self.first_filled_on or self.filled_on

    @property
    def barcode(self) -> str:
        """What the label's Code 128 encodes: "RX100123-1" (barcodes.py)."""
        return label_barcode(self.rx_number, self.fill_number)

    @property
    def transfer_warning(self) -> bool:
        """Whether 21 CFR 290.5's transfer warning must be printed."""
        return self.schedule in TRANSFER_WARNING_SCHEDULES


def _decimal(value: Decimal | int | str) -> Decimal:
    if isinstance(value, float):
        raise TypeError("quantity must be a Decimal, int or str, not a float")
    return Decimal(str(value))


def _require_text(record: object, names: tuple[str, ...]) -> None:
    missing = [name for name in names if not str(getattr(record, name) or "").strip()]
    if missing:
        raise ValueError(f"{type(record).__name__} needs {', '.join(missing)}")
