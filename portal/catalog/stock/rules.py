"""Inventory rules: units, schedules, allergen classes and stock movement reasons.

Pure functions on plain values (no Flask, no database), shared by the models, the forms
and the CSV import.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from portal.foundation.i18n import N_

# Units stock is counted in: NCPDP quantity units EA, ML, GM.
UNITS: tuple[tuple[str, str], ...] = (("each", "each"), ("g", "g"), ("mL", "mL"))
_UNIT_SPELLINGS = {
    "each": "each", "ea": "each", "tab": "each", "tablet": "each", "tablets": "each",
    "cap": "each", "capsule": "each", "capsules": "each", "unit": "each", "units": "each",
    "g": "g", "gm": "g", "gram": "g", "grams": "g",
    "ml": "mL", "milliliter": "mL", "milliliters": "mL", "millilitre": "mL",
}  # fmt: skip

# DEA schedules a catalog item can carry ("2".."5"; C-I substances have no accepted medical use).
SCHEDULES: tuple[tuple[str, str], ...] = (
    ("2", "C-II"),
    ("3", "C-III"),
    ("4", "C-IV"),
    ("5", "C-V"),
)
SCHEDULE_LABELS = dict(SCHEDULES)
_ROMAN = {"II": "2", "III": "3", "IV": "4", "V": "5", "I": "1"}

# Why stock moves, how it reads, and its sign: +1 adds stock, -1 takes it, 0 either way.
REASONS: dict[str, tuple[str, int]] = {
    "received": (N_("Received"), +1),
    "returned": (N_("Returned to stock"), +1),  # e.g. a fill never picked up, back on the shelf
    "dispensed": (N_("Dispensed"), -1),
    "compounded": (N_("Used in compounding"), -1),
    "expired": (N_("Removed as expired"), -1),
    "destroyed": (N_("Destroyed"), -1),
    "adjusted": (N_("Count adjusted"), 0),
}
# A person must say why: counts that do not match, and stock destroyed.
NOTE_REQUIRED = frozenset({"adjusted", "destroyed"})

QUANTITY_PLACES = Decimal("0.0001")


def unit_of(text: str) -> str:
    """The stock unit for a typed unit ("GM", "tablet", "mL"); ValueError when unknown."""
    key = (text or "").strip().lower().rstrip(".")
    if key not in _UNIT_SPELLINGS:
        raise ValueError(f"{text.strip()[:20]!r} is not a stock unit (each, g or mL)")
    return _UNIT_SPELLINGS[key]


def parse_schedule(text: str | None) -> str | None:
    """DEA schedule from "CII", "C-II", "II", "2" or "C2" -> "2"; blank -> None (not controlled).

    Raises ValueError for C-I (no accepted medical use) and anything unreadable.
    """
    raw = (text or "").strip().upper()
    if raw in ("", "NONE", "N/A", "NA", "0", "RX", "OTC"):
        return None
    compact = re.sub(r"[\s.-]", "", raw)
    if compact.startswith("C") and compact[1:]:
        compact = compact[1:]
    compact = compact.removesuffix("N")  # "CIIN": the schedule is still II
    schedule = _ROMAN.get(compact, compact)
    if schedule == "1":
        raise ValueError(N_("C-I substances cannot be stocked or dispensed"))
    if schedule not in SCHEDULE_LABELS:
        raise ValueError(f"{text.strip()[:20]!r} is not C-II, C-III, C-IV or C-V")
    return schedule


def schedule_label(schedule: str | None) -> str:
    return SCHEDULE_LABELS.get(schedule or "", "")


def parse_allergen_classes(text: str | None) -> tuple[str, ...]:
    """Allergen classes typed as "Sulfonamides; NSAIDs, parabens" -> a sorted tuple.

    The case typed is kept ("NSAIDs", "ACE inhibitors"); a class typed twice in different
    cases is kept once, as first typed.
    """
    classes: dict[str, str] = {}
    for part in re.split(r"[,;|\n]+", text or ""):
        name = re.sub(r"\s+", " ", part).strip()
        if name:
            classes.setdefault(name.lower(), name)
    return tuple(sorted(classes.values(), key=str.lower))


def allergen_classes_text(classes) -> str:
    """Stored form of allergen classes: "NSAIDs, parabens"."""
    return ", ".join(parse_allergen_classes(",".join(classes)))


def parse_decimal(text: str | None, what: str = "", *, minimum=None, places: int = 4) -> Decimal:
    """A number typed by a person or in a CSV ("1,250.50", "$12.40"); ValueError in words.

    ``what`` starts the message ("the package size 'abc' is not a number"); without it the
    message starts with the typed text, for callers that name the column themselves.
    """
    raw = (text or "").strip().replace(",", "").removeprefix("$").strip()
    subject = f"{what} " if what else ""
    shown = f"{subject}{(text or '').strip()[:30]!r}"
    if not raw:
        raise ValueError(f"{subject}is missing".strip())
    try:
        value = Decimal(raw)
    except InvalidOperation:
        raise ValueError(f"{shown} is not a number")
    if not value.is_finite():
        raise ValueError(f"{shown} is not a number")
    if minimum is not None and value < minimum:
        raise ValueError(f"{subject}cannot be less than {minimum}")
    exponent = value.as_tuple().exponent
    if isinstance(exponent, int) and -exponent > places:
        raise ValueError(f"{subject}has more than {places} decimal places")
    if abs(value) >= Decimal(10) ** 9:
        raise ValueError(f"{shown} is too large")
    return value


def signed_delta(reason: str, quantity: Decimal) -> Decimal:
    """The change to the quantity on hand for a movement of ``quantity`` for ``reason``.

    Received/returned add, dispensed/compounded/expired/destroyed take away; an
    adjustment keeps the sign it was given.
    """
    if reason not in REASONS:
        raise ValueError(f"unknown stock movement reason {reason!r}")
    sign = REASONS[reason][1]
    if sign == 0:
        return quantity
    return abs(quantity) * sign


def plain_quantity(quantity: Decimal, unit: str) -> str:
    """40 g, 2.5 mL, 1,000 each: no trailing zeros, the unit always said."""
    text = format(Decimal(quantity).normalize(), ",f")
    return f"{text} {unit}".strip()


def reason_label(reason: str) -> str:
    return REASONS.get(reason, (reason, 0))[0]
