"""The words printed on a label, formatted from ``LabelData``; the template only places them."""

from __future__ import annotations

import re
from dataclasses import dataclass

from babel.support import NullTranslations

from portal.foundation.i18n import N_, translations
from portal.labels.data import (
    COMPOUNDED_STATEMENT,
    TRANSFER_WARNING,
    CompoundDetails,
    LabelData,
)
from portal.labels.patient_words import label_date
from portal.prescriptions.screening.facts import SCHEDULE_LABELS, plain_number

# The fields that can be given up, in label order, as a "does not fit" notice names them.
FIELD_TITLES = {
    "directions": N_("Directions"),
    "drug": N_("Drug name"),
    "ingredients": N_("Ingredients"),
    "auxiliary": N_("Cautions"),
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
    active_title: str = "Active:"
    overfull: str = "Label text does not fit — see attached sheet"
    language: str = "en"


_ENGLISH = NullTranslations()


def refills_text(refills_remaining: int, t: NullTranslations = _ENGLISH) -> str:
    """ "No refills", "1 refill left", "3 refills left"."""
    if refills_remaining == 0:
        return t.gettext("No refills")
    return t.ngettext("%(num)d refill left", "%(num)d refills left", refills_remaining) % {
        "num": refills_remaining
    }


def fill_text(fill_number: int, t: NullTranslations = _ENGLISH) -> str:
    """ "Original fill" for fill 0, else "Refill 2"."""
    if fill_number == 0:
        return t.gettext("Original fill")
    return t.gettext("Refill %(num)d") % {"num": fill_number}


def label_content(label: LabelData) -> LabelContent:
    """Format every printed field of ``label``, its fixed words in ``label.language``.

    What the label identifies stays as recorded, in any language: the pharmacy, Rx number,
    patient, drug name and strength, manufacturer, prescriber, the schedule, and the
    federal transfer warning, whose words 21 CFR 290.5 gives."""
    t = translations(label.language)
    gettext = t.gettext
    compound = label.compound

    def day(value):
        return unbroken(label_date(value, label.language))

    # A compound's discard date is its beyond-use date (USP <795> section 11).
    discard_word = gettext("Beyond-use date") if compound else gettext("Discard after")
    first_filled = ""
    # Shown on controlled refills; on an original fill it is the date filled.
    if label.schedule and label.fill_number:
        first_filled = gettext("First filled %(date)s") % {"date": day(label.initial_filling_date)}
    quantity = f"{plain_number(label.quantity)} {gettext(label.quantity_unit)}"
    quantity = unbroken(gettext("Qty: %(quantity)s") % {"quantity": quantity})
    if label.partial:  # "(partial fill: 10 of 30)" after it when partly filled
        quantity = f"{quantity} ({unbroken(label.partial)})"
    return LabelContent(
        rx=unbroken(f"Rx {label.rx_number}"),
        fill=unbroken(gettext("Remainder") if label.remainder else fill_text(label.fill_number, t)),
        filled=unbroken(gettext("Filled %(date)s") % {"date": day(label.filled_on)}),
        first_filled=first_filled,
        patient=" ".join(label.patient_name.split()),
        directions=keep_units(label.directions),
        drug=keep_units(f"{label.drug_name} {label.strength}"),
        manufacturer=unbroken(gettext("Mfr: %(name)s") % {"name": label.manufacturer})
        if label.manufacturer.strip()
        else "",
        quantity=quantity,
        prescriber=gettext("Prescriber: %(name)s")
        % {"name": " ".join(label.prescriber_name.split())},
        refills=unbroken(refills_text(label.refills_remaining, t)),
        discard=f"{discard_word}: {day(label.discard_after)}",
        storage=keep_units(gettext(label.storage)) if label.storage else "",
        schedule=SCHEDULE_LABELS[label.schedule] if label.schedule else "",
        transfer_warning=TRANSFER_WARNING if label.transfer_warning else "",
        compounded=gettext(COMPOUNDED_STATEMENT) if compound else "",
        dosage_form=gettext("Dosage form: %(form)s")
        % {"form": gettext(compound.dosage_form.strip())}
        if compound
        else "",
        ingredients=_ingredients(compound),
        internal_id=unbroken(gettext("Internal ID: %(id)s") % {"id": compound.internal_id})
        if compound
        else "",
        # A caution the catalog knows prints in the patient's language; one typed freely
        # prints as typed.
        auxiliary=tuple(unbroken(gettext(a)) for a in label.auxiliary if a),
        active_title=gettext("Active:"),
        overfull=gettext("Label text does not fit — see attached sheet"),
        language=label.language,
    )


def _ingredients(compound: CompoundDetails | None) -> tuple[str, ...]:
    if compound is None:
        return ()
    return tuple(keep_units(f"{i.name} {i.strength}") for i in compound.ingredients)
