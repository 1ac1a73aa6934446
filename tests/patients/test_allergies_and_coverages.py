"""Allergies keep the patient's allergy status honest; coverages and payers are audited."""

from datetime import date

from portal.audit.models import AuditEvent
from portal.patients.models import Allergy, Coverage, Patient, Payer
from tests.factories import (
    make_allergy,
    make_coverage,
    make_ingredient,
    make_patient,
    make_payer,
)


def last_event(entity):
    return (
        AuditEvent.select().where(AuditEvent.entity == entity).order_by(AuditEvent.id.desc()).get()
    )


def reload(patient):
    return Patient.get_by_id(patient.id)


def test_adding_an_allergy_sets_has_allergies_and_is_audited(client_as):
    patient = make_patient()
    client = client_as("technician")
    response = client.post(
        f"/patients/{patient.id}/allergies/new",
        data={"allergen": "NSAIDs", "kind": "class", "reaction": "GI bleed", "severity": "severe"},
    )
    assert response.status_code == 302
    [allergy] = patient.allergies
    assert (allergy.allergen, allergy.kind, allergy.severity) == ("NSAIDs", "class", "severe")
    assert allergy.recorded_by_id == client.user.id
    assert reload(patient).allergy_status == "has_allergies"
    event = last_event("allergy")
    assert event.action == "create" and event.patient_id == patient.id


def test_the_same_allergen_twice_is_refused(client_as):
    patient = make_patient()
    make_allergy(patient, "Sulfonamides")
    page = client_as("technician").post(
        f"/patients/{patient.id}/allergies/new",
        data={"allergen": "sulfonamides", "kind": "class", "severity": "mild"},
    )
    assert "sulfonamides is already recorded." in page.text
    assert patient.allergies.count() == 1


def test_allergy_form_suggests_known_classes_and_catalog_ingredients(client_as):
    patient = make_patient()
    make_ingredient(name="Methylparaben", allergen_classes="parabens, nsaids, azo dyes")
    page = client_as("technician").get(f"/patients/{patient.id}/allergies/new")
    assert '<option value="sulfonamides">' in page.text
    assert '<option value="Methylparaben">' in page.text
    assert '<option value="azo dyes">' in page.text
    assert page.text.count('<option value="parabens">') == 1
    assert '<option value="nsaids">' not in page.text  # NSAIDs is already offered


def test_nkda_is_refused_while_allergies_are_recorded(client_as):
    patient = make_patient()
    make_allergy(patient)
    client = client_as("technician")
    page = client.post(
        f"/patients/{patient.id}/allergy-status", data={"status": "nkda"}, follow_redirects=True
    )
    assert "Not marked as no known drug allergies" in page.text
    assert reload(patient).allergy_status == "has_allergies"


def test_marking_nkda_is_audited(client_as):
    patient = make_patient()
    client_as("technician").post(f"/patients/{patient.id}/allergy-status", data={"status": "nkda"})
    assert reload(patient).allergy_status == "nkda"
    assert reload(patient).allergies_reviewed_at is not None
    event = last_event("patient")
    assert event.after_data()["allergy_status"] == "nkda"


def test_removing_the_last_allergy_asks_which_state_is_true(client_as):
    patient = make_patient()
    allergy = make_allergy(patient, "latex", kind="text")
    client = client_as("technician")
    url = f"/patients/{patient.id}/allergies/{allergy.id}/remove"
    assert "With this allergy removed" in client.get(url).text
    page = client.post(url, data={})
    assert "This is the last allergy on record" in page.text
    assert Allergy.select().count() == 1
    response = client.post(url, data={"status_after": "nkda"})
    assert response.status_code == 302
    assert Allergy.select().count() == 0
    assert reload(patient).allergy_status == "nkda"
    deleted = (
        AuditEvent.select()
        .where((AuditEvent.entity == "allergy") & (AuditEvent.action == "delete"))
        .get()
    )
    assert deleted.before_data()["allergen"] == "latex"


def test_removing_one_of_several_keeps_has_allergies(client_as):
    patient = make_patient()
    first = make_allergy(patient, "latex", kind="text")
    make_allergy(patient, "penicillins")
    client = client_as("technician")
    assert (
        "With this allergy removed"
        not in client.get(f"/patients/{patient.id}/allergies/{first.id}/remove").text
    )
    client.post(f"/patients/{patient.id}/allergies/{first.id}/remove", data={})
    assert [a.allergen for a in patient.allergies] == ["penicillins"]
    assert reload(patient).allergy_status == "has_allergies"


def test_editing_an_allergy_is_audited(client_as):
    patient = make_patient()
    allergy = make_allergy(patient, "codeine", kind="ingredient", severity="mild")
    client_as("pharmacist").post(
        f"/patients/{patient.id}/allergies/{allergy.id}/edit",
        data={
            "allergen": "codeine",
            "kind": "ingredient",
            "reaction": "vomiting",
            "severity": "moderate",
        },
    )
    assert Allergy.get_by_id(allergy.id).severity == "moderate"
    event = last_event("allergy")
    assert event.action == "update" and event.after_data() == {
        "reaction": "vomiting",
        "severity": "moderate",
    }


def test_an_allergy_of_another_patient_is_not_found(client_as):
    allergy = make_allergy(make_patient())
    other = make_patient()
    url = f"/patients/{other.id}/allergies/{allergy.id}/remove"
    assert client_as("technician").get(url).status_code == 404


def coverage_data(payer, **changes):
    data = {
        "payer": str(payer.id),
        "bin": "",
        "pcn": "",
        "group_number": "rx42",
        "member_id": "abc123456",
        "person_code": "01",
        "relationship": "1",
        "effective_date": "01/01/2025",
        "termination_date": "",
        "rank": "primary",
        "active": "y",
    }
    data.update(changes)
    return data


def test_coverage_takes_the_payers_bin_and_pcn_when_left_blank(client_as):
    patient = make_patient()
    payer = make_payer(bin="610014", pcn="MEDDPRIME")
    response = client_as("technician").post(
        f"/patients/{patient.id}/coverages/new", data=coverage_data(payer)
    )
    assert response.status_code == 302
    coverage = Coverage.get()
    assert (coverage.bin, coverage.pcn, coverage.member_id) == ("610014", "MEDDPRIME", "ABC123456")
    assert coverage.effective_date == date(2025, 1, 1)
    event = last_event("coverage")
    assert event.action == "create" and event.patient_id == patient.id


def test_bad_coverage_input_gets_a_message_per_field(client_as):
    patient = make_patient()
    payer = make_payer()
    page = client_as("technician").post(
        f"/patients/{patient.id}/coverages/new",
        data=coverage_data(
            payer,
            bin="12345",
            member_id="",
            person_code="1234",
            effective_date="02/01/2025",
            termination_date="01/01/2025",
        ),
    )
    text = page.text
    assert "A BIN is 6 digits." in text
    assert "Enter the member ID from the card." in text
    assert "A person code is up to 3 digits" in text
    assert "The coverage ends before it starts." in text
    assert Coverage.select().count() == 0


def test_two_coverages_in_use_cannot_both_be_primary(client_as):
    patient = make_patient()
    payer = make_payer(name="Heartland Blue")
    make_coverage(patient, payer, rank="primary")
    page = client_as("technician").post(
        f"/patients/{patient.id}/coverages/new", data=coverage_data(make_payer())
    )
    assert "Heartland Blue is already billed as primary." in page.text
    assert Coverage.select().count() == 1


def test_editing_a_coverage_is_audited(client_as):
    patient = make_patient()
    coverage = make_coverage(patient)
    client = client_as("technician")
    url = f"/patients/{patient.id}/coverages/{coverage.id}/edit"
    assert coverage.member_id in client.get(url).text
    client.post(url, data=coverage_data(coverage.payer, member_id="NEW1", active=""))
    stored = Coverage.get_by_id(coverage.id)
    assert stored.member_id == "NEW1" and stored.active is False
    assert last_event("coverage").after_data()["member_id"] == "NEW1"


def test_payers_are_managed_by_managers_and_audited(client_as):
    assert client_as("technician").get("/payers/").status_code == 403
    manager = client_as("manager")
    data = {
        "name": "Prairie Medicare Rx",
        "code": "medrx",
        "bin": "610097",
        "pcn": "9999",
        "processor": "OptumRx",
        "phone": "800-555-0101",
        "active": "y",
    }
    assert manager.post("/payers/new", data=data).status_code == 302
    payer = Payer.get()
    assert payer.code == "MEDRX" and payer.phone == "(800) 555-0101"
    assert last_event("payer").action == "create"
    duplicate = manager.post("/payers/new", data=dict(data, name="Other"))
    assert "Another payer already uses the code MEDRX." in duplicate.text
    manager.post(f"/payers/{payer.id}/edit", data=dict(data, bin="123456"))
    assert Payer.get_by_id(payer.id).bin == "123456"
    assert last_event("payer").after_data() == {"bin": "123456"}
    assert "Prairie Medicare Rx" in manager.get("/payers/").text
