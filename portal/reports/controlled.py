"""The controlled-substance dispensing log: every C-II to C-V fill dispensed in a period,
with what a dispensing record must show (21 CFR 1304.22(c): the date, the patient's name
and address, the drug, the quantity, the person who dispensed it; plus the prescriber's DEA
number, which the prescription must carry)."""

from __future__ import annotations

from datetime import date

from peewee import JOIN

from portal.auth.models import User
from portal.catalog.formulas.models import Formula
from portal.catalog.models import Product
from portal.catalog.stock.models import Lot
from portal.foundation.exports import csv_text
from portal.patients.models import Patient
from portal.prescribers.models import Prescriber
from portal.prescriptions.fills.models import Fill
from portal.prescriptions.fills.workflow import FillStatus
from portal.prescriptions.models import SCHEDULE_LABELS, Prescription

SCHEDULES = ("2", "3", "4", "5")
# Past filling: the drug has left the shelf (a fill sent back returns its stock first).
DISPENSED_STATES = (FillStatus.FINAL_VERIFY, FillStatus.READY, FillStatus.PICKED_UP)


def dispensed(start: date, end: date, schedules=SCHEDULES):
    """Fills of scheduled prescriptions filled from start to end (inclusive), oldest first."""
    verifier = User.alias("verifier")
    return (
        Fill.select(Fill, Prescription, Patient, Prescriber, Product, Formula, Lot, verifier)
        .join(Prescription, on=(Fill.prescription == Prescription.id))
        .join(Prescriber, JOIN.LEFT_OUTER, on=(Prescription.prescriber == Prescriber.id))
        .join_from(Prescription, Product, JOIN.LEFT_OUTER, on=(Prescription.product == Product.id))
        .join_from(Prescription, Formula, JOIN.LEFT_OUTER, on=(Prescription.formula == Formula.id))
        .join_from(Fill, Patient, on=(Fill.patient == Patient.id))
        .join_from(Fill, Lot, JOIN.LEFT_OUTER, on=(Fill.dispensed_lot == Lot.id))
        .join_from(Fill, verifier, JOIN.LEFT_OUTER, on=(Fill.final_verified_by == verifier.id))
        .where(
            Prescription.schedule.in_(list(schedules))
            & (Fill.filled_on >= start)
            & (Fill.filled_on <= end)
            & Fill.status.in_(DISPENSED_STATES)
        )
        .order_by(Fill.filled_on, Prescription.rx_number, Fill.fill_number)
    )


def schedule_label(code: str | None) -> str:
    return SCHEDULE_LABELS.get(code or "", "")


CSV_COLUMNS = (
    "date_filled",
    "rx",
    "fill",
    "schedule",
    "drug",
    "ndc",
    "quantity",
    "unit",
    "lot",
    "patient",
    "date_of_birth",
    "patient_address",
    "prescriber",
    "prescriber_dea",
    "pharmacist",
    "status",
    "picked_up_by",
)


def as_csv(rows) -> str:
    return csv_text(CSV_COLUMNS, (_csv_row(fill) for fill in rows))


def _csv_row(fill) -> list:
    rx = fill.prescription
    prescriber = rx.prescriber if rx.prescriber_id else None
    return [
        fill.filled_on.isoformat() if fill.filled_on else "",
        rx.rx_number,
        fill.fill_number,
        schedule_label(rx.schedule),
        rx.drug_name,
        fill.dispensed_ndc,
        format(fill.quantity.normalize(), "f") if fill.quantity is not None else "",
        rx.quantity_unit,
        fill.dispensed_lot.lot_number if fill.dispensed_lot_id else "",
        fill.patient.sort_name,
        fill.patient.date_of_birth.isoformat() if fill.patient.date_of_birth else "",
        fill.patient.address,
        prescriber.display_name if prescriber else "",
        prescriber.dea or "" if prescriber else "",
        fill.final_verified_by.full_name if fill.final_verified_by_id else "",
        fill.status,
        fill.picked_up_by,
    ]
