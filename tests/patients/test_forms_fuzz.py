"""Hypothesis over every patient-area form: any input gives a page or a redirect, never a
500, and nothing is written unless the form was accepted."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from portal.audit.models import AuditEvent
from portal.patients.models import Allergy, Coverage, Patient, Payer
from tests.factories import make_allergy, make_coverage, make_patient, make_payer

FUZZ = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

# Any text a browser could send (no lone surrogates: they cannot be encoded), short and huge.
ANY_TEXT = st.one_of(
    st.text(st.characters(blacklist_categories=("Cs",)), max_size=40),
    st.text(st.characters(blacklist_categories=("Cs",)), min_size=200, max_size=3000),
    st.sampled_from(
        [
            "",
            " ",
            "\x00",
            "0",
            "-1",
            "99999999999999999999",
            "<script>",
            "1/2/1960",
            "2/30/1960",
            "(217) 555-0142",
            "610014",
            "F",
            "nkda",
            "class",
            "1",
        ]
    ),
)


def plausible(*values):
    """A field's likely values mixed with anything at all, so some posts succeed."""
    return st.one_of(st.sampled_from(values), ANY_TEXT)


def written():
    return (
        AuditEvent.select().count(),
        Patient.select().count(),
        Allergy.select().count(),
        Coverage.select().count(),
        Payer.select().count(),
    )


def post_and_check(client, url, data):
    before = written()
    response = client.post(url, data=data)
    assert response.status_code in (200, 302, 303), response.status_code
    if response.status_code == 200:
        assert written() == before, "a refused form wrote something"
    return response


PATIENT_FIELDS = st.fixed_dictionaries(
    {
        "last_name": plausible("Smith", "O'Brien-Núñez"),
        "first_name": plausible("John", "Zoë"),
        "middle_name": ANY_TEXT,
        "date_of_birth": plausible("1/2/1960", "1960-01-02", "01/02/60"),
        "sex": plausible("F", "M", "X", "U"),
        "phone": plausible("217-555-0142", ""),
        "alt_phone": plausible(""),
        "email": plausible("", "a@b.co"),
        "address_line1": ANY_TEXT,
        "address_line2": ANY_TEXT,
        "city": ANY_TEXT,
        "state": plausible("", "IL"),
        "postal_code": plausible("", "62701", "62701-1234"),
        "preferred_language": ANY_TEXT,
        "notes": ANY_TEXT,
        "confirm_different": plausible("y", ""),
    }
)


@pytest.fixture
def clerk(client_as):
    return client_as("technician", "manager")


@FUZZ
@given(data=PATIENT_FIELDS)
def test_new_patient_form_never_fails(clerk, data):
    post_and_check(clerk, "/patients/new", data)


@FUZZ
@given(data=PATIENT_FIELDS)
def test_edit_patient_form_never_fails(clerk, data):
    patient = Patient.select().first() or make_patient()
    post_and_check(clerk, f"/patients/{patient.id}/edit", data)


@FUZZ
@given(
    data=st.fixed_dictionaries(
        {
            "allergen": plausible("sulfonamides", "peanut oil"),
            "kind": plausible("class", "ingredient", "text"),
            "reaction": ANY_TEXT,
            "severity": plausible("mild", "moderate", "severe", "unknown"),
        }
    )
)
def test_allergy_form_never_fails(clerk, data):
    patient = Patient.select().first() or make_patient()
    post_and_check(clerk, f"/patients/{patient.id}/allergies/new", data)
    allergy = patient.allergies.first() or make_allergy(patient, "latex", kind="text")
    post_and_check(clerk, f"/patients/{patient.id}/allergies/{allergy.id}/edit", data)


@FUZZ
@given(status=plausible("nkda", "not_asked", "has_allergies"), after=plausible("nkda", "not_asked"))
def test_allergy_status_and_removal_never_fail(clerk, status, after):
    patient = make_patient()
    allergy = make_allergy(patient, "latex", kind="text")
    response = clerk.post(f"/patients/{patient.id}/allergy-status", data={"status": status})
    assert response.status_code in (302, 400)
    post_and_check(
        clerk, f"/patients/{patient.id}/allergies/{allergy.id}/remove", {"status_after": after}
    )


@FUZZ
@given(
    data=st.fixed_dictionaries(
        {
            "payer": plausible("1", "2", "0", ""),
            "bin": plausible("", "610014"),
            "pcn": plausible("", "ADV"),
            "group_number": plausible("", "RX42"),
            "member_id": plausible("ZX123456789"),
            "person_code": plausible("", "01"),
            "relationship": plausible("1", "2", "3", "4"),
            "effective_date": plausible("", "01/01/2025"),
            "termination_date": plausible("", "12/31/2026"),
            "rank": plausible("primary", "secondary"),
            "active": plausible("y", ""),
        }
    )
)
def test_coverage_form_never_fails(clerk, data):
    patient = make_patient()
    if not Payer.select().exists():
        make_payer()
        make_payer()
    post_and_check(clerk, f"/patients/{patient.id}/coverages/new", data)
    coverage = make_coverage(patient, Payer.select().first(), rank="secondary")
    post_and_check(clerk, f"/patients/{patient.id}/coverages/{coverage.id}/edit", data)


@FUZZ
@given(
    data=st.fixed_dictionaries(
        {
            "name": plausible("Heartland Blue"),
            "code": plausible("HBLUE", "medrx"),
            "bin": plausible("003858"),
            "pcn": plausible("", "A4"),
            "processor": ANY_TEXT,
            "phone": plausible("", "800-555-0102"),
            "active": plausible("y", ""),
        }
    )
)
def test_payer_form_never_fails(clerk, data):
    post_and_check(clerk, "/payers/new", data)
    payer = Payer.select().first() or make_payer()
    post_and_check(clerk, f"/payers/{payer.id}/edit", data)


@FUZZ
@given(q=ANY_TEXT)
def test_search_never_fails(clerk, q):
    make_patient(last_name="Smith") if not Patient.select().exists() else None
    for headers in ({}, {"HX-Request": "true"}):
        response = clerk.get("/patients/search", query_string={"q": q}, headers=headers)
        assert response.status_code == 200
