"""Scaling a master formula to the quantity prescribed, with the corrections a
compounder makes before weighing: potency/purity and salt-to-base."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from portal.compounding.calculations.units import canonical_unit, convert
from portal.compounding.calculations.working import HUNDRED, Number, Working, positive, show
from portal.foundation.i18n import N_


@dataclass(frozen=True)
class FormulaIngredient:
    """One line of a master formula: an amount per batch basis (e.g. per 100 g).

    `potency_percent` is the assay/purity of the lot (98 for 98%). When the
    formula states the amount as the base but the pharmacy stocks a salt, give
    `salt_factor` (MW salt ÷ MW base) or both molecular weights.
    """

    name: str
    amount: Number
    unit: str
    potency_percent: Number = 100
    salt_factor: Number | None = None
    salt_molecular_weight: Number | None = None
    base_molecular_weight: Number | None = None


@dataclass(frozen=True)
class ScaledIngredient:
    """An ingredient scaled to the prescribed quantity: what the formula calls
    for (`scaled_amount`) and what to weigh after corrections (`amount_to_weigh`)."""

    name: str
    unit: str
    formula_amount: Decimal
    scaled_amount: Decimal
    amount_to_weigh: Decimal
    steps: tuple[str, ...]


@dataclass(frozen=True)
class ScaledFormula:
    """A formula scaled from its batch basis to the prescribed quantity."""

    basis_quantity: Decimal
    prescribed_quantity: Decimal  # in the basis unit
    unit: str
    factor: Decimal
    ingredients: tuple[ScaledIngredient, ...]
    steps: tuple[str, ...]


def scale_formula(
    ingredients: Iterable[FormulaIngredient],
    *,
    basis_quantity: Number,
    basis_unit: str,
    prescribed_quantity: Number,
    prescribed_unit: str | None = None,
) -> ScaledFormula:
    """Scale each ingredient by prescribed ÷ basis, then correct it for salt and potency.

    A formula per 100 g scaled to 60 g multiplies every amount by 0.6. The
    prescribed quantity may be in another unit of the same dimension (0.5 kg).
    """
    unit = canonical_unit(basis_unit)
    basis = positive(basis_quantity, "batch basis quantity")
    prescribed = positive(prescribed_quantity, "prescribed quantity")
    steps: list[str] = []
    if prescribed_unit is not None and canonical_unit(prescribed_unit) != unit:
        converted = convert(prescribed, prescribed_unit, unit)
        prescribed = converted.result
        steps += converted.steps
    factor = prescribed / basis
    steps.append(f"factor: {show(prescribed)} {unit} ÷ {show(basis)} {unit} = {show(factor)}")
    scaled = tuple(_scale_ingredient(item, prescribed, basis) for item in ingredients)
    if not scaled:
        raise ValueError(N_("a formula needs at least one ingredient to scale"))
    return ScaledFormula(basis, prescribed, unit, factor, scaled, tuple(steps))


def _scale_ingredient(
    item: FormulaIngredient, prescribed: Decimal, basis: Decimal
) -> ScaledIngredient:
    unit = canonical_unit(item.unit)
    amount = positive(item.amount, f"amount of {item.name}")
    # Multiply before dividing, so exact inputs stay exact as long as possible.
    scaled = amount * prescribed / basis
    steps = [
        f"{item.name}: {show(amount)} {unit} × {show(prescribed)} ÷ {show(basis)}"
        f" = {show(scaled)} {unit}"
    ]
    to_weigh = scaled
    if _has_salt(item):
        salt = salt_for_base(
            to_weigh,
            factor=item.salt_factor,
            salt_molecular_weight=item.salt_molecular_weight,
            base_molecular_weight=item.base_molecular_weight,
            unit=unit,
        )
        to_weigh = salt.result
        steps += salt.steps
    if positive(item.potency_percent, f"potency of {item.name}") != HUNDRED:
        corrected = potency_corrected(to_weigh, item.potency_percent, unit=unit)
        to_weigh = corrected.result
        steps += corrected.steps
    return ScaledIngredient(item.name, unit, amount, scaled, to_weigh, tuple(steps))


def _has_salt(item: FormulaIngredient) -> bool:
    return any(
        value is not None
        for value in (item.salt_factor, item.salt_molecular_weight, item.base_molecular_weight)
    )


def potency_corrected(
    required_amount: Number, potency_percent: Number, *, unit: str = "g"
) -> Working:
    """Amount to weigh of an ingredient less than 100% pure: required ÷ potency.

    10 g of active from a 98% pure powder needs 10 ÷ 0.98 = 10.2041 g. A potency
    above 100% is refused rather than used to weigh less than the formula says.
    """
    required = positive(required_amount, "required amount")
    potency = positive(potency_percent, "potency percent")
    if potency > HUNDRED:
        raise ValueError(
            f"a potency of {show(potency)}% is above 100%: weigh the formula amount as written"
        )
    unit = canonical_unit(unit)
    to_weigh = required * HUNDRED / potency
    return Working(
        to_weigh,
        unit,
        (
            f"potency {show(potency)}%: {show(required)} {unit} × 100 ÷ {show(potency)}"
            f" = {show(to_weigh)} {unit}",
        ),
    )


def salt_for_base(
    base_amount: Number,
    *,
    factor: Number | None = None,
    salt_molecular_weight: Number | None = None,
    base_molecular_weight: Number | None = None,
    unit: str = "mg",
) -> Working:
    """Amount of a salt that supplies `base_amount` of the base: base × MW salt ÷ MW base.

    100 mg of base from a salt with factor 1.21 needs 121 mg of the salt.
    Give either `factor` or both molecular weights, not both.
    """
    base = positive(base_amount, "base amount")
    ratio, steps = _salt_factor(factor, salt_molecular_weight, base_molecular_weight)
    unit = canonical_unit(unit)
    salt = base * ratio
    steps.append(f"salt: {show(base)} {unit} base × {show(ratio)} = {show(salt)} {unit}")
    return Working(salt, unit, tuple(steps))


def base_in_salt(
    salt_amount: Number,
    *,
    factor: Number | None = None,
    salt_molecular_weight: Number | None = None,
    base_molecular_weight: Number | None = None,
    unit: str = "mg",
) -> Working:
    """Amount of base supplied by `salt_amount` of a salt: salt ÷ (MW salt ÷ MW base)."""
    salt = positive(salt_amount, "salt amount")
    ratio, steps = _salt_factor(factor, salt_molecular_weight, base_molecular_weight)
    unit = canonical_unit(unit)
    base = salt / ratio
    steps.append(f"base: {show(salt)} {unit} salt ÷ {show(ratio)} = {show(base)} {unit}")
    return Working(base, unit, tuple(steps))


def _salt_factor(
    factor: Number | None, salt_mw: Number | None, base_mw: Number | None
) -> tuple[Decimal, list[str]]:
    has_weights = salt_mw is not None or base_mw is not None
    if factor is not None and has_weights:
        raise ValueError(N_("give a salt factor or the molecular weights, not both"))
    if factor is not None:
        ratio = positive(factor, "salt factor")
        steps = [f"salt factor {show(ratio)} (given)"]
    elif salt_mw is not None and base_mw is not None:
        salt_weight = positive(salt_mw, "salt molecular weight")
        base_weight = positive(base_mw, "base molecular weight")
        ratio = salt_weight / base_weight
        steps = [f"salt factor: {show(salt_weight)} ÷ {show(base_weight)} = {show(ratio)}"]
    else:
        raise ValueError(N_("a salt conversion needs the salt factor or both molecular weights"))
    # A salt or hydrate always weighs more than its base; a factor below 1
    # almost always means the two molecular weights were swapped.
    if ratio < 1:
        raise ValueError(
            f"a salt factor of {show(ratio)} is below 1: the salt's molecular weight must "
            "not be less than the base's (are they swapped?)"
        )
    return ratio, steps
