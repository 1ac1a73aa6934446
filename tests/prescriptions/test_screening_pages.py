"""Screening on the verification pages: the knowledge base's alerts with their sources,
warnings acknowledged, other medications on the profile, and final verification's second look."""

from datetime import date, timedelta
from decimal import Decimal

from portal.audit.models import AuditEvent
from portal.patients.models import OtherMedication
from portal.prescriptions.fills.models import Fill, Verification
from portal.prescriptions.fills.workflow import FillStatus
from portal.prescriptions.screening import gather
from tests.factories import (
    advance_fill,
    make_allergy,
    make_fill,
    make_ingredient,
    make_patient,
    make_prescription,
    make_product,
)


def product(ingredient: str, name: str):
    return make_product(
        ingredients=[make_ingredient(name=ingredient)], name=name, strength="", dosage_form="tablet"
    )


def rx_for(patient, ingredient, name, **fields):
    values = {"sig": "1 tab po qd", "quantity": Decimal(30), "quantity_unit": "tab"}
    values["days_supply"] = 30
    values.update(fields)
    return make_prescription(patient=patient, product=product(ingredient, name), **values)


def test_an_allergy_to_amoxicillin_blocks_ampicillin_on_the_page_with_its_source(client_as):
    patient = make_patient()
    make_allergy(patient, "Amoxicillin", kind="ingredient", reaction="hives")
    fill = make_fill(rx_for(patient, "Ampicillin Trihydrate", "Ampicillin"))
    page = client_as("pharmacist").get(f"/fills/{fill.id}/verify-data")
    assert "BLOCKS" in page.text
    assert "are both Penicillins, and an allergy to one covers the class" in page.text
    assert "Source: FDA Established Pharmacologic Class" in page.text


def test_other_medications_are_added_on_the_profile_audited_and_screened(client_as):
    patient = make_patient(allergy_status="nkda")
    technician = client_as("technician")
    response = technician.post(
        f"/patients/{patient.id}/other-medications/new",
        data={"name": "fluoxetine 20 mg", "note": "from another pharmacy"},
    )
    assert response.status_code == 302
    event = AuditEvent.select().where(AuditEvent.entity == "other_medication").get()
    assert event.action == "create" and event.patient_id == patient.id
    assert "fluoxetine 20 mg" in technician.get(f"/patients/{patient.id}").text

    fill = make_fill(rx_for(patient, "Sertraline Hydrochloride", "Sertraline"))
    pharmacist = client_as("pharmacist")
    page = pharmacist.get(f"/fills/{fill.id}/verify-data")
    assert "fluoxetine 20 mg (other medication on the profile) contains fluoxetine" in page.text
    assert "are both SSRIs" in page.text
    assert "I have read the warnings" in page.text

    refused = pharmacist.post(f"/fills/{fill.id}/verify-data", data={"approve": "Approve"})
    assert "Tick this to say you have read the warnings" in refused.text
    assert Fill.get_by_id(fill.id).status == FillStatus.DATA_VERIFY

    done = pharmacist.post(
        f"/fills/{fill.id}/verify-data", data={"approve": "Approve", "acknowledge": "y"}
    )
    assert done.status_code == 302
    assert Fill.get_by_id(fill.id).status == FillStatus.FILL
    ack = AuditEvent.get(AuditEvent.action == "acknowledge")
    assert "SSRIs" in ack.note and ack.user_id == pharmacist.user.id


def test_removing_an_other_medication_is_audited(client_as):
    patient = make_patient(allergy_status="nkda")
    client = client_as("technician")
    client.post(f"/patients/{patient.id}/other-medications/new", data={"name": "warfarin"})
    [row] = patient.other_medications
    response = client.post(f"/patients/{patient.id}/other-medications/{row.id}/remove")
    assert response.status_code == 302
    assert patient.other_medications.count() == 0
    assert (
        AuditEvent.select()
        .where((AuditEvent.entity == "other_medication") & (AuditEvent.action == "delete"))
        .exists()
    )


def test_an_empty_medication_name_is_refused_in_words(client_as):
    patient = make_patient()
    page = client_as("technician").post(
        f"/patients/{patient.id}/other-medications/new", data={"name": "  ", "note": "kept"}
    )
    assert page.status_code == 200
    assert "Name the medication" in page.text and 'value="kept"' in page.text


def test_opioid_after_a_benzodiazepine_fill_warns_of_the_interaction(client_as):
    patient = make_patient(allergy_status="nkda")
    earlier = make_fill(rx_for(patient, "Alprazolam", "Alprazolam 0.5 mg"))
    advance_fill(earlier, FillStatus.PICKED_UP)
    fill = make_fill(rx_for(patient, "Oxycodone Hydrochloride", "Oxycodone 5 mg"))
    page = client_as("pharmacist").get(f"/fills/{fill.id}/verify-data")
    assert "Major interaction: Oxycodone Hydrochloride with Alprazolam" in page.text
    assert "Source: FDA boxed warning, Aug 2016" in page.text


def test_a_fill_counts_as_taken_for_its_days_supply_plus_the_grace_days(app):
    patient = make_patient(allergy_status="nkda")
    earlier = make_fill(rx_for(patient, "Alprazolam", "Alprazolam 0.5 mg"))
    advance_fill(earlier, FillStatus.PICKED_UP)
    Fill.update(filled_on=date.today() - timedelta(days=35)).where(Fill.id == earlier.id).execute()
    fill = make_fill(rx_for(patient, "Oxycodone Hydrochloride", "Oxycodone 5 mg"))
    assert gather.other_fills(fill, date.today(), grace_days=7)
    assert not gather.other_fills(fill, date.today(), grace_days=0)


def test_final_verification_asks_again_only_for_alerts_new_since_data_verification(client_as):
    patient = make_patient(allergy_status="nkda")
    fill = make_fill(rx_for(patient, "Sildenafil Citrate", "Sildenafil 20 mg"))
    pharmacist = client_as("pharmacist")
    assert pharmacist.post(f"/fills/{fill.id}/verify-data", data={"approve": "A"}).status_code == (
        302
    )
    advance_fill(Fill.get_by_id(fill.id), FillStatus.FINAL_VERIFY)
    page = pharmacist.get(f"/fills/{fill.id}/verify-final")
    assert "Screened again" in page.text and "All clear" in page.text

    pharmacist.post(f"/patients/{patient.id}/other-medications/new", data={"name": "nitroglycerin"})
    page = pharmacist.get(f"/fills/{fill.id}/verify-final")
    assert "New block" in page.text and "Contraindicated interaction" in page.text
    refused = pharmacist.post(f"/fills/{fill.id}/verify-final", data={"approve": "A"})
    assert refused.status_code == 422
    assert "A new screening alert blocks this fill" in refused.text
    assert Fill.get_by_id(fill.id).status == FillStatus.FINAL_VERIFY

    done = pharmacist.post(
        f"/fills/{fill.id}/verify-final",
        data={"approve": "A", "override_reason": "Cardiologist stopped nitroglycerin today"},
    )
    assert done.status_code == 302
    assert Fill.get_by_id(fill.id).status == FillStatus.READY
    final = Verification.get((Verification.fill == fill.id) & (Verification.stage == "final"))
    assert final.block_override_reason.startswith("Cardiologist")
    override = AuditEvent.get(AuditEvent.action == "override")
    assert "final verification" in override.note


def test_final_verification_shows_alerts_decided_at_data_verification_as_reviewed(client_as):
    patient = make_patient()
    make_allergy(patient, "Amoxicillin", kind="ingredient", reaction="hives")
    fill = make_fill(rx_for(patient, "Ampicillin Trihydrate", "Ampicillin"))
    pharmacist = client_as("pharmacist")
    pharmacist.post(
        f"/fills/{fill.id}/verify-data",
        data={"approve": "A", "override_reason": "Tolerated ampicillin in hospital, 2025"},
    )
    advance_fill(Fill.get_by_id(fill.id), FillStatus.FINAL_VERIFY)
    page = pharmacist.get(f"/fills/{fill.id}/verify-final")
    assert "As at data verification" in page.text
    assert '<span class="check-status">Reviewed</span>' in page.text
    assert "BLOCKS" not in page.text
    assert pharmacist.post(f"/fills/{fill.id}/verify-final", data={"approve": "A"}).status_code == (
        302
    )


def test_an_other_medication_no_one_knows_is_flagged_when_added(client_as):
    patient = make_patient(allergy_status="nkda")
    client = client_as("technician")
    page = client.post(
        f"/patients/{patient.id}/other-medications/new",
        data={"name": "Brainboost 500 mg"},
        follow_redirects=True,
    )
    assert "“Brainboost 500 mg” is not a drug Mortar knows" in page.text
    page = client.post(
        f"/patients/{patient.id}/other-medications/new",
        data={"name": "sertraline 50 mg"},
        follow_redirects=True,
    )
    assert "is not a drug Mortar knows" not in page.text


def test_a_wrong_product_is_named_even_while_a_new_alert_waits(client_as):
    patient = make_patient(allergy_status="nkda")
    drug = make_product(
        ingredients=[make_ingredient(name="Sildenafil Citrate")],
        name="Sildenafil",
        strength="20 mg",
    )
    fill = make_fill(make_prescription(patient=patient, product=drug))
    pharmacist = client_as("pharmacist")
    pharmacist.post(f"/fills/{fill.id}/verify-data", data={"approve": "A"})
    advance_fill(Fill.get_by_id(fill.id), FillStatus.FINAL_VERIFY)
    Fill.update(dispensed_ndc=drug.ndc).where(Fill.id == fill.id).execute()
    pharmacist.post(f"/patients/{patient.id}/other-medications/new", data={"name": "nitroglycerin"})
    refused = pharmacist.post(
        f"/fills/{fill.id}/verify-final", data={"approve": "A", "scan": "00000000000"}
    )
    assert refused.status_code == 422
    assert "A new screening alert blocks this fill" in refused.text
    assert "Wrong product" in refused.text
    assert AuditEvent.select().where(AuditEvent.action == "scan_mismatch").count() == 1


def test_changing_an_other_medication_is_audited_and_screened_as_changed(client_as):
    patient = make_patient(allergy_status="nkda")
    client = client_as("technician")
    client.post(f"/patients/{patient.id}/other-medications/new", data={"name": "warfarin"})
    client.post(f"/patients/{patient.id}/other-medications/new", data={"name": "aspirin 81 mg"})
    row = patient.other_medications.order_by(OtherMedication.id).first()
    url = f"/patients/{patient.id}/other-medications/{row.id}/edit"
    assert "Change warfarin" in client.get(url).text
    taken = client.post(url, data={"name": "Aspirin 81 mg", "note": "daily"})
    assert taken.status_code == 200 and "already on the list" in taken.text
    assert 'value="daily"' in taken.text  # what was typed is kept
    done = client.post(url, data={"name": "apixaban 5 mg", "note": "from another pharmacy"})
    assert done.status_code == 302
    assert OtherMedication.get_by_id(row.id).name == "apixaban 5 mg"
    change = AuditEvent.get(
        (AuditEvent.entity == "other_medication") & (AuditEvent.action == "update")
    )
    assert "warfarin" in change.before and "apixaban" in change.after
    page = client.get(f"/patients/{patient.id}").text
    assert "apixaban 5 mg" in page and "Change<span" in page
