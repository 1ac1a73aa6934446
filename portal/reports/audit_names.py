"""Names for the audit trail's records, registered from the top of the layers (reports sees
every area; the audit area below it knows none): "Delgado, Rosa", "Claim for Rx 100001"."""

from flask_babel import gettext as _

from portal.audit import names
from portal.auth.models import User
from portal.catalog.formulas.models import Formula
from portal.catalog.models import Ingredient, Product
from portal.catalog.stock.models import Lot, StockMovement
from portal.claims.claims.models import Claim
from portal.claims.prior_auth.models import PriorAuthorization
from portal.claims.remittance.models import Remittance
from portal.compounding.records.models import CompoundingLine, CompoundingRecord, QualityResult
from portal.patients.models import Allergy, Coverage, Patient, Payer
from portal.patients.rules import parse_patient_query
from portal.patients.search import find_patients
from portal.prescribers.models import Prescriber
from portal.prescriptions.fills.models import Clarification, Fill
from portal.prescriptions.models import Prescription


def _rows(model, ids, *joins):
    query = model.select(model, *joins).where(model.id.in_([int(i) for i in ids]))
    for join in joins:
        query = query.switch(model).join(join, on=_link(model, join))
    return query


def _link(model, other):
    for field in model._meta.refs:
        if field.rel_model is other:
            return field == other.id
    raise LookupError(f"{model.__name__} has no link to {other.__name__}")


def _patient_name(patient) -> str:
    return f"{patient.last_name}, {patient.first_name}"


def _lot_name(lot) -> str:
    item = lot.product if lot.product_id else lot.ingredient
    return (
        _("Lot %(lot_number)s of %(item)s", lot_number=lot.lot_number, item=item)
        if item
        else _("Lot %(lot_number)s", lot_number=lot.lot_number)
    )


def _by_str(model, *joins, name=str):
    return lambda ids: {str(row.id): name(row) for row in _rows(model, ids, *joins)}


def _claim_name(claim) -> str:
    fill = _(", refill %(fill_number)s", fill_number=claim.fill_number) if claim.fill_number else ""
    return _("Claim for Rx %(rx_number)s%(fill)s", rx_number=claim.rx_number, fill=fill)


def _record_name(record) -> str:
    return _("Compounding record %(id)s: %(title)s", id=record.id, title=record.formula.title)


def _patient_finder(text: str, limit: int) -> list[tuple[int, str]]:
    return [(p.id, _patient_name(p)) for p in find_patients(parse_patient_query(text), limit)]


def register() -> None:
    """Called once from the reports area's init_app."""
    named = {
        "Patients": {
            "patient": _by_str(Patient, name=_patient_name),
            "allergy": _by_str(
                Allergy,
                Patient,
                name=lambda a: _(
                    "Allergy to %(allergen)s (%(patient)s)",
                    allergen=a.allergen,
                    patient=_patient_name(a.patient),
                ),
            ),
            "coverage": _by_str(
                Coverage,
                Patient,
                Payer,
                name=lambda c: _(
                    "%(name)s coverage of %(patient)s",
                    name=c.payer.name,
                    patient=_patient_name(c.patient),
                ),
            ),
            "payer": _by_str(Payer, name=lambda p: p.name),
            "prescriber": _by_str(Prescriber),
        },
        "Prescriptions": {
            "prescription": _by_str(Prescription),
            "fill": _by_str(Fill, Prescription),
            "clarification": _by_str(
                Clarification,
                Prescription,
                name=lambda c: _(
                    "Clarification on Rx %(rx_number)s", rx_number=c.prescription.rx_number
                ),
            ),
            "label_print": None,
        },
        "Claims": {
            "claim": _by_str(Claim, name=_claim_name),
            "prior_authorization": _by_str(
                PriorAuthorization,
                Claim,
                name=lambda pa: _(
                    "Prior authorization for Rx %(rx_number)s", rx_number=pa.claim.rx_number
                ),
            ),
            "remittance": _by_str(
                Remittance,
                name=lambda r: _(
                    "835 payment %(trace_number)s from %(payer_name)s",
                    trace_number=r.trace_number,
                    payer_name=r.payer_name,
                ),
            ),
        },
        "Inventory": {
            "product": _by_str(Product),
            "ingredient": _by_str(Ingredient),
            "lot": _by_str(Lot, name=_lot_name),
            "stock_movement": _by_str(
                StockMovement, Lot, name=lambda m: _("Stock of %(lot)s", lot=_lot_name(m.lot))
            ),
            "product_catalog": None,
            "ingredient_catalog": None,
        },
        "Compounding": {
            "formula": _by_str(Formula, name=lambda f: f"{f.title} (v{f.version})"),
            "compounding_record": _by_str(CompoundingRecord, Formula, name=_record_name),
            "compounding_line": _by_str(
                CompoundingLine,
                name=lambda line: _(
                    "Weighing of %(name)s (compounding record %(record_id)s)",
                    name=line.name,
                    record_id=line.record_id,
                ),
            ),
            "quality_result": _by_str(
                QualityResult,
                name=lambda q: _(
                    "Quality check on compounding record %(record_id)s", record_id=q.record_id
                ),
            ),
            "cleaning_log": None,
            "balance_check": None,
        },
        "Staff and sign-in": {
            "user": _by_str(User, name=lambda u: u.full_name),
            "terminal": None,
        },
        "Pharmacy settings": {"pharmacy": None, "setting": None},
    }
    for area, namers in named.items():
        for entity, namer in namers.items():
            names.register(entity, namer, area=area)
    names.register_patient_finder(_patient_finder)
