"""From the fills to the PMP's plain records (asap.PmpDispensing): the controlled
dispensings of a day in a handful of queries, whatever their number."""

from __future__ import annotations

from datetime import date

from peewee import JOIN

from portal.auth.accounts import name_parts
from portal.auth.models import User
from portal.catalog.models import Product
from portal.foundation.dates import to_local
from portal.patients.models import Coverage, Patient
from portal.pharmacy.models import Pharmacy
from portal.prescribers.models import Prescriber
from portal.prescriptions.controlled.models import ControlledOrigin
from portal.prescriptions.fills.models import Fill
from portal.prescriptions.fills.workflow import FillStatus
from portal.prescriptions.models import Prescription
from portal.reports.pmp import asap

# Past filling: the drug has left the shelf (a fill sent back is no longer one of these).
DISPENSED = (FillStatus.FINAL_VERIFY, FillStatus.READY, FillStatus.PICKED_UP)


def pharmacy_facts() -> asap.PmpPharmacy:
    pharmacy = Pharmacy.current()
    return asap.PmpPharmacy(
        name=pharmacy.name,
        dea=pharmacy.dea,
        npi=pharmacy.npi,
        ncpdp=pharmacy.ncpdp_id,
        address=pharmacy.address_line1,
        city=pharmacy.city,
        state=pharmacy.state,
        zip_code=pharmacy.postal_code,
        phone=pharmacy.phone,
    )


def _fills(where):
    return (
        Fill.select(Fill, Prescription, Patient, Prescriber, Product)
        .join(Prescription, on=(Fill.prescription == Prescription.id))
        .join(Prescriber, JOIN.LEFT_OUTER, on=(Prescription.prescriber == Prescriber.id))
        .join_from(Prescription, Product, JOIN.LEFT_OUTER, on=(Prescription.product == Product.id))
        .join_from(Fill, Patient, on=(Fill.patient == Patient.id))
        .where(where)
        .order_by(Fill.filled_on, Prescription.rx_number, Fill.fill_number)
    )


def dispensed_on(day: date) -> list[Fill]:
    """Controlled fills filled on the day and still dispensed."""
    return list(
        _fills(
            Prescription.schedule.is_null(False)
            & (Fill.filled_on == day)
            & Fill.status.in_(DISPENSED)
        )
    )


def fills_by_id(ids) -> dict[int, Fill]:
    return {fill.id: fill for fill in _fills(Fill.id.in_(list(ids)))} if ids else {}


def is_dispensed(fill: Fill) -> bool:
    return fill.status in DISPENSED and fill.filled_on is not None


def records(fills: list[Fill], status: str = asap.NEW) -> list[asap.PmpDispensing]:
    """The PMP records of the fills (emergency orders, coverage and partials looked up once)."""
    rx_ids = {f.prescription_id for f in fills}
    emergency = (
        {
            row.prescription_id
            for row in ControlledOrigin.select(ControlledOrigin.prescription).where(
                ControlledOrigin.prescription.in_(list(rx_ids))
                & ControlledOrigin.emergency_quantity.is_null(False)
            )
        }
        if rx_ids
        else set()
    )
    patients = {f.patient_id for f in fills}
    covered = (
        {
            row.patient_id
            for row in Coverage.select(Coverage.patient).where(
                Coverage.patient.in_(list(patients)) & (Coverage.active == True)  # noqa: E712
            )
        }
        if patients
        else set()
    )
    pharmacy = Pharmacy.current()
    zone = pharmacy.time_zone if pharmacy else None
    checked_by = {f.final_verified_by_id for f in fills} - {None}
    pharmacists = (
        {user.id: user for user in User.select().where(User.id.in_(list(checked_by)))}
        if checked_by
        else {}
    )
    return [
        record(
            f,
            status,
            f.prescription_id in emergency,
            f.patient_id in covered,
            zone,
            pharmacist=pharmacists.get(f.final_verified_by_id),
        )
        for f in fills
    ]


def pharmacist_name(pharmacist: User | None) -> tuple[str, str]:
    """(AIR09 last name, AIR10 first name) of the pharmacist, as kept apart on the staff
    account (an administrator corrects them on the staff page); an account without them yet,
    split from the full name (accounts.name_parts)."""
    if pharmacist is None:
        return "", ""
    if pharmacist.last_name:
        return pharmacist.last_name, pharmacist.first_name
    return name_parts(pharmacist.full_name)


def _partial(fill: Fill) -> tuple[int, int]:
    """(DSP06, DSP13): the refill number and the partial fill indicator (0 not partial, 1
    the first partial, 2.. each remainder in turn). A remainder is not a refill
    (controlled.md; 21 CFR 1306.13): it keeps the refill number of the partial it continues,
    though the portal numbers it as the prescription's next fill."""
    if not fill.partial_reason:
        return fill.fill_number, 0
    if not fill.remainder_of_id:
        return fill.fill_number, 1
    first = Fill.select(Fill.fill_number).where(Fill.id == fill.remainder_of_id).get()
    earlier = (
        Fill.select()
        .where((Fill.remainder_of == fill.remainder_of_id) & (Fill.fill_number < fill.fill_number))
        .count()
    )
    return first.fill_number, 2 + earlier


def record(
    fill: Fill,
    status: str,
    emergency: bool,
    covered: bool,
    zone: str | None = None,
    *,
    pharmacist: User | None = None,
) -> asap.PmpDispensing:
    """One fill as the PMP reads it; ``pharmacist`` did its final verification (AIR09/10)."""
    rx, patient = fill.prescription, fill.patient
    pharmacist_last, pharmacist_first = pharmacist_name(pharmacist)
    prescriber = rx.prescriber if rx.prescriber_id else None
    origin = "emergency_oral" if emergency and rx.origin == "phone" else rx.origin
    refill_number, partial = _partial(fill)
    return asap.PmpDispensing(
        status=status,
        rx_number=str(rx.rx_number),
        written_on=rx.written_on,
        refills_authorized=rx.refills_authorized,
        filled_on=fill.filled_on,
        fill_number=refill_number,
        ndc=fill.dispensed_ndc or (rx.product.ndc if rx.product_id else ""),
        quantity=fill.quantity,
        days_supply=fill.days_supply,
        unit=rx.quantity_unit,
        origin=origin,
        partial=partial,
        sig=rx.directions,
        # The payer's kind is not recorded: any active coverage reads as commercial.
        payment="commercial" if covered else "cash",
        quantity_prescribed=rx.quantity,
        patient_last=patient.last_name,
        patient_first=patient.first_name,
        patient_middle=patient.middle_name,
        patient_address=patient.address_line1,
        patient_city=patient.city,
        patient_state=patient.state,
        patient_zip=patient.postal_code,
        patient_phone=patient.phone,
        patient_birth=patient.date_of_birth,
        patient_gender=patient.sex,
        prescriber_npi=prescriber.npi if prescriber else "",
        prescriber_dea=(prescriber.dea or "") if prescriber else "",
        prescriber_last=prescriber.last_name if prescriber else "",
        prescriber_first=prescriber.first_name if prescriber else "",
        prescriber_phone=prescriber.phone if prescriber else "",
        picked_up_id_type=fill.picked_up_id_type,
        picked_up_id=fill.picked_up_id_number,
        picked_up_id_state=fill.picked_up_id_state,
        pharmacist_last=pharmacist_last,
        pharmacist_first=pharmacist_first,
        schedule=rx.schedule or "",
        picked_up_relationship=fill.picked_up_relationship_code,
        picked_up_last=fill.picked_up_last_name,
        picked_up_first=fill.picked_up_first_name,
        # DSP17, date sold: the pharmacy's calendar day of the pickup (R156-37f-102).
        sold_on=to_local(fill.picked_up_at, zone).date() if fill.picked_up_at else None,
    )
