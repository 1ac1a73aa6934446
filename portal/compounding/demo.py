"""Demo compounding for `flask --app portal demo load` (a loader of portal.foundation.demo):
two approved master formulas made from the demo catalog's ingredients, and a compound
prescription waiting to be compounded, so a record can be started from its fill.

The formulas are examples for trying the portal, not validated formulations.
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from portal.auth.models import User
from portal.catalog.formulas.models import Formula, FormulaIngredient, FormulaQualityCheck
from portal.catalog.models import Ingredient
from portal.foundation.dates import local_today
from portal.patients.models import Patient
from portal.pharmacy.models import Pharmacy
from portal.prescribers.models import Prescriber
from portal.prescriptions.fills import steps
from portal.prescriptions.intake import entry
from portal.prescriptions.screening import gather

FINAL_WEIGHT = {"kind": "final_weight", "name": "Final weight", "tolerance_percent": Decimal(5)}

FORMULAS = (
    {
        "fields": {
            "name": "Hydrocortisone",
            "strength": "2.5%",
            "dosage_form": "ointment",
            "route": "topical",
            "basis_quantity": Decimal(100),
            "basis_unit": "g",
            "preparation_type": "nonaqueous",
            "container": "Tight, light-resistant ointment jar",
            "equipment": "Class III balance\nOintment slab and spatula",
            "method": "Weigh each ingredient.\nLevigate the hydrocortisone with a little "
            "petrolatum.\nIncorporate the rest of the petrolatum by geometric dilution.",
            "description": "Smooth, white, translucent ointment, no grit",
            "auxiliary_labels": "For external use only",
        },
        # ingredient name, amount, unit, active
        "lines": (("Hydrocortisone", "2.5", "g", True), ("White Petrolatum", "97.5", "g", False)),
        "checks": (
            FINAL_WEIGHT,
            {"kind": "appearance", "name": "Appearance", "expected": "Smooth, no grit"},
        ),
    },
    {
        "fields": {
            "name": "Ketoprofen / Lidocaine",
            "strength": "10% / 5%",
            "dosage_form": "transdermal cream",
            "route": "topical",
            "basis_quantity": Decimal(100),
            "basis_unit": "g",
            # A transdermal cream base is an emulsion: aqueous, 14 days unpreserved (USP <795>).
            "preparation_type": "aqueous",
            "container": "Topi-CLICK dispenser",
            "equipment": "Class III balance\nElectronic mortar and pestle",
            "method": "Weigh each ingredient.\nWet the powders with a little base.\n"
            "Add the rest of the base and mix in the electronic mortar for 2 minutes.",
            "description": "Smooth, off-white cream",
            "auxiliary_labels": "For external use only\nMay cause drowsiness",
        },
        "lines": (
            ("Ketoprofen", "10", "g", True),
            ("Lidocaine Hydrochloride", "5", "g", True),
            ("Transdermal base (Lipoderm-style)", "85", "g", False),
        ),
        "checks": (
            FINAL_WEIGHT,
            {"kind": "appearance", "name": "Appearance", "expected": "Smooth, no grit"},
        ),
    },
)


def _staff(role: str) -> User | None:
    return User.select().where(User.active & User.roles.contains(role)).order_by(User.id).first()


def _formula(spec: dict, technician: User, pharmacist: User) -> Formula | None:
    ingredients = {i.name: i for i in Ingredient.select()}
    if any(name not in ingredients for name, *_ in spec["lines"]):
        return None
    formula = Formula.start(technician, **spec["fields"])
    for position, (name, amount, unit, active) in enumerate(spec["lines"]):
        FormulaIngredient.create(
            formula=formula,
            position=position,
            ingredient=ingredients[name],
            amount=Decimal(amount),
            unit=unit,
            is_active=active,
        )
    for position, check in enumerate(spec["checks"]):
        FormulaQualityCheck.create(formula=formula, position=position, **check)
    formula.approve(pharmacist)
    return formula


def _compound_prescription(formula: Formula, technician: User, pharmacist: User) -> None:
    """A 60 g jar for a patient with no known allergies, checked and waiting to compound."""
    patient = (
        Patient.select().where(Patient.allergy_status == "nkda").order_by(Patient.id.desc()).first()
    )
    prescriber = Prescriber.select().where(Prescriber.active).order_by(Prescriber.id).first()
    if patient is None or prescriber is None:
        return
    pharmacy = Pharmacy.current()
    today = local_today(pharmacy.time_zone if pharmacy else None)
    fill = entry.receive(
        patient=patient,
        values={
            "prescriber": prescriber,
            "product": None,
            "formula": formula,
            "sig": "aaa tid prn",
            "quantity": Decimal(60),
            "quantity_unit": "g",
            "days_supply": 30,
            "refills_authorized": 2,
            "daw": "0",
            "written_on": today - timedelta(days=1),
            "origin": "fax",
            "notes": "Knee pain; apply a pea-sized amount.",
        },
        priority="today",
        user=technician,
        send=True,
    )
    steps.approve_data(fill, pharmacist, gather.checks_for(fill, today), acknowledged=True)


def load() -> str:
    if Formula.select().exists():
        return "compounding: formulas already present, none added"
    technician, pharmacist = _staff("technician"), _staff("pharmacist")
    if technician is None or pharmacist is None:
        return "compounding: no demo staff, none added"
    made = [f for f in (_formula(spec, technician, pharmacist) for spec in FORMULAS) if f]
    if len(made) > 1:
        _compound_prescription(made[1], technician, pharmacist)
    return f"compounding: {len(made)} approved master formulas, one compound to make"
