"""Patient rows keep their search keys in step; duplicates and coverages in effect."""

from datetime import date

from portal.patients.models import Coverage, Patient
from tests.factories import make_coverage, make_patient, make_payer


def test_saving_a_patient_keeps_name_and_phone_keys(app):
    patient = make_patient(last_name="O'Brien-Núñez", first_name="Zoë", phone="1-217-555-0142")
    stored = Patient.get_by_id(patient.id)
    assert stored.last_name_key == "obrien nunez"
    assert stored.first_name_key == "zoe"
    assert stored.phone_digits == "2175550142"


def test_likely_duplicates_match_name_and_dob_or_phone_and_dob(app):
    first = make_patient(last_name="Smith", first_name="John", phone="217-555-0100")
    make_patient(last_name="Smith", first_name="John", date_of_birth=date(1970, 5, 5))
    by_name = Patient.likely_duplicates("SMITH", "john", date(1960, 1, 2))
    by_phone = Patient.likely_duplicates("Smyth", "Jon", date(1960, 1, 2), phones=["2175550100"])
    assert [p.id for p in by_name] == [first.id]
    assert [p.id for p in by_phone] == [first.id]
    assert Patient.likely_duplicates("Smith", "John", date(1999, 1, 1)) == []


def test_billable_coverages_are_active_and_in_date_primary_first(app):
    patient = make_patient()
    payer = make_payer()
    secondary = make_coverage(patient, payer, rank="secondary")
    primary = make_coverage(patient, payer, rank="primary")
    make_coverage(patient, payer, termination_date=date(2020, 12, 31))
    make_coverage(patient, payer, active=False)
    billable = Coverage.billable_for(patient, date(2025, 3, 1))
    assert [c.id for c in billable] == [primary.id, secondary.id]
