"""The intake screen: saving for later, sending to the pharmacist, messages, scans, lookups."""

import io
from datetime import date, timedelta

from portal.audit.models import AuditEvent
from portal.prescriptions.fills.models import Fill
from portal.prescriptions.models import Prescription, PrescriptionImage
from tests.factories import (
    make_allergy,
    make_fill,
    make_formula,
    make_patient,
    make_prescriber,
    make_prescription,
    make_product,
    make_user,
)

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def _complete(patient, prescriber, product, **changes):
    data = {
        "patient_id": str(patient.id),
        "prescriber_id": str(prescriber.id),
        "drug": f"product:{product.id}",
        "sig": "1 cap po bid x10d",
        "quantity": "20",
        "quantity_unit": "cap",
        "days_supply": "10",
        "refills_authorized": "1",
        "daw": "0",
        "written_on": (date.today() - timedelta(days=2)).strftime("%m/%d/%Y"),
        "origin": "fax",
        "priority": "waiting",
        "notes": "",
        "send": "Send to pharmacist",
    }
    data.update(changes)
    return data


def test_sending_a_complete_prescription_puts_it_at_data_verification(client_as):
    technician = client_as("technician")
    patient, prescriber, product = make_patient(), make_prescriber(), make_product()
    response = technician.post(
        "/prescriptions/new", data=_complete(patient, prescriber, product), follow_redirects=True
    )
    assert response.status_code == 200
    assert "Rx 100001" in response.text and "sent to the pharmacist" in response.text
    rx = Prescription.get(Prescription.rx_number == 100001)
    assert rx.directions == "Take 1 capsule by mouth twice daily for 10 days"
    assert rx.expires_on == rx.written_on + timedelta(days=365)
    fill = rx.fills.get()
    assert (fill.status, fill.priority, fill.entered_by_id) == (
        "data_verify",
        "waiting",
        technician.user.id,
    )
    assert (
        AuditEvent.select()
        .where((AuditEvent.entity == "prescription") & (AuditEvent.action == "create"))
        .exists()
    )


def test_saving_for_later_needs_only_the_patient_and_waits_in_intake(client_as):
    technician = client_as("technician")
    patient = make_patient()
    response = technician.post(
        "/prescriptions/new",
        data={"patient_id": str(patient.id), "priority": "today", "save": "Save for later",
              "image": (io.BytesIO(PNG), "front.png")},
        content_type="multipart/form-data",
    )  # fmt: skip
    assert response.status_code == 302
    fill = Fill.get()
    assert fill.status == "intake"
    image = PrescriptionImage.get()
    assert (image.content_type, image.original_name) == ("image/png", "front.png")


def test_sending_an_incomplete_prescription_names_each_missing_field(client_as):
    technician = client_as("technician")
    patient = make_patient()
    response = technician.post(
        "/prescriptions/new", data={"patient_id": str(patient.id), "send": "Send to pharmacist"}
    )
    assert response.status_code == 200
    for message in (
        "Find and choose the prescriber.",
        "Find and choose the drug.",
        "Type the directions.",
        "Enter the quantity.",
        "Enter the days supply.",
        "Enter the date written",
    ):
        assert message in response.text
    assert Prescription.select().count() == 0


def test_bad_values_are_refused_in_words_and_what_was_typed_stays(client_as):
    technician = client_as("technician")
    patient, prescriber, product = make_patient(), make_prescriber(), make_product()
    tomorrow = (date.today() + timedelta(days=2)).strftime("%m/%d/%Y")
    data = _complete(
        patient, prescriber, product, quantity="thirty", days_supply="-3", written_on=tomorrow
    )
    response = technician.post("/prescriptions/new", data=data)
    assert "Enter the quantity as a number" in response.text
    assert "Enter the days supply using digits only" in response.text
    assert "The date written is in the future." in response.text
    assert 'value="thirty"' in response.text
    assert patient.sort_name in response.text  # the chosen patient stays chosen
    assert Prescription.select().count() == 0


def test_a_file_that_is_not_an_image_or_pdf_is_refused_by_its_content(client_as):
    technician = client_as("technician")
    patient, prescriber, product = make_patient(), make_prescriber(), make_product()
    data = _complete(patient, prescriber, product)
    data["image"] = (io.BytesIO(b"MZ\x90\x00 not really a picture"), "scan.png")
    response = technician.post("/prescriptions/new", data=data, content_type="multipart/form-data")
    assert "This file is not a JPEG or PNG photo, or a PDF scan." in response.text
    assert Prescription.select().count() == 0


def test_sig_preview_shows_the_directions_in_words(client_as):
    technician = client_as("technician")
    response = technician.get("/prescriptions/sig-preview?sig=1+cap+po+bid+x10d")
    assert "Take 1 capsule by mouth twice daily for 10 days" in response.text


def test_the_pharmacys_own_sig_codes_are_used(app, client_as):
    from portal.foundation import settings
    from portal.foundation.db import write_transaction

    with write_transaction():
        settings.put("prescriptions.extra_sig_codes", "wf = with food\nnot a line")
    technician = client_as("technician")
    response = technician.get("/prescriptions/sig-preview?sig=1+tab+po+bid+wf")
    assert "Take 1 tablet by mouth twice daily with food" in response.text


def test_patient_lookup_offers_radio_buttons_with_allergies(client_as):
    patient = make_patient(last_name="Okafor", first_name="Grace")
    make_allergy(patient, "sulfonamides")
    technician = client_as("technician")
    response = technician.get("/prescriptions/patient-lookup?q=okafor")
    assert f'name="patient_id" value="{patient.id}"' in response.text
    assert "Allergic to sulfonamides" in response.text


def test_drug_lookup_finds_products_by_name_and_ndc(client_as):
    product = make_product(name="Cephalexin", ndc="00093-3147-01")
    technician = client_as("technician")
    for q in ("cephal", "00093"):
        response = technician.get(f"/prescriptions/drug-lookup?q={q}")
        assert f'value="product:{product.id}"' in response.text


def test_a_compound_sent_from_intake_names_its_formula_and_no_product(client_as):
    formula = make_formula(approved_by=True)
    technician = client_as("technician")
    patient, prescriber = make_patient(), make_prescriber()
    data = _complete(
        patient, prescriber, make_product(), drug=f"formula:{formula.id}", quantity_unit="g"
    )
    response = technician.post("/prescriptions/new", data=data)
    assert response.status_code == 302
    rx = Prescription.get(Prescription.rx_number == 100001)
    assert (rx.formula_id, rx.product_id, rx.is_compound) == (formula.id, None, True)
    assert rx.drug_name == formula.title
    assert rx.fills.get().status == "data_verify"


def test_an_unapproved_formula_is_refused_on_intake(client_as):
    draft = make_formula()
    technician = client_as("technician")
    data = _complete(make_patient(), make_prescriber(), make_product(), drug=f"formula:{draft.id}")
    response = technician.post("/prescriptions/new", data=data)
    assert "That formula is not approved for dispensing" in response.text
    assert Prescription.select().count() == 0


def test_a_returned_fill_changed_from_a_compound_to_a_product_names_only_the_product(client_as):
    formula = make_formula(approved_by=True)
    technician = client_as("technician")
    patient, prescriber, product = make_patient(), make_prescriber(), make_product()
    compound = _complete(patient, prescriber, product, drug=f"formula:{formula.id}", send="")
    technician.post("/prescriptions/new", data={**compound, "save": "Save for later"})
    rx = Prescription.get(Prescription.rx_number == 100001)
    assert rx.formula_id == formula.id
    page = technician.get(f"/fills/{rx.fills.get().id}/entry")
    assert f'value="formula:{formula.id}" checked' in page.text
    response = technician.post(
        f"/fills/{rx.fills.get().id}/entry", data=_complete(patient, prescriber, product)
    )
    assert response.status_code == 302
    stored = Prescription.get_by_id(rx.id)
    assert (stored.formula_id, stored.product_id) == (None, product.id)


def test_drug_lookup_offers_approved_formulas_only(client_as):
    approved = make_formula(name="Ketoprofen", approved_by=True)
    draft = make_formula(name="Ketoprofen gel")
    technician = client_as("technician")
    response = technician.get("/prescriptions/drug-lookup?q=ketop")
    assert f'value="formula:{approved.id}"' in response.text
    assert f'value="formula:{draft.id}"' not in response.text


def test_drug_lookup_finds_a_formula_by_name_and_dosage_form(client_as):
    cream = make_formula(name="Hydrocortisone", dosage_form="cream", approved_by=True)
    ointment = make_formula(name="Hydrocortisone", dosage_form="ointment", approved_by=True)
    technician = client_as("technician")
    response = technician.get("/prescriptions/drug-lookup?q=hydrocort+oint")
    assert f'value="formula:{ointment.id}"' in response.text
    assert f'value="formula:{cream.id}"' not in response.text


def test_returned_fill_is_corrected_and_sent_again(client_as):
    technician = client_as("technician")
    rx = make_prescription(user=technician.user)
    fill = make_fill(rx)
    fill.move_to("data_entry", make_user(roles=("pharmacist",)), "Quantity should be 21")
    page = technician.get(f"/fills/{fill.id}/entry")
    assert "Returned by the pharmacist:" in page.text and "Quantity should be 21" in page.text
    data = _complete(rx.patient, rx.prescriber, rx.product, quantity="21")
    response = technician.post(f"/fills/{fill.id}/entry", data=data)
    assert response.status_code == 302
    stored = Fill.get_by_id(fill.id)
    assert (stored.status, str(stored.quantity.normalize())) == ("data_verify", "21")
    assert Prescription.get_by_id(rx.id).quantity == 21


def test_the_rx_number_finds_the_patient_as_you_type_and_opens_the_fill_on_enter(client_as):
    rx = make_prescription()
    technician = client_as("technician")
    typing = technician.get(f"/patients/search?q=rx+{rx.rx_number}", headers={"HX-Request": "true"})
    assert rx.patient.sort_name in typing.text
    entered = technician.get(f"/patients/search?q=rx+{rx.rx_number}", follow_redirects=True)
    assert f"Rx {rx.rx_number}" in entered.text and entered.request.path.startswith("/fills/")


def test_the_patient_page_lists_the_fills(client_as):
    rx = make_prescription()
    technician = client_as("technician")
    response = technician.get(f"/patients/{rx.patient_id}")
    assert f"{rx.rx_number}-0" in response.text
    assert "Being checked by the pharmacist" in response.text
