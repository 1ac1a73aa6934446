"""Units for compounding: mass (kg, g, mg, mcg, grains, pounds), volume (L, mL) and
count ("each": capsules, tablets, empty capsule shells).

The grain is the apothecary (troy) grain, exactly 64.79891 mg by the 1959
international yard and pound agreement. Clinical shorthand rounds it to 65 mg
(aspirin "5 gr" = 325 mg) and some thyroid labels to 60 mg; we use the exact
value, so a step shows 5 gr = 323.99455 mg and the pharmacist rounds knowingly.
The pound is the avoirdupois pound, exactly 0.45359237 kg (not the 2.2 lb/kg
textbook shortcut).
"""

from __future__ import annotations

from decimal import Decimal

from portal.compounding.calculations.working import Number, Working, show, to_decimal

MASS = "mass"
VOLUME = "volume"
COUNT = "count"

GRAIN_IN_MG = Decimal("64.79891")
POUND_IN_KG = Decimal("0.45359237")

# Each unit as (dimension, size in the dimension's base unit: mg or mL).
_UNITS: dict[str, tuple[str, Decimal]] = {
    "kg": (MASS, Decimal(1_000_000)),
    "g": (MASS, Decimal(1000)),
    "mg": (MASS, Decimal(1)),
    "mcg": (MASS, Decimal("0.001")),
    "gr": (MASS, GRAIN_IN_MG),
    "lb": (MASS, POUND_IN_KG * 1_000_000),
    "L": (VOLUME, Decimal(1000)),
    "mL": (VOLUME, Decimal(1)),
    # A capsule formula is made per N capsules and lists its shells by count.
    "each": (COUNT, Decimal(1)),
}

_ALIASES = {
    "µg": "mcg",
    "μg": "mcg",
    "ug": "mcg",
    "grain": "gr",
    "grains": "gr",
    "lbs": "lb",
    "ml": "mL",
    "l": "L",
    "ea": "each",
    "caps": "each",
    "capsules": "each",
    "tablets": "each",
}


def canonical_unit(unit: str) -> str:
    """The unit as Mortar spells it ("ml" -> "mL", "ug" -> "mcg"); ValueError if unknown."""
    name = unit.strip()
    if name in _UNITS:
        return name
    lowered = name.lower()
    if lowered in _UNITS:
        return lowered
    if lowered in _ALIASES:
        return _ALIASES[lowered]
    raise ValueError(f"unknown unit {unit!r}: expected one of {', '.join(_UNITS)}")


def dimension(unit: str) -> str:
    """ "mass" or "volume"."""
    return _UNITS[canonical_unit(unit)][0]


def convert(amount: Number, from_unit: str, to_unit: str) -> Working:
    """Convert an amount between units of the same dimension, showing the factor used."""
    value = to_decimal(amount, "amount")
    source, target = canonical_unit(from_unit), canonical_unit(to_unit)
    source_dimension, source_size = _UNITS[source]
    target_dimension, target_size = _UNITS[target]
    if COUNT in (source_dimension, target_dimension) and source_dimension != target_dimension:
        raise ValueError(
            f"cannot convert {source} to {target}: a count is not a {MASS} or {VOLUME}"
        )
    if source_dimension != target_dimension:
        raise ValueError(
            f"cannot convert {source} ({source_dimension}) to {target} ({target_dimension}) "
            "without a density"
        )
    if source == target:
        return Working(value, target, (f"{show(value)} {source} is already in {target}",))
    factor = source_size / target_size
    result = value * source_size / target_size
    return Working(
        result,
        target,
        (
            f"1 {source} = {_exact(factor)} {target}",
            f"{show(value)} {source} × {_exact(factor)} = {show(result)} {target}",
        ),
    )


def in_unit(amount: Number, from_unit: str, to_unit: str) -> Decimal:
    """The converted amount alone, for use inside other calculations."""
    return convert(amount, from_unit, to_unit).result


def _exact(factor: Decimal) -> str:
    # Conversion factors are shown in full: 0.06479891, not a rounded 0.0648.
    if len(factor.normalize().as_tuple().digits) <= 12:
        return format(factor.normalize(), "f")
    return show(factor, 8)
