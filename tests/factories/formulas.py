"""Master formulas (catalog) for compounding tests."""

from decimal import Decimal

from portal.catalog.formulas.models import Formula, FormulaIngredient, FormulaQualityCheck
from portal.foundation.db import write_transaction
from tests.factories.auth import make_user
from tests.factories.catalog import make_ingredient

__all__ = ["make_formula"]


def make_formula(lines=None, approved_by=None, checks=None, **fields) -> Formula:
    """A formula; lines are (item, amount, unit, is_active[, salt_factor]) tuples (default: a 2.5%
    hydrocortisone cream per 100 g). approved_by: a pharmacist approves it; True makes one."""
    values = {
        "name": "Hydrocortisone",
        "strength": "2.5%",
        "dosage_form": "cream",
        "route": "topical",
        "basis_quantity": Decimal(100),
        "basis_unit": "g",
        "preparation_type": "aqueous",
        "preserved": False,
        "container": "Tight, light-resistant ointment jar",
        "equipment": "Class III balance\nOintment slab and spatula",
        "method": "Weigh each ingredient.\nLevigate the powder with a little base.\n"
        "Incorporate the rest of the base by geometric dilution.",
        "description": "Smooth white cream, no grit",
    }
    values.update(fields)
    with write_transaction():
        creator = make_user(roles=("technician",))
        formula = Formula.start(creator, **values)
        if lines is None:
            lines = [
                (make_ingredient(name=f"Hydrocortisone USP {formula.id}", potency=Decimal(1)),
                 Decimal("2.5"), "g", True),
                (make_ingredient(name=f"Cold cream base {formula.id}", potency=Decimal(1)),
                 Decimal("97.5"), "g", False),
            ]  # fmt: skip
        for position, (item, amount, unit, active, *salt) in enumerate(lines):
            kind = "ingredient" if item.kind == "ingredient" else "product"
            FormulaIngredient.create(
                formula=formula,
                position=position,
                amount=Decimal(amount),
                unit=unit,
                is_active=active,
                salt_factor=salt[0] if salt else None,
                **{kind: item},
            )
        for position, check in enumerate(
            checks
            if checks is not None
            else [
                {"kind": "final_weight", "name": "Final weight", "tolerance_percent": Decimal(5)},
                {"kind": "appearance", "name": "Appearance", "expected": "Smooth, white, no grit"},
            ]
        ):
            FormulaQualityCheck.create(formula=formula, position=position, **check)
        if approved_by is True:
            approved_by = make_user(roles=("pharmacist",))
        if approved_by is not None:
            formula.approve(approved_by)
    return formula
