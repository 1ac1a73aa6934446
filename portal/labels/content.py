"""The words printed on a label, formatted from ``LabelData``; the template only places them."""

from __future__ import annotations

import re
from dataclasses import dataclass

from portal.labels.data import (
    COMPOUNDED_STATEMENT,
    TRANSFER_WARNING,
    CompoundDetails,
    LabelData,
)
from portal.prescriptions.screening.facts import SCHEDULE_LABELS, plain_date, plain_number

# The fields that can be given up, in label order, as a "does not fit" notice names them.
FIELD_TITLES = {
    "directions": "Directions",
    "drug": "Drug name",
    "ingredients": "Ingredients",
    "auxiliary": "Cautions",
}


NBSP = "\u00a0"
# "5 mL", "10 mg", "2-8 °C": a number and its unit stay on one line.
_NUMBER_UNIT = re.compile(
    r"(?<=[0-9]) (?=(?:mg|mcg|g|kg|mL|L|units?|IU|mEq|mmol|%|°[CF]|tablets?|capsules?|"
    r"drops?|puffs?|sprays?|teaspoons?|tablespoons?|hours?|days?|times?)\b)"
)


def keep_units(text: str) -> str:
    """``text`` with a no-break space between each number and its unit."""
    return _NUMBER_UNIT.sub(NBSP, " ".join(text.split()))


def unbroken(text: str) -> str:
    """A short item that must not wrap inside: "Internal ID: 100125", "Jul 15, 2024"."""
    return NBSP.join(text.split())


@dataclass(frozen=True)
class LabelContent:
    """Label text, ready to print."""

    rx: str
    fill: str
    filled: str
    first_filled: str
    patient: str
    directions: str
    drug: str
    manufacturer: str
    quantity: str
    prescriber: str
    refills: str
    discard: str
    storage: str
    schedule: str
    transfer_warning: str
    compounded: str
    dosage_form: str
    ingredients: tuple[str, ...]
    internal_id: str
    auxiliary: tuple[str, ...]


def refills_text(refills_remaining: int) -> str:
    """ "No refills", "1 refill left", "3 refills left"."""
    if refills_remaining == 0:
        return "No refills"
    return f"{refills_remaining} refill{'s' if refills_remaining > 1 else ''} left"


def fill_text(fill_number: int) -> str:
    """ "Original fill" for fill 0, else "Refill 2"."""
    return "Original fill" if fill_number == 0 else f"Refill {fill_number}"


def label_content(label: LabelData) -> LabelContent:
    """Format every printed field of ``label``."""
    compound = label.compound
    # A compound's discard date is its beyond-use date (USP <795> section 11).
    discard_word = "Beyond-use date" if compound else "Discard after"
    first_filled = ""
    # Shown on controlled refills; on an original fill it is the date filled.
    if label.schedule and label.fill_number:
        first_filled = f"First filled {unbroken(plain_date(label.initial_filling_date))}"
    return LabelContent(
        rx=unbroken(f"Rx {label.rx_number}"),
        fill=unbroken("Remainder" if label.remainder else fill_text(label.fill_number)),
        filled=unbroken(f"Filled {plain_date(label.filled_on)}"),
        first_filled=first_filled,
        patient=" ".join(label.patient_name.split()),
        directions=keep_units(label.directions),
        drug=keep_units(f"{label.drug_name} {label.strength}"),
        manufacturer=unbroken(f"Mfr: {label.manufacturer}") if label.manufacturer.strip() else "",
        quantity=_quantity(label),
        prescriber=f"Prescriber: {' '.join(label.prescriber_name.split())}",
        refills=unbroken(refills_text(label.refills_remaining)),
        discard=f"{discard_word}: {unbroken(plain_date(label.discard_after))}",
        storage=keep_units(label.storage),
        schedule=SCHEDULE_LABELS[label.schedule] if label.schedule else "",
        transfer_warning=TRANSFER_WARNING if label.transfer_warning else "",
        compounded=COMPOUNDED_STATEMENT if compound else "",
        dosage_form=f"Dosage form: {compound.dosage_form.strip()}" if compound else "",
        ingredients=_ingredients(compound),
        internal_id=unbroken(f"Internal ID: {compound.internal_id}") if compound else "",
        auxiliary=tuple(unbroken(a) for a in label.auxiliary if a),
    )


def _quantity(label) -> str:
    """ "Qty: 10 tablets", and "(partial fill: 10 of 30)" after it when partly filled."""
    text = unbroken(f"Qty: {plain_number(label.quantity)} {label.quantity_unit}")
    return f"{text} ({unbroken(label.partial)})" if label.partial else text


def _ingredients(compound: CompoundDetails | None) -> tuple[str, ...]:
    if compound is None:
        return ()
    return tuple(keep_units(f"{i.name} {i.strength}") for i in compound.ingredients)
