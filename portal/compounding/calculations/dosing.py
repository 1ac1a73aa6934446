"""Weight-based (mg/kg) dosing for a compounded preparation."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from portal.compounding.calculations.units import MASS, canonical_unit, convert, dimension
from portal.compounding.calculations.working import Number, positive, show

PER_DOSE = "dose"
PER_DAY = "day"


@dataclass(frozen=True)
class WeightBasedDose:
    """A mg/kg dose worked out for one patient, after any maximum-dose cap."""

    weight_kg: Decimal
    dose_mg: Decimal  # each dose
    daily_mg: Decimal  # per day
    doses_per_day: int
    capped_by: str | None  # "maximum single dose" / "maximum daily dose", or None
    steps: tuple[str, ...]


def weight_based_dose(
    mg_per_kg: Number,
    weight: Number,
    *,
    weight_unit: str = "kg",
    per: str = PER_DOSE,
    doses_per_day: int = 1,
    max_dose_mg: Number | None = None,
    max_daily_mg: Number | None = None,
) -> WeightBasedDose:
    """Dose for a patient of `weight` at `mg_per_kg`, per dose (`per="dose"`) or per
    day divided into `doses_per_day` doses (`per="day"`).

    15 mg/kg for a 20 kg child is 300 mg. Pounds use the exact 0.45359237 kg/lb,
    so 44 lb is 19.958 kg and 299.37 mg, not the 2.2 lb/kg textbook 300 mg.
    A maximum single or daily dose caps the result, and `capped_by` says which.
    """
    rate = positive(mg_per_kg, "dose (mg/kg)")
    if per not in (PER_DOSE, PER_DAY):
        raise ValueError(f"per must be {PER_DOSE!r} or {PER_DAY!r}, not {per!r}")
    if isinstance(doses_per_day, bool) or not isinstance(doses_per_day, int) or doses_per_day < 1:
        raise ValueError(f"doses per day must be a whole number, at least 1, not {doses_per_day!r}")
    if dimension(weight_unit) != MASS:
        raise ValueError(f"a patient's weight cannot be in {weight_unit}")
    steps: list[str] = []
    weight_kg = positive(weight, "patient weight")
    if canonical_unit(weight_unit) != "kg":
        converted = convert(weight_kg, weight_unit, "kg")
        weight_kg = converted.result
        steps += converted.steps
    amount = rate * weight_kg
    if per == PER_DOSE:
        dose, daily = amount, amount * doses_per_day
        steps.append(f"{show(rate)} mg/kg × {show(weight_kg)} kg = {show(dose)} mg per dose")
        steps.append(f"{show(dose)} mg × {_doses(doses_per_day)} = {show(daily)} mg per day")
    else:
        daily, dose = amount, amount / doses_per_day
        steps.append(f"{show(rate)} mg/kg/day × {show(weight_kg)} kg = {show(daily)} mg per day")
        steps.append(f"{show(daily)} mg ÷ {_doses(doses_per_day)} = {show(dose)} mg per dose")
    capped_by = None
    if max_dose_mg is not None:
        limit = positive(max_dose_mg, "maximum single dose")
        if dose > limit:
            dose, daily, capped_by = limit, limit * doses_per_day, "maximum single dose"
            steps.append(
                f"capped at the maximum single dose {show(limit)} mg ({show(daily)} mg per day)"
            )
    if max_daily_mg is not None:
        limit = positive(max_daily_mg, "maximum daily dose")
        if daily > limit:
            daily, dose, capped_by = limit, limit / doses_per_day, "maximum daily dose"
            steps.append(
                f"capped at the maximum daily dose {show(limit)} mg ({show(dose)} mg per dose)"
            )
    return WeightBasedDose(weight_kg, dose, daily, doses_per_day, capped_by, tuple(steps))


def _doses(count: int) -> str:
    return "1 dose" if count == 1 else f"{count} doses"
