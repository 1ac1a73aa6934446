"""The counseling leaflet: printed for the patient in the patient's language, from what the
portal recorded (the label's words, explicit times, refills, allergies on file), a compound's
beyond-use date, and only a generic missed-dose sentence; opening it is audited."""

from portal.audit.models import AuditEvent
from portal.compounding.records.models import CompoundingRecord
from portal.labels.leaflet import recorded_purpose
from portal.labels.patient_words import label_date
from portal.prescriptions.screening.facts import plain_date
from tests.factories import (
    advance_fill,
    make_allergy,
    make_compound_fill,
    make_fill,
    make_formula,
    make_patient,
    make_prescription,
)


def _ready(language: str = "", allergy_status: str = "nkda", **rx):
    patient = make_patient(preferred_language=language, allergy_status=allergy_status)
    return advance_fill(make_fill(make_prescription(patient=patient, **rx)), "ready")


def _plain(page: str) -> str:
    return page.replace("\u00a0", " ").replace("\u2011", "-")


def test_a_spanish_speaking_patients_leaflet_is_in_spanish(client_as):
    fill = _ready("Spanish", sig="1 cap po bid x10d", refills_authorized=2)
    page = _plain(client_as("technician").get(f"/fills/{fill.id}/leaflet").text)
    assert '<html lang="es">' in page
    assert "Información sobre su medicamento" in page
    assert "Amoxicillin 500 mg" in page  # the drug name unchanged
    # The label's Spanish sig phrases, with explicit times.
    assert "Tome 1 cápsula por vía oral por la mañana y al acostarse durante 10 días" in page
    assert "Pregunte a su farmacéutico qué hacer si olvida una dosis." in page
    until = label_date(fill.prescription.expires_on, "es")
    assert f"Quedan 2 resurtidos, hasta el {until}." in page
    assert "Usted nos dijo que no tiene alergias a medicamentos." in page
    assert (
        "Llámenos si tiene alguna pregunta: Elm Street Compounding Pharmacy, (217) 555-0142."
        in page
    )
    assert "About your medicine" not in page and "Ask your pharmacist" not in page
    events = AuditEvent.select().where(AuditEvent.note == "counseling leaflet printed")
    assert [(e.entity, e.entity_id) for e in events] == [("fill", str(fill.id))]


def test_an_english_leaflet_with_allergies_on_file_and_no_refills(client_as):
    fill = _ready(allergy_status="not_asked")
    make_allergy(fill.patient, allergen="Penicillin", kind="text", reaction="hives")
    page = _plain(client_as("pharmacist").get(f"/fills/{fill.id}/leaflet").text)
    assert '<html lang="en">' in page and "About your medicine" in page
    assert f"For {fill.patient.full_name}" in page
    assert (
        "Take 1 capsule by mouth in the morning, at midday and in the evening for 10 days" in page
    )
    assert "Penicillin (hives)" in page and "Tell us if this list is wrong" in page
    assert "No refills." in page and "send us a new prescription" in page
    assert "Ask your pharmacist what to do if you miss a dose." in page
    assert "What it is for" not in page  # nothing recorded, nothing said


def test_what_it_is_for_only_when_the_sig_records_it(client_as):
    fill = _ready(allergy_status="not_asked", sig="1 cap po q6h prn pain", quantity=20)
    page = _plain(client_as("technician").get(f"/fills/{fill.id}/leaflet").text)
    assert "What it is for</h2>\n      <p>pain</p>" in page
    assert "We have no allergy information for you." in page
    assert recorded_purpose("1-2 tabs po q4-6h prn severe itching, max 8/day") == "severe itching"
    assert recorded_purpose("1 tab po prn") == ""
    assert recorded_purpose("1 tab po daily") == ""


def test_hand_written_directions_stay_english_and_the_leaflet_says_why(client_as):
    fill = _ready("Spanish")
    rx = fill.prescription
    rx.directions = "Take 1 capsule by mouth with breakfast"  # changed by hand at data entry
    rx.save()
    page = _plain(client_as("technician").get(f"/fills/{fill.id}/leaflet").text)
    assert "Take 1 capsule by mouth with breakfast" in page
    assert "Estas instrucciones están en inglés, tal como se escribieron." in page


def test_a_compounds_leaflet_has_its_beyond_use_date_and_cautions(client_as):
    formula = make_formula(approved_by=True, auxiliary_labels="For external use only")
    patient = make_patient(preferred_language="Spanish", allergy_status="nkda")
    fill = advance_fill(make_compound_fill(formula, patient=patient), "ready")
    bud = CompoundingRecord.latest_for_fill(fill).beyond_use_date
    page = _plain(client_as("technician").get(f"/fills/{fill.id}/leaflet").text)
    assert f"No usar después de: {label_date(bud, 'es')}" in page
    assert "No lo use después de esta fecha." in page
    assert "Solo para uso externo" in page  # the label's caution, translated as it prints
    assert "Guarde en el refrigerador (2–8 °C)" in page  # the record's storage, likewise
    assert "Hydrocortisone 2.5%" in page
    english = make_compound_fill(make_formula(approved_by=True))
    english = advance_fill(english, "ready")
    page = _plain(client_as("technician").get(f"/fills/{english.id}/leaflet").text)
    bud = CompoundingRecord.latest_for_fill(english).beyond_use_date
    assert f"Beyond-use date: {plain_date(bud)}" in page


def test_no_leaflet_before_the_final_check_and_links_where_staff_hand_it_out(client_as):
    technician = client_as("technician")
    waiting = make_fill()
    response = technician.get(f"/fills/{waiting.id}/leaflet")
    assert response.status_code == 302
    assert "its counseling leaflet prints once" in technician.get(response.location).text
    assert not AuditEvent.select().where(AuditEvent.note == "counseling leaflet printed").exists()
    ready = _ready()
    link = f'href="/fills/{ready.id}/leaflet"'
    assert link in technician.get(f"/fills/{ready.id}/pickup").text
    advance_fill(ready, "picked_up")
    assert link in technician.get(f"/fills/{ready.id}").text
