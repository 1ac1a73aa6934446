"""The patient search box finds a patient by the Rx number of one of their prescriptions
(added to portal.patients.search when this area is set up)."""

from portal.patients.models import Patient
from portal.patients.rules import PatientQuery
from portal.patients.search import register_search_provider
from portal.prescriptions.models import Prescription


@register_search_provider
def by_rx_number(query: PatientQuery, limit: int) -> list[Patient]:
    """The patient of the prescription with this Rx number."""
    if not query.rx_number or len(query.rx_number) > 12:
        return []
    rows = (
        Patient.select()
        .join(Prescription, on=(Prescription.patient == Patient.id))
        .where(Prescription.rx_number == query.rx_number)
        .distinct()
        .limit(limit)
    )
    return list(rows)
