"""Turn a calculations-page form into a call of the compounding math and an answer to show.

Each function takes the validated form and returns an Answer: the result in a line or
two, an optional table (formula scaling), and the working step by step. The math itself
lives in portal.compounding.calculations; nothing here rounds before the last step.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from portal.compounding import calculations as calc
from portal.compounding.calculations.working import show
from portal.foundation.i18n import N_


def sentence_case(text: str) -> str:
    """First letter up, the rest as written (units such as mL keep their case)."""
    return text[:1].upper() + text[1:]


@dataclass(frozen=True)
class Answer:
    headline: tuple[str, ...]
    steps: tuple[str, ...] = ()
    table_head: tuple[str, ...] = ()
    table: tuple[tuple[str, ...], ...] = ()
    step_groups: tuple[tuple[str, tuple[str, ...]], ...] = field(default=())


def scale(form) -> Answer:
    lines = [entry.form for entry in form.lines if entry.form.name.data]
    ingredients = [
        calc.FormulaIngredient(
            name=line.name.data.strip(),
            amount=line.amount.data,
            unit=line.unit.data,
            potency_percent=line.potency.data if line.potency.data is not None else 100,
            salt_factor=line.salt_factor.data,
        )
        for line in lines
    ]
    scaled = calc.scale_formula(
        ingredients,
        basis_quantity=form.basis_quantity.data,
        basis_unit=form.basis_unit.data,
        prescribed_quantity=form.prescribed_quantity.data,
        prescribed_unit=form.prescribed_unit.data,
    )
    rows = tuple(
        (
            item.name,
            f"{show(item.formula_amount)} {item.unit}",
            f"{show(item.scaled_amount)} {item.unit}",
            f"{show(item.amount_to_weigh)} {item.unit}",
        )
        for item in scaled.ingredients
    )
    return Answer(
        headline=(
            f"Scaling factor {show(scaled.factor)}: "
            f"{show(scaled.prescribed_quantity)} {scaled.unit} from a formula for "
            f"{show(scaled.basis_quantity)} {scaled.unit}",
        ),
        steps=scaled.steps,
        table_head=(N_("Ingredient"), N_("Formula"), N_("Scaled"), N_("Weigh or measure")),
        table=rows,
        step_groups=tuple((item.name, item.steps) for item in scaled.ingredients),
    )


def percent(form) -> Answer:
    if form.find.data == "active":
        working = calc.active_for_percent(
            form.total_quantity.data,
            form.percent.data,
            form.kind.data,
            total_unit=form.total_unit.data,
        )
        return Answer((f"{working} of active",), working.steps)
    working = calc.percent_strength(
        form.active_amount.data,
        form.total_quantity.data,
        form.kind.data,
        active_unit=form.active_unit.data,
        total_unit=form.total_unit.data,
    )
    return Answer((f"{show(working.result)}% {form.kind.data}",), working.steps)


def ratio(form) -> Answer:
    if form.find.data == "percent":
        working = calc.ratio_to_percent(form.ratio.data)
        return Answer((f"{form.ratio.data.strip()} = {show(working.result)}%",), working.steps)
    if form.find.data == "ratio":
        working = calc.percent_to_ratio(form.percent.data)
        return Answer((f"{show(form.percent.data)}% = 1:{show(working.result)}",), working.steps)
    working = calc.active_for_ratio(
        form.total_quantity.data, form.ratio.data, form.kind.data, total_unit=form.total_unit.data
    )
    return Answer((f"{working} of active",), working.steps)


def dilution(form) -> Answer:
    working = calc.solve_dilution(
        initial_strength=form.initial_strength.data,
        initial_quantity=form.initial_quantity.data,
        final_strength=form.final_strength.data,
        final_quantity=form.final_quantity.data,
        quantity_unit=form.quantity_unit.data,
        strength_unit=form.strength_unit.data,
    )
    solved = next(
        getattr(form, name).label.text for name in form.TERMS if getattr(form, name).data is None
    )
    unit = working.unit
    value = f"{show(working.result)}%" if unit == "%" else f"{show(working.result)} {unit}"
    return Answer((f"{solved}: {value}", sentence_case(working.steps[-1])), working.steps)


def alligation(form) -> Answer:
    result = calc.alligation(
        form.higher_strength.data,
        form.lower_strength.data,
        form.desired_strength.data,
        total_quantity=form.total_quantity.data,
        quantity_unit=form.quantity_unit.data,
    )
    headline = [
        f"{show(result.higher_parts)} parts of {show(result.higher_strength)}% to "
        f"{show(result.lower_parts)} parts of {show(result.lower_strength)}%"
    ]
    if result.total_quantity is not None:
        headline.append(
            f"For {show(result.total_quantity)} {result.unit}: "
            f"{show(result.higher_quantity)} {result.unit} of {show(result.higher_strength)}% + "
            f"{show(result.lower_quantity)} {result.unit} of {show(result.lower_strength)}%"
        )
    return Answer(tuple(headline), result.steps)


def convert(form) -> Answer:
    working = calc.convert(form.amount.data, form.from_unit.data, form.to_unit.data)
    return Answer((f"{show(form.amount.data)} {form.from_unit.data} = {working}",), working.steps)


def dose(form) -> Answer:
    result = calc.weight_based_dose(
        form.mg_per_kg.data,
        form.weight.data,
        weight_unit=form.weight_unit.data,
        per=form.per.data,
        doses_per_day=form.doses_per_day.data,
        max_dose_mg=form.max_dose_mg.data,
        max_daily_mg=form.max_daily_mg.data,
    )
    headline = [f"{show(result.dose_mg)} mg per dose, {show(result.daily_mg)} mg per day"]
    if result.capped_by:
        headline.append(f"Capped by the {result.capped_by}.")
    return Answer(tuple(headline), result.steps)


def salt(form) -> Answer:
    options = dict(
        factor=form.factor.data,
        salt_molecular_weight=form.salt_molecular_weight.data,
        base_molecular_weight=form.base_molecular_weight.data,
        unit=form.unit.data,
    )
    if form.find.data == "salt":
        working = calc.salt_for_base(form.amount.data, **options)
        return Answer((f"Weigh {working} of the salt",), working.steps)
    working = calc.base_in_salt(form.amount.data, **options)
    return Answer((f"{working} of base",), working.steps)


def potency(form) -> Answer:
    working = calc.potency_corrected(
        form.required_amount.data, form.potency.data, unit=form.unit.data
    )
    return Answer((f"Weigh {working}",), working.steps)
