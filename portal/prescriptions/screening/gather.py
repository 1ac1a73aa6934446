"""From database rows to the plain facts the safety checks read (facts.py), and back.

`drug_facts(prescription)` is the seam for compounded preparations: when the compounding
area's `formula` is set on a prescription, the formula's every ingredient line is read
(bulk ingredients, and the active ingredients of any manufactured product in it), so a
patient's allergy to any component is caught.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

from peewee import JOIN

from portal.catalog.knowledge import models as knowledge_models
from portal.catalog.models import Ingredient, Product
from portal.foundation.i18n import N_
from portal.patients.models import OtherMedication
from portal.prescriptions import settings as rx_settings
from portal.prescriptions.controlled import origin
from portal.prescriptions.fills.models import Fill
from portal.prescriptions.fills.workflow import OPEN_STATES, FillStatus
from portal.prescriptions.models import Prescription
from portal.prescriptions.screening import rules
from portal.prescriptions.screening.facts import (
    CheckResult,
    DrugFacts,
    FillFacts,
    IngredientFacts,
    OtherFill,
    PatientAllergy,
    PatientFacts,
    PrescriberFacts,
    PreviousFill,
    RxFacts,
)

# Fills of these states have been made up (dispensed or about to be).
DISPENSED_STATES = (FillStatus.FINAL_VERIFY, FillStatus.READY, FillStatus.PICKED_UP)
# Longest days supply looked back over for "still taking it" (duplicate therapy).
LOOKBACK_DAYS = 400


def ingredient_facts(ingredient: Ingredient) -> IngredientFacts:
    return IngredientFacts(
        name=ingredient.name,
        allergen_classes=ingredient.allergen_class_tuple,
        schedule=ingredient.schedule or None,
    )


def product_facts(product: Product, ingredients: list[Ingredient] | None = None) -> DrugFacts:
    """A manufactured product: its active ingredients and schedule; keyed by NDC."""
    found = product.active_ingredients() if ingredients is None else ingredients
    return DrugFacts(
        name=product.description,
        ingredients=tuple(ingredient_facts(i) for i in found),
        schedule=product.schedule or None,
        is_compound=False,
        product_key=product.ndc,
        dosage_form=product.dosage_form or "",
    )


def formula_facts(formula) -> DrugFacts:
    """A master formula (catalog Formula): EVERY component counts, active or not, and the
    active ingredients of any manufactured product used in it (Formula.allergen_ingredients).
    """
    components = tuple(
        IngredientFacts(name=name, allergen_classes=classes, schedule=schedule or None)
        for name, classes, schedule in formula.allergen_ingredients()
    )
    return DrugFacts(
        name=formula.title,
        ingredients=components,
        is_compound=True,
        product_key=f"formula:{formula.family_id or formula.id}",
    )


def drug_facts(prescription: Prescription) -> DrugFacts | None:
    """What the prescription dispenses, product or formula; None before one is chosen."""
    if prescription.is_compound:
        return formula_facts(prescription.formula)
    if prescription.product_id:
        return product_facts(prescription.product)
    return None


def patient_facts(patient) -> PatientFacts:
    return PatientFacts(
        allergy_status=patient.allergy_status,
        allergies=tuple(
            PatientAllergy(
                allergen=a.allergen,
                kind=a.kind if a.kind in ("ingredient", "class", "text") else "text",
                reaction=a.reaction,
                severity="" if a.severity == "unknown" else a.severity,
            )
            for a in patient.allergies
        ),
    )


def prescriber_facts(prescriber) -> PrescriberFacts:
    if prescriber is None:
        return PrescriberFacts()
    return PrescriberFacts(
        name=prescriber.display_name,
        last_name=prescriber.last_name,
        dea=prescriber.dea,
        dea_schedules=prescriber.dea_schedule_set,
    )


def rx_facts(prescription: Prescription, fill: Fill) -> RxFacts:
    return RxFacts(
        rx_number=str(prescription.rx_number),
        written_on=prescription.written_on,
        refills_authorized=prescription.refills_authorized,
        quantity=fill.quantity,
        days_supply=fill.days_supply,
        directions=prescription.sig,
        quantity_unit=prescription.quantity_unit,
        schedule=prescription.schedule or None,
        prescriber_id=prescription.prescriber_id,
    )


def _same_drug(prescription: Prescription):
    """Condition on Prescription for "the same product or formula"."""
    if prescription.is_compound:
        return Prescription.formula == prescription.formula_id
    return Prescription.product == prescription.product_id


def previous_fill(fill: Fill, prescription: Prescription) -> PreviousFill | None:
    """The patient's latest made-up fill of the same drug, on this Rx or another.

    The remainder of a partial fill continues that fill's supply, so neither the partial
    nor its other remainders count as the fill before it (21 CFR 1306.13, 1306.23)."""
    if not prescription.product_id and not prescription.is_compound:
        return None
    same_supply = Fill.id == fill.id
    if fill.remainder_of_id:
        same_supply |= (Fill.id == fill.remainder_of_id) | (
            Fill.remainder_of == fill.remainder_of_id
        )
    row = (
        Fill.select(Fill.filled_on, Fill.days_supply, Prescription.rx_number)
        .join(Prescription)
        .where(
            (Fill.patient == fill.patient_id)
            & ~same_supply
            & Fill.status.in_(DISPENSED_STATES)
            & Fill.filled_on.is_null(False)
            & _same_drug(prescription)
        )
        .order_by(Fill.filled_on.desc(), Fill.id.desc())
        .objects()
        .first()
    )
    if row is None:
        return None
    return PreviousFill(
        filled_on=row.filled_on, days_supply=row.days_supply, rx_number=str(row.rx_number)
    )


def other_fills(fill: Fill, today: date, grace_days: int = 0) -> list[OtherFill]:
    """The patient's other fills in progress, or made up and whose supply (plus the grace
    days) has not run out."""
    rows = list(
        # Each fill's product in the same query (read one by one it was a query a fill).
        Fill.select(Fill, Prescription, Product)
        .join(Prescription)
        .join(Product, JOIN.LEFT_OUTER, on=(Prescription.product == Product.id))
        .where(
            (Fill.patient == fill.patient_id)
            & (Fill.prescription != fill.prescription_id)
            & (
                Fill.status.in_(tuple(OPEN_STATES))
                | (
                    Fill.status.in_(DISPENSED_STATES)
                    & (Fill.filled_on >= today - timedelta(days=LOOKBACK_DAYS))
                )
            )
        )
    )
    current = [
        row
        for row in rows
        if row.is_open
        or (row.filled_on and row.filled_on + timedelta(days=row.days_supply + grace_days) > today)
    ]
    products = [row.prescription.product for row in current if row.prescription.product_id]
    ingredients = Product.with_ingredients(products)
    found = []
    for row in current:
        rx = row.prescription
        if rx.is_compound:
            drug = formula_facts(rx.formula)
        elif rx.product_id:
            drug = product_facts(rx.product, ingredients.get(rx.product_id, []))
        else:
            continue
        found.append(
            OtherFill(
                rx_number=str(rx.rx_number),
                drug=drug,
                prescriber_id=rx.prescriber_id,
                stopped=not rx.is_active,
            )
        )
    return found


def reported_medications(patient) -> list[OtherFill]:
    """The profile's "other medications" (filled elsewhere), screened like active fills.
    A strength typed after the name ("fluoxetine 20 mg") is not part of the drug."""
    return [
        OtherFill(
            rx_number="",
            drug=DrugFacts(
                name=row.name,
                ingredients=(IngredientFacts(name=re.split(r"\s+[0-9]", row.name)[0]),),
            ),
            where="other medication on the profile",
        )
        for row in patient.other_medications.order_by(OtherMedication.id)
    ]


def knowledge_base():
    """The knowledge base screening reads (kept in memory until it changes)."""
    return knowledge_models.current_knowledge()


def fills_done(fill: Fill) -> int:
    """Fills of the same prescription made before this one (cancelled ones do not count).

    The remainder of a partial fill is checked as the fill it continues, and remainders
    never count: a partial fill is not a refill (21 CFR 1306.13, 1306.23)."""
    counted = Fill.get_by_id(fill.remainder_of_id) if fill.remainder_of_id else fill
    return (
        Fill.select()
        .where(
            (Fill.prescription == counted.prescription_id)
            & (Fill.fill_number < counted.fill_number)
            & (Fill.status != FillStatus.CANCELLED)
            & Fill.remainder_of.is_null()
        )
        .count()
    )


def missing_for_checks(prescription: Prescription) -> list[str]:
    """What must be entered before the checks can run, in words."""
    missing = []
    if prescription.prescriber_id is None:
        missing.append(N_("the prescriber"))
    if not prescription.product_id and not prescription.is_compound:
        missing.append(N_("the drug"))
    if prescription.written_on is None:
        missing.append(N_("the date written"))
    return missing


def checks_for(fill: Fill, today: date) -> list[CheckResult]:
    """Every safety check for the fill as it stands, with the pharmacy's settings."""
    prescription = fill.prescription
    missing = missing_for_checks(prescription)
    if missing:
        verb = "is" if len(missing) == 1 else "are"
        message = f"Checks cannot run until {', '.join(missing)} {verb} entered."
        return [CheckResult("complete", "block", message)]
    patient = patient_facts(prescription.patient)
    drug = drug_facts(prescription)
    others = [
        *other_fills(fill, today, rx_settings.active_grace_days()),
        *reported_medications(prescription.patient),
    ]
    results = rules.run_checks(
        patient=patient,
        prescriber=prescriber_facts(prescription.prescriber),
        drug=drug,
        rx=rx_facts(prescription, fill),
        fill=FillFacts(
            filling_on=today,
            fills_done=fills_done(fill),
            previous_fill=previous_fill(fill, prescription),
        ),
        other_fills=others,
        settings=rx_settings.check_settings(),
        knowledge=knowledge_base(),
    )
    # How a C-II arrived (21 CFR 1306.11): after the controlled-substance check.
    if found := origin.data_check(prescription, fill.quantity):
        at = next((i + 1 for i, r in enumerate(results) if r.check == "controlled"), 0)
        results.insert(at, found)
    return results


def results_json(results: list[CheckResult]) -> list[dict]:
    return [
        {"check": r.check, "status": r.status.value, "message": r.message, "source": r.source}
        for r in results
    ]
