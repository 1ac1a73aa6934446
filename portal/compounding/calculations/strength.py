"""Strength of a preparation: percent (w/w, w/v, v/v) and ratio strength.

Percent strength, as USP's General Notices define it:
  w/w  g of active in 100 g of preparation
  w/v  g of active in 100 mL of preparation
  v/v  mL of active in 100 mL of preparation
Ratio strength "1:1000" means 1 part of active in 1000 parts of the whole
preparation (not 1000 parts of diluent), in the same w/w, w/v or v/v sense.
"""

from __future__ import annotations

import re
from decimal import Decimal

from portal.compounding.calculations.units import canonical_unit, convert
from portal.compounding.calculations.working import HUNDRED, Number, Working, positive, show

# For each kind of percent: (unit of the active, unit of the whole preparation).
PERCENT_KINDS: dict[str, tuple[str, str]] = {
    "w/w": ("g", "g"),
    "w/v": ("g", "mL"),
    "v/v": ("mL", "mL"),
}

_RATIO = re.compile(r"^\s*([0-9]*\.?[0-9]+)\s*(?::|in)\s*([0-9]*\.?[0-9]+)\s*$", re.IGNORECASE)


def active_for_percent(
    total_quantity: Number, percent: Number, kind: str, *, total_unit: str | None = None
) -> Working:
    """Amount of active in `total_quantity` of a `percent` `kind` preparation.

    60 g of a 2.5% w/w cream holds 1.5 g of active. The total is in g (w/w) or
    mL (w/v, v/v) unless `total_unit` says otherwise; the result is in g or mL.
    """
    active_unit, whole_unit = _percent_kind(kind)
    strength = _percent(percent, kind)
    total, steps = _in_unit(total_quantity, total_unit, whole_unit, "total quantity")
    amount = total * strength / HUNDRED
    steps += [
        f"{show(strength)}% {kind} means {show(strength)} {active_unit} in 100 {whole_unit}",
        f"{show(total)} {whole_unit} × {show(strength)} ÷ 100 = {show(amount)} {active_unit}",
    ]
    return Working(amount, active_unit, tuple(steps))


def percent_strength(
    active_amount: Number,
    total_quantity: Number,
    kind: str,
    *,
    active_unit: str | None = None,
    total_unit: str | None = None,
) -> Working:
    """Percent strength of `active_amount` in `total_quantity` (1.5 g in 60 g is 2.5% w/w)."""
    active_base, whole_unit = _percent_kind(kind)
    active, steps = _in_unit(active_amount, active_unit, active_base, "active amount")
    total, total_steps = _in_unit(total_quantity, total_unit, whole_unit, "total quantity")
    steps += total_steps
    strength = active / total * HUNDRED
    steps.append(
        f"{show(active)} {active_base} ÷ {show(total)} {whole_unit} × 100"
        f" = {show(strength)}% {kind}"
    )
    _percent(strength, kind)
    return Working(strength, "%", tuple(steps))


def parse_ratio(ratio: str) -> tuple[Decimal, Decimal]:
    """Split "1:2500" (or "1 in 2500") into (1, 2500): parts of active, parts of the whole."""
    match = _RATIO.match(ratio)
    if match is None:
        raise ValueError(f"ratio strength should look like 1:1000, not {ratio!r}")
    part = positive(match.group(1), "ratio part")
    whole = positive(match.group(2), "ratio whole")
    return part, whole


def ratio_to_percent(ratio: str) -> Working:
    """Percent from a ratio strength: 1:2500 is 0.04%."""
    part, whole = parse_ratio(ratio)
    strength = part / whole * HUNDRED
    return Working(
        strength,
        "%",
        (
            f"{show(part)}:{show(whole)} means {show(part)} part in {show(whole)} parts",
            f"{show(part)} ÷ {show(whole)} × 100 = {show(strength)}%",
        ),
    )


def percent_to_ratio(percent: Number) -> Working:
    """Ratio strength from a percent: 0.1% is 1:1000. The result is the X of 1:X."""
    strength = positive(percent, "percent")
    whole = HUNDRED / strength
    return Working(
        whole,
        "1:X",
        (
            f"{show(strength)}% means {show(strength)} parts in 100",
            f"100 ÷ {show(strength)} = {show(whole)}, so 1:{show(whole)}",
        ),
    )


def active_for_ratio(
    total_quantity: Number, ratio: str, kind: str, *, total_unit: str | None = None
) -> Working:
    """Amount of active in `total_quantity` of a `ratio` strength (500 mL of 1:1000 w/v: 0.5 g)."""
    active_unit, whole_unit = _percent_kind(kind)
    part, whole = parse_ratio(ratio)
    if kind != "w/v" and part > whole:
        raise ValueError(f"a {kind} ratio cannot have more active than the whole: {ratio}")
    total, steps = _in_unit(total_quantity, total_unit, whole_unit, "total quantity")
    amount = total * part / whole
    steps += [
        f"{show(part)}:{show(whole)} {kind} means {show(part)} {active_unit} "
        f"in {show(whole)} {whole_unit}",
        f"{show(total)} {whole_unit} × {show(part)} ÷ {show(whole)} = {show(amount)} {active_unit}",
    ]
    return Working(amount, active_unit, tuple(steps))


def _percent_kind(kind: str) -> tuple[str, str]:
    if kind not in PERCENT_KINDS:
        expected = ", ".join(PERCENT_KINDS)
        raise ValueError(f"unknown percent kind {kind!r}: expected one of {expected}")
    return PERCENT_KINDS[kind]


def _percent(percent: Number, kind: str) -> Decimal:
    strength = positive(percent, "percent")
    # w/v can pass 100% (more than 1 g per mL); w/w and v/v cannot.
    if kind != "w/v" and strength > HUNDRED:
        raise ValueError(f"a {kind} strength cannot exceed 100%, not {show(strength)}%")
    return strength


def _in_unit(
    quantity: Number, unit: str | None, wanted: str, what: str
) -> tuple[Decimal, list[str]]:
    value = positive(quantity, what)
    if unit is None or canonical_unit(unit) == wanted:
        return value, []
    converted = convert(value, unit, wanted)
    return converted.result, list(converted.steps)
