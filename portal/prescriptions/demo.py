"""Demo prescriptions for `flask --app portal demo load` (a loader of portal.foundation.demo):
a day's work at every step of the workflow, done through the same steps staff take, so the
queues, the start page, the counter lookup and the reports have something to show.

One amoxicillin prescription goes to a patient allergic to penicillins and waits at data
verification, where the allergy check blocks it: the safety check to try first.
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from portal.auth.models import User
from portal.catalog.models import Product
from portal.catalog.stock.models import Lot
from portal.foundation.dates import local_today
from portal.patients.models import Allergy, Patient
from portal.pharmacy.models import Pharmacy
from portal.prescribers.models import Prescriber
from portal.prescriptions.fills import steps
from portal.prescriptions.fills.models import Fill
from portal.prescriptions.fills.workflow import FillStatus
from portal.prescriptions.intake import entry
from portal.prescriptions.models import Prescription
from portal.prescriptions.screening import gather

# product (name strength), sig, quantity, unit, days supply, refills, where it ends, priority
PRESCRIPTIONS = (
    ("Lisinopril 10 mg", "1 tab po qd", 30, "tab", 30, 5, FillStatus.DATA_VERIFY, "today"),
    (
        "Metformin Hydrochloride 500 mg",
        "1 tab po bid",
        60,
        "tab",
        30,
        11,
        FillStatus.DATA_VERIFY,
        "waiting",
    ),
    ("Atorvastatin Calcium 20 mg", "1 tab po qhs", 90, "tab", 90, 3, "returned", "today"),
    ("Sertraline Hydrochloride 50 mg", "1 tab po qd", 30, "tab", 30, 2, FillStatus.FILL, "today"),
    (
        "Amlodipine Besylate 5 mg",
        "1 tab po qd",
        30,
        "tab",
        30,
        5,
        FillStatus.FINAL_VERIFY,
        "delivery",
    ),
    (
        "Oxycodone Hydrochloride 5 mg",
        "1 tab po q6h prn pain",
        20,
        "tab",
        5,
        0,
        FillStatus.READY,
        "waiting",
    ),
    ("Levothyroxine Sodium 50 mcg", "1 tab po qam", 90, "tab", 90, 3, FillStatus.READY, "today"),
    ("Omeprazole 20 mg", "1 cap po qd", 30, "cap", 30, 1, FillStatus.PICKED_UP, "today"),
    ("Prednisone 10 mg", "4 tab po qd x5d", 20, "tab", 5, 0, FillStatus.ON_HOLD, "today"),
)
ALLERGY_CASE = (
    "Amoxicillin 500 mg",
    "1 cap po tid x10d",
    30,
    "cap",
    10,
    0,
    FillStatus.DATA_VERIFY,
    "today",
)

RETURN_REASON = "Days supply should be 90 for a quantity of 90 at bedtime; please check."
HOLD_REASON = "Asked Dr. for the taper schedule; waiting for a call back."


def _staff(role: str) -> User:
    return User.select().where(User.active & User.roles.contains(role)).order_by(User.id).first()


def _products() -> dict[str, Product]:
    return {f"{p.name} {p.strength}": p for p in Product.select()}


def _patients() -> tuple[list[Patient], Patient | None]:
    """Patients with no known allergies (for the smooth cases), and one allergic to
    penicillins (for the blocked one)."""
    calm = list(Patient.select().where(Patient.allergy_status == "nkda").order_by(Patient.id))
    allergic = (
        Patient.select()
        .join(Allergy)
        .where(Allergy.allergen.contains("penicillin"))
        .order_by(Patient.id)
        .first()
    )
    return calm, allergic


def _prescriber(schedule: str | None) -> Prescriber:
    query = Prescriber.select().where(Prescriber.active).order_by(Prescriber.id)
    if schedule:
        query = query.where(Prescriber.dea_schedules.contains(schedule))
    return query.first()


def _lot(product: Product, today) -> Lot | None:
    return (
        Lot.select()
        .where((Lot.product == product) & (Lot.expires_on >= today) & (Lot.quantity_on_hand > 0))
        .order_by(Lot.expires_on)
        .first()
    )


def _enter(patient, product, row, technician, today) -> Fill:
    _name, sig, quantity, unit, days, refills, _end, priority = row
    return entry.receive(
        patient=patient,
        values={
            "prescriber": _prescriber(product.schedule),
            "product": product,
            "sig": sig,
            "quantity": Decimal(quantity),
            "quantity_unit": unit,
            "days_supply": days,
            "refills_authorized": refills,
            "daw": "0",
            "written_on": today - timedelta(days=2),
            "origin": "electronic",
            "notes": "",
        },
        priority=priority,
        user=technician,
        send=True,
    )


def _take_to(fill: Fill, end: str, technician: User, pharmacist: User, today) -> None:
    """Walk a fill (waiting at data verification) to where its row says it ends."""
    if end == FillStatus.DATA_VERIFY:
        return
    if end == "returned":
        steps.return_data(fill, pharmacist, RETURN_REASON, gather.checks_for(fill, today))
        return
    if end == FillStatus.ON_HOLD:
        steps.hold(fill, technician, HOLD_REASON)
        return
    steps.approve_data(fill, pharmacist, gather.checks_for(fill, today), acknowledged=True)
    if end == FillStatus.FILL:
        return
    product = fill.prescription.product
    steps.record_filling(fill, technician, scan=product.ndc, lot=_lot(product, today))
    if end == FillStatus.FINAL_VERIFY:
        return
    steps.approve_final(fill, pharmacist, scan=product.ndc)
    if end == FillStatus.PICKED_UP:
        steps.hand_out(
            fill,
            technician,
            picked_up_by=fill.patient.full_name,
            relationship="patient",
            counseling_offered=True,
            counseling_accepted=False,
        )


def real_data_reason() -> str | None:
    """Prescriptions on file make a database real: the demo is not loaded into it."""
    return "it already has prescriptions" if Prescription.select().exists() else None


def load() -> str:
    if Fill.select().exists():
        return "prescriptions: fills already present, none added"
    technician, pharmacist = _staff("technician"), _staff("pharmacist")
    calm, allergic = _patients()
    products = _products()
    if not (technician and pharmacist and calm):
        return "prescriptions: no demo staff or patients, none added"
    pharmacy = Pharmacy.current()
    today = local_today(pharmacy.time_zone if pharmacy else None)
    count = 0
    for number, row in enumerate(PRESCRIPTIONS):
        product = products.get(row[0])
        if product is None:
            continue
        fill = _enter(calm[number % len(calm)], product, row, technician, today)
        _take_to(fill, row[6], technician, pharmacist, today)
        count += 1
    if allergic is not None and ALLERGY_CASE[0] in products:
        _enter(allergic, products[ALLERGY_CASE[0]], ALLERGY_CASE, technician, today)
        count += 1
    return f"prescriptions: {count} at every step of the workflow"
