"""The compounding math in one import. Each calculation returns its result with
the working shown step by step; everything is Decimal, never float.

The functions live in small modules by topic:
  working    Working (result, unit, steps), Decimal coercion and rounding
  units      mass/volume conversion, grains and pounds
  strength   percent (w/w, w/v, v/v) and ratio strength
  dilution   C1 × Q1 = C2 × Q2 and alligation alternate
  formula    scaling a master formula, potency and salt-to-base corrections
  dosing     mg/kg doses
  weighing   deviation of a measured amount and the tolerance check
"""

from portal.compounding.calculations.dilution import Alligation, alligation, solve_dilution
from portal.compounding.calculations.dosing import (
    PER_DAY,
    PER_DOSE,
    WeightBasedDose,
    weight_based_dose,
)
from portal.compounding.calculations.scaling import (
    FormulaIngredient,
    ScaledFormula,
    ScaledIngredient,
    base_in_salt,
    potency_corrected,
    salt_for_base,
    scale_formula,
)
from portal.compounding.calculations.strength import (
    PERCENT_KINDS,
    active_for_percent,
    active_for_ratio,
    parse_ratio,
    percent_strength,
    percent_to_ratio,
    ratio_to_percent,
)
from portal.compounding.calculations.units import (
    GRAIN_IN_MG,
    POUND_IN_KG,
    canonical_unit,
    convert,
    dimension,
    in_unit,
)
from portal.compounding.calculations.working import Working, round_half_up, show, to_decimal
from portal.compounding.records.weighing import (
    DEFAULT_TOLERANCE_PERCENT,
    deviation,
    within_tolerance,
)

__all__ = [
    "DEFAULT_TOLERANCE_PERCENT",
    "GRAIN_IN_MG",
    "PERCENT_KINDS",
    "PER_DAY",
    "PER_DOSE",
    "POUND_IN_KG",
    "Alligation",
    "FormulaIngredient",
    "ScaledFormula",
    "ScaledIngredient",
    "WeightBasedDose",
    "Working",
    "active_for_percent",
    "active_for_ratio",
    "alligation",
    "base_in_salt",
    "canonical_unit",
    "convert",
    "deviation",
    "dimension",
    "in_unit",
    "parse_ratio",
    "percent_strength",
    "percent_to_ratio",
    "potency_corrected",
    "ratio_to_percent",
    "round_half_up",
    "salt_for_base",
    "scale_formula",
    "show",
    "solve_dilution",
    "to_decimal",
    "weight_based_dose",
    "within_tolerance",
]
