"""The pickup of a controlled fill records who took it as the PMP report carries it (ASAP
4.2A AIR06-AIR08: relationship, last and first name; AIR03 the state that issued a C-II
collector's ID), audited with the move; AIR09/AIR10 name the pharmacist; the daily
file sends it; a remainder of a partial fill keeps the refill number of the partial it
continues (DSP06), a remainder being no refill (21 CFR 1306.13)."""

from decimal import Decimal

from portal.audit.models import AuditEvent
from portal.foundation.dates import utcnow
from portal.prescriptions.controlled import partial
from portal.prescriptions.fills.models import Fill
from portal.reports.pmp import asap, gather, submit
from tests.factories import advance_fill, make_fill, make_pharmacy, make_user
from tests.prescriptions.test_partial_fills import _partly_filled
from tests.reports.test_pmp_submissions import _dispensed_c2


def _pickup(client, fill, **data):
    values = {"who": "representative", "counseling": "declined"}
    values.update(data)
    return client.post(f"/fills/{fill.id}/pickup", data=values)


def test_a_caregiver_collecting_a_c2_is_recorded_by_name_and_relationship(client_as):
    make_pharmacy()
    fill = _dispensed_c2(make_user(roles=("pharmacist",), full_name="Paul Okonkwo"))
    technician = client_as("technician")
    page = technician.get(f"/fills/{fill.id}/pickup").text
    assert "Their last name" in page and "Caregiver" in page
    refused = _pickup(technician, fill, representative_first="Sam", id_type="", id_number="")
    assert refused.status_code == 422
    assert "Write the last name of the person picking up." in refused.text
    assert "Choose how they are related to the patient." in refused.text
    assert 'value="Sam"' in refused.text  # what was typed stays
    response = _pickup(
        technician,
        fill,
        representative_last="Lee",
        representative_first="Sam",
        relationship_code="caregiver",
        id_type="driver_license",
        id_number="D1234",
    )
    assert response.status_code == 422  # a driver's license names its state
    assert "Choose the state that issued the ID" in response.text
    assert 'value="D1234"' in response.text
    response = _pickup(
        technician,
        fill,
        representative_last="Lee",
        representative_first="Sam",
        relationship_code="caregiver",
        id_type="driver_license",
        id_number="D1234",
        id_state="UT",
    )
    assert response.status_code == 302, response.text
    stored = Fill.get_by_id(fill.id)
    assert (stored.picked_up_last_name, stored.picked_up_first_name) == ("Lee", "Sam")
    assert stored.picked_up_relationship_code == "caregiver"
    assert (stored.picked_up_by, stored.picked_up_relationship) == ("Sam Lee", "caregiver")
    moved = AuditEvent.select().where(
        (AuditEvent.entity == "fill") & (AuditEvent.entity_id == str(fill.id))
    )
    assert any("picked_up_relationship_code" in (event.after or "") for event in moved)
    assert any('"picked_up_id_state": "UT"' in (event.after or "") for event in moved)
    assert stored.picked_up_id_state == "UT"
    made = submit.make_file(stored.filled_on, now=utcnow())
    [air] = [s for s in asap.parse(submit.file_path(made).read_text()) if s[0] == "AIR"]
    # AIR01/AIR02 (a state serialized Rx form) empty, AIR03 the ID's state, AIR09/AIR10
    # the pharmacist who did final verification.
    assert air[1:4] == ["", "", "UT"]
    assert air[4:9] == ["06", "D1234", "04", "LEE", "SAM"]
    assert air[9:12] == ["OKONKWO", "PAUL", "02"]


def test_the_patient_collecting_a_controlled_fill_is_sent_as_the_patient(client_as):
    make_pharmacy()
    fill = _dispensed_c2()
    technician = client_as("technician")
    response = _pickup(
        technician, fill, who="patient", id_type="state_id", id_number="S99", id_state="NV"
    )
    assert response.status_code == 302, response.text
    stored = Fill.get_by_id(fill.id)
    patient = stored.patient
    assert stored.picked_up_relationship_code == "patient"
    assert stored.picked_up_last_name == patient.last_name
    [record] = gather.records([gather.fills_by_id([fill.id])[fill.id]])
    assert record.picked_up_relationship == "patient"
    assert record.picked_up_last == patient.last_name


def test_a_non_controlled_pickup_keeps_one_name_and_free_relationship(client_as):
    make_pharmacy()
    fill = advance_fill(make_fill(), "ready")
    technician = client_as("technician")
    page = technician.get(f"/fills/{fill.id}/pickup").text
    assert "Their last name" not in page and "Their name" in page
    response = _pickup(technician, fill, representative_name="Sam Lee", relationship="neighbour")
    assert response.status_code == 302
    stored = Fill.get_by_id(fill.id)
    assert stored.picked_up_relationship_code == "" and stored.picked_up_last_name == ""


def test_a_remainder_keeps_the_refill_number_of_the_partial_it_continues(app):
    fill, _, _ = _partly_filled()  # a C-II: 10 of 30 dispensed and picked up
    technician = make_user(roles=("technician",))
    pharmacist = make_user(roles=("pharmacist",))
    remainder = partial.open_remainder(
        fill, technician, quantity=Decimal(10), now=partial.local_now()
    )
    advance_fill(
        Fill.get_by_id(remainder.id), "ready", pharmacist=pharmacist, technician=technician
    )
    remainder = Fill.get_by_id(remainder.id)
    assert remainder.fill_number == fill.fill_number + 1  # the portal's own numbering
    first_record, remainder_record = gather.records([Fill.get_by_id(fill.id), remainder])
    assert (first_record.fill_number, first_record.partial) == (0, 1)
    assert (remainder_record.fill_number, remainder_record.partial) == (0, 2)


def test_a_passport_needs_no_issuing_state(client_as):
    make_pharmacy()
    fill = _dispensed_c2()
    technician = client_as("technician")
    response = _pickup(technician, fill, who="patient", id_type="passport", id_number="P77")
    assert response.status_code == 302, response.text
    assert Fill.get_by_id(fill.id).picked_up_id_state == ""


def test_an_account_without_its_names_apart_is_split_from_the_full_name():
    assert gather.name_parts("Paul Okonkwo") == ("Okonkwo", "Paul")
    assert gather.name_parts("Mary Ann Lee") == ("Lee", "Mary Ann")
    assert gather.name_parts("Priya") == ("Priya", "")
    assert gather.name_parts("") == ("", "")
    assert gather.pharmacist_name(None) == ("", "")


def test_the_pharmacists_last_and_first_name_are_sent_as_kept(app):
    pharmacist = make_user(roles=("pharmacist",), full_name="Maria de la Cruz")
    assert gather.pharmacist_name(pharmacist) == ("Cruz", "Maria de la")  # the old guess
    pharmacist.last_name, pharmacist.first_name = "de la Cruz", "Maria"
    assert gather.pharmacist_name(pharmacist) == ("de la Cruz", "Maria")
