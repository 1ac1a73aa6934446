"""Compounding records and lab logs for tests."""

from datetime import date, timedelta
from decimal import Decimal

from portal.compounding.lab.models import CleaningLog
from portal.compounding.records import actions as record_actions
from portal.foundation.db import write_transaction
from tests.factories.auth import make_user
from tests.factories.catalog import make_lot
from tests.factories.formulas import make_formula

__all__ = [
    "complete_record",
    "make_batch_record",
    "make_cleaning",
    "make_compound_fill",
    "make_compound_prescription",
    "stock_formula",
]


def stock_formula(formula, quantity=Decimal(500), expires_on=None, **fields):
    """A lot of every component of the formula, so a record can be completed."""
    lots = []
    for line in formula.lines():
        lots.append(
            make_lot(
                line.item,
                quantity=quantity,
                expires_on=expires_on or date.today() + timedelta(days=365),
                **fields,
            )
        )
    return lots


def make_batch_record(formula=None, quantity=Decimal(60), unit="g", user=None, today=None):
    formula = formula or make_formula(approved_by=True)
    return record_actions.start(
        formula,
        Decimal(quantity),
        unit,
        user or make_user(roles=("technician",)),
        today=today or date.today(),
    )


def make_cleaning(user=None, **fields):
    with write_transaction():
        return CleaningLog.create(
            target=fields.pop("target", "work_surfaces"),
            agent=fields.pop("agent", "70% isopropyl alcohol"),
            cleaned_by=user or make_user(),
            **fields,
        )


def make_compound_prescription(
    formula=None, patient=None, quantity=Decimal(60), unit="g", **fields
):
    """A prescription for a compound (approved formula), its original fill at data verification."""
    from portal.prescriptions.intake import entry
    from tests.factories.patients import make_patient
    from tests.factories.prescribers import make_prescriber

    formula = formula or make_formula(approved_by=True)
    values = {
        "prescriber": make_prescriber(),
        "product": None,
        "formula": formula,
        "sig": "aaa bid",
        "quantity": Decimal(quantity),
        "quantity_unit": unit,
        "days_supply": 30,
        "refills_authorized": 1,
        "daw": "0",
        "written_on": date.today() - timedelta(days=1),
        "origin": "written",
        "notes": "",
    }
    values.update(fields)
    fill = entry.receive(
        patient=patient or make_patient(allergy_status="nkda"),
        values=values,
        priority="today",
        user=make_user(roles=("technician",)),
        send=True,
    )
    return fill.prescription


def complete_record(record, user=None, measured=None, today=None):
    """Weigh every line (the required amount, or measured[line name] in the line's unit) from
    the first usable lot, pass the quality checks, and complete the record."""
    from portal.compounding.records import actions as record_actions

    user = user or make_user(roles=("technician",))
    today = today or date.today()
    measured = measured or {}
    with write_transaction():
        for line in record.lines():
            record_actions.record_line(
                record,
                line,
                lot=record_actions.suggested_lots(line, today)[0],
                measured=Decimal(measured.get(line.name, line.required_amount)),
                user=user,
                today=today,
            )
        for result in record.quality_results():
            record_actions.record_quality(
                record,
                result,
                measured=record.quantity,
                observed="smooth, uniform",
                judged_pass=True,
                user=user,
            )
    record_actions.complete(record, user, today=today)
    return record


def make_compound_fill(formula=None, patient=None, quantity=Decimal(60), measured=None, **fields):
    """The original fill of a compound prescription, compounded: its record started for the
    fill from stocked lots and completed (measured: {line name: amount}, as in complete_record),
    so the fill waits at final verification. The record is fill.compounding_records."""
    from portal.compounding.records import actions as record_actions
    from tests.factories.prescriptions import advance_fill

    prescription = make_compound_prescription(formula, patient=patient, quantity=quantity, **fields)
    stock_formula(prescription.formula)
    fill = advance_fill(prescription.fills.first(), "compound")
    technician = make_user(roles=("technician",))
    record = record_actions.start_for_fill(fill, technician, today=date.today())
    complete_record(record, technician, measured)
    return type(fill).get_by_id(fill.id)
