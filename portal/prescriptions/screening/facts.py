"""Plain values the safety checks read, the result each check gives, and the settings.

Views and models build these from database rows; the checks never touch the
database. Collections are stored as tuples / frozensets so the facts are
immutable and hashable (lists passed in are converted).
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Literal

from portal.foundation.i18n import N_

Schedule = Literal["2", "3", "4", "5"]
AllergenKind = Literal["ingredient", "class", "text"]
AllergyStatus = Literal["nkda", "not_asked", "has_allergies"]

SCHEDULES: tuple[str, ...] = ("2", "3", "4", "5")
SCHEDULE_LABELS = {"2": "C-II", "3": "C-III", "4": "C-IV", "5": "C-V"}
ALLERGEN_KINDS = ("ingredient", "class", "text")
ALLERGY_STATUSES = ("nkda", "not_asked", "has_allergies")


class Status(enum.Enum):
    """Outcome of a check, ordered pass < warn < block so the worst can be found."""

    PASS = "pass"  # noqa: S105 - a check outcome, not a password
    WARN = "warn"
    BLOCK = "block"

    @property
    def rank(self) -> int:
        """0 for pass, 1 for warn, 2 for block."""
        return _STATUS_RANK[self.value]

    def __lt__(self, other: object) -> bool:
        if not isinstance(other, Status):
            return NotImplemented
        return self.rank < other.rank

    def __le__(self, other: object) -> bool:
        if not isinstance(other, Status):
            return NotImplemented
        return self.rank <= other.rank

    def __gt__(self, other: object) -> bool:
        if not isinstance(other, Status):
            return NotImplemented
        return self.rank > other.rank

    def __ge__(self, other: object) -> bool:
        if not isinstance(other, Status):
            return NotImplemented
        return self.rank >= other.rank


_STATUS_RANK = {"pass": 0, "warn": 1, "block": 2}


@dataclass(frozen=True)
class CheckResult:
    """What one check found, in words a pharmacist reads. ``status`` may be given as a string."""

    check: str
    status: Status
    message: str
    # Where the rule behind the alert comes from (a reference, FDA EPC, a licensed file).
    source: str = ""
    # A passing result the pharmacist should still see (carbapenem after penicillin).
    info: bool = False

    def __post_init__(self) -> None:
        object.__setattr__(self, "status", Status(self.status))

    @property
    def shown(self) -> bool:
        """Listed with the problems rather than folded away with the passed checks."""
        return self.status is not Status.PASS or self.info


def _require(value: object, allowed: tuple[str, ...], what: str) -> None:
    if value not in allowed:
        raise ValueError(f"{what} must be one of {', '.join(allowed)}, not {value!r}")


def _check_schedule(schedule: str | None) -> None:
    if schedule is not None:
        _require(schedule, SCHEDULES, "schedule")


def most_restrictive(*schedules: str | None) -> str | None:
    """The most restrictive schedule present (C-II beats C-V), or None when none is controlled."""
    present = [s for s in schedules if s is not None]
    return min(present) if present else None


@dataclass(frozen=True)
class IngredientFacts:
    """An active ingredient (or compound component) with the allergen classes it belongs to."""

    name: str
    allergen_classes: tuple[str, ...] = ()
    schedule: Schedule | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "allergen_classes", tuple(self.allergen_classes))
        _check_schedule(self.schedule)


@dataclass(frozen=True)
class DrugFacts:
    """A product or a master formula (compound) as dispensed.

    ``product_key`` identifies the product or formula (its NDC, or e.g.
    "formula:12"); two fills with the same key are the same product.
    """

    name: str
    ingredients: tuple[IngredientFacts, ...] = ()
    schedule: Schedule | None = None
    is_compound: bool = False
    product_key: str = ""
    dosage_form: str = ""  # "tablet, extended release", "patch"

    def __post_init__(self) -> None:
        object.__setattr__(self, "ingredients", tuple(self.ingredients))
        _check_schedule(self.schedule)

    @property
    def effective_schedule(self) -> str | None:
        """controlled.md: a compound takes the most restrictive schedule of its ingredients."""
        return most_restrictive(self.schedule, *(i.schedule for i in self.ingredients))


@dataclass(frozen=True)
class PatientAllergy:
    """One recorded allergy: an ingredient, a drug class ("sulfonamides"), or free text."""

    allergen: str
    kind: AllergenKind = "text"
    reaction: str = ""
    severity: str = ""

    def __post_init__(self) -> None:
        _require(self.kind, ALLERGEN_KINDS, "allergy kind")


@dataclass(frozen=True)
class PatientFacts:
    """Whether allergies were asked, and those recorded."""

    allergy_status: AllergyStatus
    allergies: tuple[PatientAllergy, ...] = ()

    def __post_init__(self) -> None:
        object.__setattr__(self, "allergies", tuple(self.allergies))
        _require(self.allergy_status, ALLERGY_STATUSES, "allergy status")


@dataclass(frozen=True)
class PrescriberFacts:
    """The prescriber's DEA registration: number and the schedules it covers.

    ``dea_schedules`` holds "2", "2N" (non-narcotic C-II only), "3", "3N", "4", "5".
    """

    name: str = ""
    last_name: str | None = None
    dea: str | None = None
    dea_schedules: frozenset[str] = frozenset()

    def __post_init__(self) -> None:
        # Stored as strings ("2", "2N"), whatever the caller passed (2, "2n").
        schedules = frozenset(str(s).strip().upper() for s in self.dea_schedules)
        object.__setattr__(self, "dea_schedules", schedules)


@dataclass(frozen=True)
class RxFacts:
    """The prescription as entered. ``quantity`` is in ``quantity_unit`` (None means each)."""

    rx_number: str
    written_on: date
    refills_authorized: int
    quantity: Decimal
    days_supply: int
    directions: str = ""
    quantity_unit: str | None = None
    schedule: Schedule | None = None
    prescriber_id: int | None = None

    def __post_init__(self) -> None:
        _check_schedule(self.schedule)


@dataclass(frozen=True)
class PreviousFill:
    """The latest dispensed fill of the same drug for this patient (this Rx or an earlier one)."""

    filled_on: date
    days_supply: int
    rx_number: str = ""


@dataclass(frozen=True)
class FillFacts:
    """The fill being verified.

    ``fills_done`` counts dispensings already made on this prescription: 0 when
    this is the original fill, 1 when it is the first refill, and so on.
    """

    filling_on: date
    fills_done: int = 0
    previous_fill: PreviousFill | None = None

    def __post_init__(self) -> None:
        if self.fills_done < 0:
            raise ValueError("fills_done cannot be negative")


@dataclass(frozen=True)
class OtherFill:
    """Another active medication: an open fill for the same patient (in progress, or its days
    supply plus the grace days not yet used), or one on the profile's "other medications"
    list (``rx_number`` empty, ``where`` says where it comes from)."""

    rx_number: str
    drug: DrugFacts
    where: str = ""
    prescriber_id: int | None = None
    stopped: bool = False  # its prescription was discontinued

    def replaced_by(self, rx: RxFacts) -> bool:
        """Stopped by the prescriber who wrote ``rx``: one replaces the other (screening.md),
        so its remaining supply is not a duplicate."""
        return (
            self.stopped
            and self.prescriber_id is not None
            and (self.prescriber_id == rx.prescriber_id)
        )

    @property
    def label(self) -> str:
        if self.rx_number:
            return f"Rx {self.rx_number} ({self.drug.name})"
        return f"{self.drug.name} ({self.where or 'other medication'})"


@dataclass(frozen=True, kw_only=True)
class ControlledLimits:
    """Controlled-substance limits: federal defaults (controlled.md); a state may only tighten.

    21 CFR 1306.12: no C-II refills. 21 CFR 1306.22: C-III/IV at most 5 refills,
    not filled more than 6 months after the date written. C-II has no federal
    expiry; 180 days is the common state default. ``None`` means no limit
    beyond the non-controlled one.
    """

    max_refills_c2: int = 0
    max_refills_c3: int = 5
    max_refills_c4: int = 5
    max_refills_c5: int | None = None
    days_valid_c2: int | None = 180
    months_valid_c3_c4: int = 6
    days_valid_c5: int | None = None

    def __post_init__(self) -> None:
        if self.max_refills_c2 != 0:
            raise ValueError(N_("C-II prescriptions cannot be refilled (21 CFR 1306.12)"))
        if not (0 <= self.max_refills_c3 <= 5 and 0 <= self.max_refills_c4 <= 5):
            raise ValueError(N_("C-III/IV refills must be between 0 and 5 (21 CFR 1306.22)"))
        if not 1 <= self.months_valid_c3_c4 <= 6:
            raise ValueError(N_("C-III/IV time limit must be 1 to 6 months (21 CFR 1306.22)"))

    def max_refills(self, schedule: str) -> int | None:
        """Most refills allowed for a schedule, or None when there is no cap."""
        return {
            "2": self.max_refills_c2,
            "3": self.max_refills_c3,
            "4": self.max_refills_c4,
            "5": self.max_refills_c5,
        }[schedule]


@dataclass(frozen=True, kw_only=True)
class CheckSettings:
    """The pharmacy's settings for the safety checks (federal or common-practice defaults)."""

    controlled: ControlledLimits = field(default_factory=ControlledLimits)
    days_valid: int = 365  # non-controlled: commonly 1 year from the date written
    refill_due_fraction: Decimal = Decimal("0.75")  # share of the days supply used
    quantity_tolerance: Decimal = Decimal("0.10")  # quantity vs directions x days supply


def plain_date(day: date) -> str:
    """A date no one misreads, whatever their habit: "Jul 15, 2024"."""
    return f"{day:%b} {day.day}, {day.year}"


def plain_number(value: Decimal | int) -> str:
    """A quantity without trailing zeros: 20, 2.5."""
    return format(Decimal(value).normalize(), "f")


def in_words(*sentences: str) -> str:
    """Join sentences into one message."""
    return " ".join(sentences)
