"""The patient page's medication history, from this area's fills (portal.patients.history)."""

from flask import url_for
from peewee import JOIN

from portal.catalog.models import Product
from portal.patients.history import HistoryRow, register_history_provider
from portal.prescribers.models import Prescriber
from portal.prescriptions import policy
from portal.prescriptions.fills.models import Fill
from portal.prescriptions.models import Prescription


def fills(patient, limit: int) -> list[HistoryRow]:
    """The patient's fills, newest first: date filled (or received), drug, status."""
    rows = (
        Fill.select(Fill, Prescription, Product, Prescriber)
        .join(Prescription)
        .join_from(Prescription, Product, JOIN.LEFT_OUTER)
        .join_from(Prescription, Prescriber, JOIN.LEFT_OUTER)
        .where(Fill.patient == patient.id)
        .order_by(Fill.created_at.desc(), Fill.id.desc())
        .limit(limit)
    )
    return [
        HistoryRow(
            filled_on=fill.filled_on or fill.created_at,
            rx_number=f"{fill.prescription.rx_number}-{fill.fill_number}",
            drug=fill.prescription.drug_name,
            quantity=f"{format(fill.quantity.normalize(), 'f')} "
            f"{policy.unit_words(fill.prescription.quantity_unit)}",
            days_supply=fill.days_supply or None,
            status=fill.status_label,
            prescriber=fill.prescription.prescriber.display_name
            if fill.prescription.prescriber_id
            else "",
            url=url_for("prescriptions.fill_detail", fill_id=fill.id),
        )
        for fill in rows
    ]


def register() -> None:
    register_history_provider(fills)
