"""Build a ``LabelData`` from a fill: what the database knows, as the label prints it.

    label = label_for_fill(fill)            # pharmacy from Pharmacy.current()
    result = render_label(label, settings.get("label_stock"), app.jinja_env)

Discard-after date: for a manufactured product, ``label_discard_months`` after the
fill, or the dispensed lot's expiry when that is earlier; for a compound, the
compounding record's beyond-use date (USP <795>). A compound's label is refused
(``LabelNotReady``) until that record is completed: there is no other date to print.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from flask_babel import gettext as _

from portal.foundation import settings
from portal.foundation.dates import add_months
from portal.foundation.dates import today as pharmacy_today
from portal.foundation.i18n import lazy_gettext as _l
from portal.foundation.i18n import locale_for
from portal.labels.data import CompoundDetails, CompoundIngredient, LabelData, LabelPharmacy
from portal.labels.language import fill_directions
from portal.labels.print_rules import compound_label_problem
from portal.pharmacy.models import Pharmacy

settings.define(
    "label_discard_months",
    12,
    _l("Discard-after date on labels of manufactured products (months after filling)"),
    kind="int",
    minimum=1,
    maximum=24,
    help=_l("The label shows this many months after the fill, or the lot's expiry if sooner."),
    area="Prescriptions",
)


def label_pharmacy() -> LabelPharmacy:
    pharmacy = Pharmacy.current()
    return LabelPharmacy(name=pharmacy.name, address=pharmacy.address, phone=pharmacy.phone)


class LabelNotReady(ValueError):
    """A label that must not print yet; the message says why, in words."""


def compounding_record_for(fill):
    """The newest compounding record made for this fill (whatever its status), or None."""
    from portal.compounding.records.models import CompoundingRecord

    return (
        CompoundingRecord.select()
        .where(CompoundingRecord.fill == fill.id)
        .order_by(CompoundingRecord.id.desc())
        .first()
    )


def _not_ready(rx_fill: str, record) -> str | None:
    """Why a compound's label cannot print with ``record`` (its newest), or None."""
    if record is None:
        problem = compound_label_problem(None, "", None)
    else:
        problem = compound_label_problem(record.id, record.status, record.beyond_use_date)
    if not problem:
        return None
    return _("The label of Rx %(rx)s cannot print yet: %(problem)s", rx=rx_fill, problem=_(problem))


def label_not_ready(fill) -> str | None:
    """Why ``fill``'s label cannot print yet, or None (for the fill and print pages)."""
    if not fill.prescription.is_compound:
        return None
    return _not_ready(fill.rx_fill, compounding_record_for(fill))


def label_language_note(fill) -> str:
    """Why a Spanish-speaking patient's label prints its directions in English, or ""."""
    return fill_directions(fill.patient, fill.prescription, english_directions(fill.prescription))[
        1
    ]


def labels_not_ready(fills) -> dict[int, str]:
    """``label_not_ready`` for many fills, reading their compounding records in one query."""
    from portal.compounding.records.models import CompoundingRecord

    compounds = [fill for fill in fills if fill.prescription.is_compound]
    if not compounds:
        return {}
    newest = {}
    records = CompoundingRecord.select().where(
        CompoundingRecord.fill.in_([fill.id for fill in compounds])
    )
    for record in records.order_by(CompoundingRecord.id):
        newest[record.fill_id] = record
    found = {fill.id: _not_ready(fill.rx_fill, newest.get(fill.id)) for fill in compounds}
    return {fill_id: problem for fill_id, problem in found.items() if problem}


def first_filled_on(fill) -> date | None:
    """The date of the prescription's initial filling (21 CFR 1306.24), for refills."""
    from portal.prescriptions.fills.models import Fill

    first = (
        Fill.select(Fill.filled_on)
        .where(Fill.prescription == fill.prescription_id, Fill.filled_on.is_null(False))
        .order_by(Fill.fill_number)
        .first()
    )
    return first.filled_on if first else None


def label_for_fill(
    fill, today: date | None = None, record=None, pharmacy: LabelPharmacy | None = None
) -> LabelData:
    """The label of ``fill``. ``today`` stands in for a fill not yet dated.

    ``record`` is the compounding record for a compound (found by the fill when not given);
    ``pharmacy`` the pharmacy's details (read when not given: a batch reads them once).
    """
    rx = fill.prescription
    filled_on = fill.filled_on or today or pharmacy_today()
    values = {
        "pharmacy": pharmacy or label_pharmacy(),
        "rx_number": str(rx.rx_number),
        "fill_number": fill.fill_number,
        "filled_on": filled_on,
        "patient_name": _patient_name(fill.patient),
        "prescriber_name": rx.prescriber.display_name if rx.prescriber_id else "",
        "quantity": Decimal(str(fill.quantity)),
        "quantity_unit": rx.unit_text,
        "directions": fill_directions(fill.patient, rx, english_directions(rx))[0],
        "refills_remaining": max(fill.refills_remaining, 0),
        "schedule": rx.schedule or None,
        "partial": fill.partial_text,
        "remainder": bool(fill.remainder_of_id),
        "language": locale_for(fill.patient.preferred_language),
        "patient_centred": bool(settings.get("label_patient_centred")),
    }
    if rx.schedule and fill.fill_number:
        values["first_filled_on"] = first_filled_on(fill) or filled_on
    if rx.is_compound:
        values.update(_compound_values(fill, rx, record))
    else:
        values.update(_product_values(fill, rx, filled_on))
    return LabelData(**values)


def _patient_name(patient) -> str:
    given = " ".join(p for p in (patient.first_name, patient.middle_name) if p)
    return f"{patient.last_name.upper()}, {given}" if given else patient.last_name.upper()


def english_directions(rx) -> str:
    if rx.directions.strip():
        return rx.directions.strip()
    from portal.prescriptions import settings as rx_settings
    from portal.prescriptions.sig.directions import expand_sig

    return expand_sig(rx.sig, rx_settings.extra_sig_codes()) or rx.sig


def _product_values(fill, rx, filled_on: date) -> dict:
    product = rx.product
    discard = add_months(filled_on, settings.get("label_discard_months"))
    if fill.dispensed_lot_id and fill.dispensed_lot.expires_on:
        discard = min(discard, fill.dispensed_lot.expires_on)
    return {
        "drug_name": product.name,
        "strength": " ".join(p for p in (product.strength, product.dosage_form) if p),
        "manufacturer": product.manufacturer,
        "discard_after": discard,
    }


def _compound_values(fill, rx, record) -> dict:
    """A compound's label facts, all from its completed compounding record (USP <795>)."""
    formula = rx.formula
    record = record or compounding_record_for(fill)
    if problem := _not_ready(f"{rx.rx_number}-{fill.fill_number}", record):
        raise LabelNotReady(problem)
    facts = record.label_facts()
    ingredients = facts["active_ingredients"] or [(formula.name, formula.strength)]
    return {
        "drug_name": formula.name,
        "strength": formula.strength,
        "discard_after": facts["beyond_use_date"],
        "storage": facts["storage"],
        "compound": CompoundDetails(
            dosage_form=facts["dosage_form"],
            ingredients=tuple(
                CompoundIngredient(n, s or formula.strength or "see record") for n, s in ingredients
            ),
            internal_id=facts["internal_id"],
        ),
        "auxiliary": tuple(formula.auxiliary_label_list or ()),
    }


def label_preview(fill):
    """What ``fill``'s label prints, as ``(LabelContent, None)``, or ``(None, why not yet)``:
    the final check compares the product with these very words."""
    from portal.labels.content import label_content

    if problem := label_not_ready(fill):
        return None, problem
    return label_content(label_for_fill(fill)), None
