"""Patients, allergies, payers and coverages."""

import itertools
from datetime import date

from portal.patients.models import Allergy, Coverage, Patient, Payer

__all__ = ["make_patient", "make_allergy", "make_payer", "make_coverage"]

_numbers = itertools.count(1)


def make_patient(**fields) -> Patient:
    """A patient; unique name per call unless given."""
    number = next(_numbers)
    values = {
        "last_name": f"Testpatient{number}",
        "first_name": "Alex",
        "date_of_birth": date(1960, 1, 2),
        "sex": "F",
        "address_line1": "12 Maple Avenue",
        "city": "Springfield",
        "state": "IL",
        "postal_code": "62701",
        "phone": f"(217) 555-{number % 10000:04d}",
    }
    values.update(fields)
    return Patient.create(**values)


def make_allergy(patient: Patient, allergen="sulfonamides", kind="class", **fields) -> Allergy:
    """An allergy; the patient's status becomes has_allergies, as the allergy form does."""
    values = {"reaction": "hives", "severity": "moderate"}
    values.update(fields)
    allergy = Allergy.create(patient=patient, allergen=allergen, kind=kind, **values)
    if patient.allergy_status != "has_allergies":
        patient.allergy_status = "has_allergies"
        patient.save()
    return allergy


def make_payer(**fields) -> Payer:
    number = next(_numbers)
    values = {
        "name": f"Test Health Plan {number}",
        "code": f"TEST{number}",
        "bin": "610014",
        "pcn": "MEDDPRIME",
        "processor": "Express Scripts",
        "phone": "(800) 555-0100",
    }
    values.update(fields)
    return Payer.create(**values)


def make_coverage(patient: Patient, payer: Payer | None = None, **fields) -> Coverage:
    payer = payer or make_payer()
    values = {
        "bin": payer.bin,
        "pcn": payer.pcn,
        "group_number": "RX1234",
        "member_id": f"ZX{next(_numbers):09d}",
        "person_code": "01",
        "relationship": "1",
        "rank": "primary",
    }
    values.update(fields)
    return Coverage.create(patient=patient, payer=payer, **values)
