"""Adding, viewing and editing patients: duplicates first, every change and view audited."""

from datetime import date

from portal.audit.models import AuditEvent
from portal.patients.history import HistoryRow, register_history_provider
from portal.patients.models import Patient
from tests.factories import make_allergy, make_coverage, make_patient

NEW = {
    "last_name": "Rivera",
    "first_name": "Ana",
    "middle_name": "",
    "date_of_birth": "3/4/1975",
    "sex": "F",
    "phone": "217.555.0123",
    "alt_phone": "",
    "email": "",
    "address_line1": "5 Cedar Lane",
    "address_line2": "",
    "city": "Springfield",
    "state": "IL",
    "postal_code": "62704",
    "preferred_language": "Spanish",
    "notes": "",
}


def events(entity, action=None):
    query = AuditEvent.select().where(AuditEvent.entity == entity)
    if action:
        query = query.where(AuditEvent.action == action)
    return list(query.order_by(AuditEvent.id))


def test_new_patient_is_saved_normalised_and_audited(client_as):
    client = client_as("technician")
    response = client.post("/patients/new", data=NEW)
    assert response.status_code == 302
    patient = Patient.get(Patient.last_name == "Rivera")
    assert patient.date_of_birth == date(1975, 3, 4)
    assert patient.phone == "(217) 555-0123"
    assert patient.allergy_status == "not_asked"
    [event] = events("patient", "create")
    assert event.patient_id == patient.id and event.user_id == client.user.id
    assert event.after_data()["last_name"] == "Rivera"


def test_bad_input_names_each_field_keeps_what_was_typed_and_saves_nothing(client_as):
    client = client_as("technician")
    bad = dict(NEW, last_name="", date_of_birth="13/45/1975", phone="555", postal_code="6270")
    page = client.post("/patients/new", data=bad)
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "Enter the last name." in text
    assert "Enter a real date as MM/DD/YYYY" in text
    assert "Enter a 10-digit phone number" in text
    assert "ZIP is 5 digits or ZIP+4." in text
    assert 'value="13/45/1975"' in text and 'value="Spanish"' in text
    assert Patient.select().count() == 0


def test_future_birth_date_is_refused(client_as):
    page = client_as("technician").post("/patients/new", data=dict(NEW, date_of_birth="1/1/2999"))
    assert "The date of birth is in the future." in page.get_data(as_text=True)


def test_likely_duplicate_is_shown_before_saving_then_confirmed(client_as):
    existing = make_patient(last_name="Rivera", first_name="Ana", date_of_birth=date(1975, 3, 4))
    client = client_as("technician")
    page = client.post("/patients/new", data=NEW)
    text = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "Is this someone already on file?" in text
    assert f"/patients/{existing.id}" in text
    assert "This is a different person" in text and 'value="5 Cedar Lane"' in text
    assert Patient.select().count() == 1
    saved = client.post("/patients/new", data=dict(NEW, confirm_different="y"))
    assert saved.status_code == 302
    assert Patient.select().count() == 2
    assert str(existing.id) in events("patient", "create")[-1].note


def test_same_phone_and_birth_date_is_a_likely_duplicate(client_as):
    make_patient(
        last_name="Rivers",
        first_name="Anna",
        date_of_birth=date(1975, 3, 4),
        phone="(217) 555-0123",
    )
    page = client_as("technician").post("/patients/new", data=NEW)
    assert "Rivers, Anna" in page.get_data(as_text=True)


def test_new_patient_form_starts_from_the_search_text(client_as):
    page = client_as("technician").get("/patients/new?q=rivera%2C+ana+3/4/75")
    text = page.get_data(as_text=True)
    assert 'value="Rivera"' in text and 'value="Ana"' in text and 'value="03/04/1975"' in text


def test_viewing_a_patient_shows_allergies_coverages_and_is_audited(client_as):
    patient = make_patient(last_name="Okafor", first_name="Grace")
    make_allergy(patient, "sulfonamides", reaction="hives", severity="severe")
    make_coverage(patient, member_id="ZX123456789")
    client = client_as("pharmacist")
    page = client.get(f"/patients/{patient.id}")
    text = page.get_data(as_text=True)
    assert "Okafor, Grace" in text
    assert "sulfonamides" in text and "Severe" in text and "hives" in text
    assert "ZX123456789" in text
    assert "No fills yet." in text
    [view] = events("patient", "view")
    assert view.patient_id == patient.id and view.user_id == client.user.id


def test_not_asked_and_nkda_read_differently(client_as):
    asked = make_patient(allergy_status="nkda")
    unasked = make_patient()
    client = client_as("technician")
    assert "NKDA — no known drug allergies" in client.get(f"/patients/{asked.id}").text
    assert "Allergies NOT ASKED" in client.get(f"/patients/{unasked.id}").text


def test_medication_history_comes_from_registered_providers_newest_first(client_as, monkeypatch):
    from portal.patients import history

    monkeypatch.setattr(history, "_providers", [])
    patient = make_patient()

    @register_history_provider
    def fills(who, limit):
        return [
            HistoryRow(date(2025, 1, 5), "100001", "Lisinopril 10 mg tablet", "30", 30),
            HistoryRow(date(2025, 3, 5), "100002", "Amoxicillin 500 mg capsule", "21", 7),
        ]

    text = client_as("technician").get(f"/patients/{patient.id}").text
    assert text.index("Amoxicillin") < text.index("Lisinopril")


def test_editing_a_patient_records_only_what_changed(client_as):
    patient = make_patient(last_name="Rivera", first_name="Ana", date_of_birth=date(1975, 3, 4))
    client = client_as("technician")
    form = client.get(f"/patients/{patient.id}/edit").text
    assert 'value="03/04/1975"' in form
    response = client.post(f"/patients/{patient.id}/edit", data=dict(NEW, first_name="Anita"))
    assert response.status_code == 302
    assert Patient.get_by_id(patient.id).first_name_key == "anita"
    [event] = events("patient", "update")
    assert event.before_data()["first_name"] == "Ana"
    assert event.after_data()["first_name"] == "Anita"


def test_missing_patient_is_not_found(client_as):
    assert client_as("technician").get("/patients/999999").status_code == 404
