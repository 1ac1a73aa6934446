"""The demo pharmacy's first part: the pharmacy, staff for every role with the demo
passwords and PINs below (README "Try it"), payers and ~30 patients with allergies and
coverages. `flask --app portal demo load` (portal.foundation.demo) runs it first, then the
loaders of the areas above; any patient, or more than one user (the setup administrator
alone is fine), makes a database "real" and the demo is refused."""

import random
from datetime import date, timedelta

from portal.audit import log as audit
from portal.auth.models import User
from portal.auth.passwords import hash_secret, lookup_digest
from portal.foundation.dates import local_today, utcnow
from portal.patients import sample_data
from portal.patients.models import Allergy, Coverage, Patient, Payer
from portal.pharmacy.models import Pharmacy

# Demo only: printed by the command and listed in the README; never on real data.
DEMO_PASSWORD = "mortar-demo-2024"  # noqa: S105

# (username, full name, roles, PIN): documented in README under "Try it".
DEMO_STAFF = (
    ("tina", "Tina Tran", "technician", "1111"),
    ("theo", "Theo Baker", "technician", "1112"),
    ("paul", "Paul Patel", "pharmacist", "2222"),
    ("priya", "Priya Shah", "pharmacist", "2223"),
    ("maria", "Maria Moreno", "manager", "3333"),
    ("adam", "Adam Alvarez", "admin", "4444"),
)

DEMO_PHARMACY = {
    "name": "Maple Street Pharmacy (demo)",
    "address_line1": "120 Maple Street",
    "city": "Springfield",
    "state": "IL",
    "postal_code": "62701",
    "phone": "(217) 555-0142",
    "fax": "(217) 555-0143",
    "npi": "1234567893",
    "ncpdp_id": "1456789",
    "dea": "FM1234563",
    "time_zone": "America/Chicago",
}

# Showcase patients: the ones the README's "Try it" walks through.
SHOWCASE = (
    (
        "Smith",
        "John",
        "A",
        date(1960, 1, 2),
        "M",
        "(217) 555-0110",
        [
            ("sulfonamides", "class", "hives", "severe"),
            ("NSAIDs", "class", "GI bleeding", "severe"),
        ],
    ),
    (
        "Garcia",
        "Maria",
        "",
        date(1978, 6, 14),
        "F",
        "(217) 555-0111",
        [("parabens", "class", "contact dermatitis", "moderate")],
    ),
    ("Nguyen", "Mei", "", date(1991, 11, 3), "F", "(217) 555-0112", "nkda"),
    ("Brown", "Robert", "L", date(1947, 3, 29), "M", "(217) 555-0113", "not_asked"),
    (
        "O'Brien",
        "Kathleen",
        "",
        date(1985, 9, 9),
        "F",
        "(217) 555-0114",
        [("penicillins", "class", "anaphylaxis", "severe"), ("latex", "text", "hives", "moderate")],
    ),
)


def real_data_reason() -> str | None:
    """Why this database must not get demo data, or None when it is empty enough."""
    if Patient.select().exists():
        return "it already has patients"
    if User.select().count() > 1:
        return "it already has more than one user"
    return None


def _create(model, entity: str, patient_id=None, **values):
    row = model.create(**values)
    if entity == "patient":
        patient_id = row.id
    audit.record(
        "create", entity, row.id, after=audit.snapshot(row), patient_id=patient_id, note="demo data"
    )
    return row


def _staff() -> list[str]:
    lines = []
    for username, full_name, roles, pin in DEMO_STAFF:
        if User.select().where(User.username == username).exists():
            continue
        _create(
            User,
            "user",
            username=username,
            full_name=full_name,
            initials="".join(part[0] for part in full_name.split()),
            roles=roles,
            password_hash=hash_secret(DEMO_PASSWORD),
            pin_hash=hash_secret(pin),
            pin_lookup=lookup_digest("pin", pin),
        )
        lines.append(f"  {username:7} {roles:11} password {DEMO_PASSWORD}  PIN {pin}")
    return lines


def _add_allergies(patient: Patient, allergies) -> None:
    for allergen, kind, reaction, severity in allergies:
        _create(
            Allergy,
            "allergy",
            patient.id,
            patient=patient,
            allergen=allergen,
            kind=kind,
            reaction=reaction,
            severity=severity,
        )
    patient.allergy_status = "has_allergies"
    patient.allergies_reviewed_at = utcnow()
    patient.save()


def _add_coverage(rng: random.Random, patient: Patient, payer: Payer, rank: str, today) -> None:
    _create(
        Coverage,
        "coverage",
        patient.id,
        patient=patient,
        payer=payer,
        bin=payer.bin,
        pcn=payer.pcn,
        group_number=f"RX{rng.randrange(1000, 9999)}",
        member_id=f"{payer.code[:2]}{rng.randrange(10**8, 10**9)}",
        person_code="01",
        relationship="1",
        effective_date=date(today.year, 1, 1),
        rank=rank,
    )


def _patients(rng: random.Random, payers: list[Payer], today) -> int:
    count = 0
    for last, first, middle, born, sex, phone, allergies in SHOWCASE:
        patient = _create(
            Patient,
            "patient",
            None,
            last_name=last,
            first_name=first,
            middle_name=middle,
            date_of_birth=born,
            sex=sex,
            phone=phone,
            address_line1=f"{rng.randrange(10, 999)} Oak Street",
            city="Springfield",
            state="IL",
            postal_code="62704",
        )
        if isinstance(allergies, list):
            _add_allergies(patient, allergies)
        elif allergies == "nkda":
            patient.allergy_status, patient.allergies_reviewed_at = "nkda", utcnow()
            patient.save()
        _add_coverage(rng, patient, payers[count % len(payers)], "primary", today)
        count += 1
    for number in range(25):
        values = sample_data.patient_values(rng, today, number)
        for key in ("last_name_key", "first_name_key", "phone_digits", "alt_phone_digits"):
            values.pop(key)
        patient = _create(Patient, "patient", None, **values)
        drawn = sample_data.allergy_draw(rng)
        if drawn:
            _add_allergies(patient, drawn)
        elif rng.random() < 0.7:
            patient.allergy_status, patient.allergies_reviewed_at = "nkda", utcnow()
            patient.save()
        if rng.random() < 0.85:
            _add_coverage(rng, patient, rng.choice(payers), "primary", today)
            if rng.random() < 0.2:
                _add_coverage(rng, patient, rng.choice(payers), "secondary", today)
        count += 1
    return count


def load(seed: int = 4) -> list[str]:
    """The demo pharmacy, its staff, payers and patients (the first loader of `demo load`,
    inside its transaction); returns lines to print."""
    rng = random.Random(seed)
    pharmacy = Pharmacy.current()
    if pharmacy is None:
        pharmacy = _create(Pharmacy, "pharmacy", **DEMO_PHARMACY)
    today = local_today(pharmacy.time_zone)
    lines = [f"Demo pharmacy: {pharmacy.name}", "Staff (sign in with username + password):"]
    lines += _staff()
    payers = [
        _create(
            Payer, "payer", name=name, code=code, bin=bin_, pcn=pcn, processor=proc, phone=phone
        )
        for name, code, bin_, pcn, proc, phone in sample_data.PAYERS
    ]
    count = _patients(rng, payers, today - timedelta(days=1))
    lines.append(f"{count} patients, {len(payers)} payers")
    return lines
