"""Writing a master formula from its form, and the formula's BUD in words.

Call apply_form inside write_transaction(): it writes the header, replaces the draft's
lines and checks, and audits the change with the lines included, so the trail shows which
ingredient amounts changed and not only the header.
"""

from __future__ import annotations

from decimal import Decimal

from flask_babel import gettext as _

from portal.audit import log as audit
from portal.catalog.formulas.models import Formula, FormulaIngredient, FormulaQualityCheck
from portal.compounding.bud import rules
from portal.compounding.calculations.working import show
from portal.compounding.formulas.forms import component_value, find_component

HEADER_FIELDS = (
    "name",
    "strength",
    "dosage_form",
    "route",
    "basis_quantity",
    "basis_unit",
    "preparation_type",
    "preserved",
    "container",
    "equipment",
    "method",
    "description",
    "storage",
    "auxiliary_labels",
    "stability_days",
    "bud_reference",
    "weighing_tolerance_percent",
    "notes",
)


NOT_TEXT_FIELDS = {"basis_quantity", "stability_days", "weighing_tolerance_percent", "preserved"}


def header_values(form) -> dict:
    values = {}
    for name in HEADER_FIELDS:
        value = getattr(form, name).data
        if name in NOT_TEXT_FIELDS:
            values[name] = value
        else:
            values[name] = (value or "").strip() if not isinstance(value, bool) else value
    return values


def full_snapshot(formula: Formula) -> dict:
    """The formula with its lines and checks, for the audit trail."""
    data = audit.snapshot(formula)
    data["lines"] = [
        f"{line.component_name}: {show(line.amount)} {line.unit}"
        + (" (active)" if line.is_active else "")
        + (f", salt factor {show(line.salt_factor)}" if line.salt_factor else "")
        for line in formula.lines()
    ]
    data["checks"] = [f"{c.name}: {c.specification}" for c in formula.quality_checks()]
    return data


def create_formula(form, user) -> Formula:
    formula = Formula.start(user, **header_values(form))
    _write_lines(formula, form)
    after = full_snapshot(formula)
    audit.record(
        "update",
        "formula",
        formula.id,
        before={"lines": [], "checks": []},
        after={"lines": after["lines"], "checks": after["checks"]},
    )
    return formula


def update_formula(formula: Formula, form) -> None:
    formula.ensure_draft()
    before = full_snapshot(formula)
    for name, value in header_values(form).items():
        setattr(formula, name, value)
    formula.save()
    FormulaIngredient.delete().where(FormulaIngredient.formula == formula).execute()
    FormulaQualityCheck.delete().where(FormulaQualityCheck.formula == formula).execute()
    _write_lines(formula, form)
    audit.record("update", "formula", formula.id, before=before, after=full_snapshot(formula))


def _write_lines(formula: Formula, form) -> None:
    position = 0
    for entry in form.lines:
        line = entry.form
        item = find_component(line.component.data)
        if item is None:
            continue
        FormulaIngredient.create(
            formula=formula,
            position=position,
            ingredient=item if item.kind == "ingredient" else None,
            product=item if item.kind == "product" else None,
            amount=line.amount.data,
            unit=line.unit.data,
            is_active=bool(line.is_active.data),
            salt_factor=line.salt_factor.data,
        )
        position += 1
    position = 0
    for entry in form.checks:
        check = entry.form
        if not check.kind.data:
            continue
        tolerance = check.tolerance_percent.data
        if check.kind.data == "final_weight" and tolerance is None:
            tolerance = Decimal(5)
        FormulaQualityCheck.create(
            formula=formula,
            position=position,
            kind=check.kind.data,
            name=(check.name.data or "").strip(),
            expected=(check.expected.data or "").strip(),
            minimum=check.minimum.data if check.kind.data == "ph" else None,
            maximum=check.maximum.data if check.kind.data == "ph" else None,
            tolerance_percent=tolerance if check.kind.data == "final_weight" else None,
        )
        position += 1


def form_data_from(formula: Formula) -> dict:
    """The form's data for editing an existing draft."""
    data = {name: getattr(formula, name) for name in HEADER_FIELDS}
    data["lines"] = [
        {
            "component": component_value(line),
            "amount": line.amount,
            "unit": line.unit,
            "is_active": line.is_active,
            "salt_factor": line.salt_factor,
        }
        for line in formula.lines()
    ]
    data["checks"] = [
        {
            "kind": check.kind,
            "name": check.name,
            "expected": check.expected,
            "minimum": check.minimum,
            "maximum": check.maximum,
            "tolerance_percent": check.tolerance_percent,
        }
        for check in formula.quality_checks()
    ]
    return data


def bud_in_words(formula: Formula, table: str) -> str:
    """What BUD the formula gets before any component expiry cuts it short."""
    if formula.stability_days:
        return _(
            "%(stability_days)s days, supported by a stability study (%(bud_reference)s); "
            "never past the earliest component expiry.",
            stability_days=formula.stability_days,
            bud_reference=formula.bud_reference,
        )
    try:
        row_days = rules.table_beyond_use_days(
            formula.preparation_type, formula.preserved, table=table, route=formula.route
        )
        storage = rules.storage_for(
            formula.preparation_type, formula.preserved, table=table, route=formula.route
        )
    except (ValueError, TypeError) as error:
        return _("Cannot be dated: %(error)s.", error=error)
    source = (
        _("USP <795> 2023 table") if table == rules.USP_2023 else _("legacy USP <795> 2014 table")
    )
    return _(
        "%(row_days)s days by the %(source)s; %(storage)s; never past the earliest "
        "component expiry.",
        row_days=row_days,
        source=source,
        storage=storage,
    )


def storage_in_words(formula: Formula, table: str) -> str:
    if formula.storage:
        return formula.storage
    try:
        storage = rules.storage_for(
            formula.preparation_type, formula.preserved, table=table, route=formula.route
        )
        return storage[:1].upper() + storage[1:]
    except (ValueError, TypeError):
        return ""
