"""Diluting and mixing strengths: C1 × Q1 = C2 × Q2, and alligation alternate."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from portal.compounding.calculations.units import canonical_unit
from portal.compounding.calculations.working import Number, Working, not_negative, positive, show
from portal.foundation.i18n import N_

_DILUTION_TERMS = ("initial_strength", "initial_quantity", "final_strength", "final_quantity")


def solve_dilution(
    *,
    initial_strength: Number | None = None,
    initial_quantity: Number | None = None,
    final_strength: Number | None = None,
    final_quantity: Number | None = None,
    quantity_unit: str = "mL",
    strength_unit: str = "%",
) -> Working:
    """Solve C1 × Q1 = C2 × Q2 for the one term left as None.

    Diluting 100 mL of 20% to 5% gives 400 mL (add 300 mL of diluent). Only a
    dilution is allowed: a final strength above the initial one cannot be made
    by adding diluent and is refused (use alligation with a stronger stock).
    """
    given = dict(
        zip(
            _DILUTION_TERMS,
            (initial_strength, initial_quantity, final_strength, final_quantity),
            strict=True,
        )
    )
    unknown = [term for term, value in given.items() if value is None]
    if len(unknown) != 1:
        raise ValueError(
            N_(
                "give exactly three of initial strength, initial quantity, final strength and "
                "final quantity, leaving the one to solve for as None"
            )
        )
    unit = canonical_unit(quantity_unit)
    known = {
        term: positive(value, term.replace("_", " "))
        for term, value in given.items()
        if value is not None
    }
    c1, q1 = known.get("initial_strength"), known.get("initial_quantity")
    c2, q2 = known.get("final_strength"), known.get("final_quantity")
    if c1 is None:
        c1 = result = c2 * q2 / q1
        solved = f"C1 = {show(c2)} × {show(q2)} ÷ {show(q1)} = {_strength(c1, strength_unit)}"
    elif q1 is None:
        q1 = result = c2 * q2 / c1
        solved = f"Q1 = {show(c2)} × {show(q2)} ÷ {show(c1)} = {show(q1)} {unit}"
    elif c2 is None:
        c2 = result = c1 * q1 / q2
        solved = f"C2 = {show(c1)} × {show(q1)} ÷ {show(q2)} = {_strength(c2, strength_unit)}"
    else:
        q2 = result = c1 * q1 / c2
        solved = f"Q2 = {show(c1)} × {show(q1)} ÷ {show(c2)} = {show(q2)} {unit}"
    if c2 > c1:
        raise ValueError(
            f"a final strength of {_strength(c2, strength_unit)} is stronger than the initial "
            f"{_strength(c1, strength_unit)}: adding diluent cannot strengthen a preparation"
        )
    steps = (
        "C1 × Q1 = C2 × Q2",
        solved,
        f"diluent to add: {show(q2)} {unit} − {show(q1)} {unit} = {show(q2 - q1)} {unit}",
    )
    result_unit = strength_unit if unknown[0].endswith("strength") else unit
    return Working(result, result_unit, steps)


def _strength(value: Decimal, unit: str) -> str:
    return f"{show(value)}%" if unit == "%" else f"{show(value)} {unit}"


@dataclass(frozen=True)
class Alligation:
    """Parts (and, for a total, quantities) of a higher and a lower strength to mix."""

    higher_strength: Decimal
    lower_strength: Decimal
    desired_strength: Decimal
    higher_parts: Decimal
    lower_parts: Decimal
    total_quantity: Decimal | None
    higher_quantity: Decimal | None
    lower_quantity: Decimal | None
    unit: str
    steps: tuple[str, ...]


def alligation(
    higher_strength: Number,
    lower_strength: Number,
    desired_strength: Number,
    *,
    total_quantity: Number | None = None,
    quantity_unit: str = "mL",
) -> Alligation:
    """Alligation alternate: how to mix a higher and a lower strength to the desired one.

    95% and 5% alcohol make 70% in 65 parts of 95% to 25 parts of 5%. The lower
    strength may be 0 (a diluent). The desired strength must lie strictly
    between the two; anything else cannot be made by mixing them.
    """
    higher = positive(higher_strength, "higher strength")
    lower = not_negative(lower_strength, "lower strength")
    desired = positive(desired_strength, "desired strength")
    if lower >= higher:
        raise ValueError(
            f"the higher strength {show(higher)}% must be above the lower {show(lower)}%"
        )
    if not lower < desired < higher:
        raise ValueError(
            f"{show(desired)}% cannot be made by mixing {show(higher)}% and {show(lower)}%: "
            "the desired strength must lie strictly between them"
        )
    unit = canonical_unit(quantity_unit)
    higher_parts, lower_parts = desired - lower, higher - desired
    total_parts = higher_parts + lower_parts
    steps = [
        f"parts of {show(higher)}%: {show(desired)} − {show(lower)} = {show(higher_parts)}",
        f"parts of {show(lower)}%: {show(higher)} − {show(desired)} = {show(lower_parts)}",
        f"total parts: {show(higher_parts)} + {show(lower_parts)} = {show(total_parts)}",
    ]
    total = higher_quantity = lower_quantity = None
    if total_quantity is not None:
        total = positive(total_quantity, "total quantity")
        higher_quantity = total * higher_parts / total_parts
        # The lower quantity is the remainder, so the two always add up to the total.
        lower_quantity = total - higher_quantity
        steps += [
            f"{show(higher)}%: {show(total)} {unit} × {show(higher_parts)} ÷ {show(total_parts)}"
            f" = {show(higher_quantity)} {unit}",
            f"{show(lower)}%: {show(total)} {unit} − {show(higher_quantity)} {unit}"
            f" = {show(lower_quantity)} {unit}",
        ]
    return Alligation(
        higher_strength=higher,
        lower_strength=lower,
        desired_strength=desired,
        higher_parts=higher_parts,
        lower_parts=lower_parts,
        total_quantity=total,
        higher_quantity=higher_quantity,
        lower_quantity=lower_quantity,
        unit=unit,
        steps=tuple(steps),
    )
