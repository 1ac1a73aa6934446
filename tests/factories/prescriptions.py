"""Prescriptions and fills, entered through the app's own code (Rx numbers, events, audit)."""

from datetime import date, timedelta
from decimal import Decimal

from portal.prescriptions.fills.models import Fill
from portal.prescriptions.intake import entry
from portal.prescriptions.models import Prescription
from tests.factories.auth import make_user
from tests.factories.catalog import make_ingredient, make_product
from tests.factories.patients import make_patient
from tests.factories.prescribers import make_prescriber

__all__ = ["make_prescription", "make_fill", "advance_fill", "hand_out_to_patient", "HAPPY_PATH"]

HAPPY_PATH = ("intake", "data_entry", "data_verify", "fill", "final_verify", "ready", "picked_up")


def make_prescription(
    patient=None, prescriber=None, product=None, user=None, send=True, priority="today", **fields
) -> Prescription:
    """A complete prescription (amoxicillin 500 mg caps, 1 cap po tid x10d, 30, no refills),
    entered by a technician; its original fill waits at data verification unless send=False."""
    if product is None:
        product = make_product(
            ingredients=[
                make_ingredient(
                    name=f"Amoxicillin {Prescription.select().count()}",
                    allergen_classes="penicillins",
                )
            ],
            name="Amoxicillin",
            strength="500 mg",
            dosage_form="capsule",
        )
    values = {
        "prescriber": prescriber or make_prescriber(),
        "product": product,
        "sig": "1 cap po tid x10d",
        "quantity": Decimal(30),
        "quantity_unit": "cap",
        "days_supply": 10,
        "refills_authorized": 0,
        "daw": "0",
        "written_on": date.today() - timedelta(days=1),
        "origin": "written",
        "notes": "",
    }
    values.update(fields)
    fill = entry.receive(
        patient=patient or make_patient(allergy_status="nkda"),
        values=values,
        priority=priority,
        user=user or make_user(roles=("technician",)),
        send=send,
    )
    return fill.prescription


def make_fill(prescription=None, **fields) -> Fill:
    """The original fill of a new prescription (at data verification unless send=False)."""
    prescription = prescription or make_prescription(**fields)
    return prescription.fills.order_by(Fill.fill_number).first()


def advance_fill(fill: Fill, to_state: str, pharmacist=None, technician=None) -> Fill:
    """Move a fill along the happy path up to to_state, each step by the right role."""
    pharmacist = pharmacist or make_user(roles=("pharmacist",))
    technician = technician or make_user(roles=("technician",))
    path = list(HAPPY_PATH)
    if fill.prescription.is_compound:
        path[path.index("fill")] = "compound"
    while fill.status != to_state:
        target = path[path.index(fill.status) + 1]
        doer = pharmacist if fill.status in ("data_verify", "final_verify") else technician
        fill.move_to(target, doer)
    return fill


def hand_out_to_patient(fill: Fill, user, id_number: str = "D123"):
    """The patient collects a ready controlled fill, showing a Utah driver's license."""
    from portal.prescriptions.fills import steps

    return steps.hand_out(
        fill,
        user,
        picked_up_by="Pat Doe",
        relationship="patient",
        counseling_offered=True,
        counseling_accepted=False,
        id_type="driver_license",
        id_number=id_number,
        id_state="UT",
        relationship_code="patient",
    )
