"""Patient-facing words in the patient's language, as staff and patients use them: the "Is it
ready?" page switched to Spanish at the counter (and remembered), and a pharmacist turning on
the patient-centred label (USP <17>), which then prints explicit times."""

from playwright.sync_api import expect

from tests.e2e.conftest import screenshot
from tests.e2e.helpers import sign_in
from tests.factories import (
    advance_fill,
    make_fill,
    make_patient,
    make_pharmacy,
    make_prescription,
    make_user,
)
from tests.labels.pdfcheck import compact, page_texts


def test_the_ready_page_in_spanish(page, live_server):
    make_pharmacy()
    clerk = make_user(roles=("technician",))
    patient = make_patient(last_name="Moreno", first_name="Lucía")
    advance_fill(make_fill(make_prescription(patient=patient)), "ready")
    sign_in(page, live_server, clerk)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Is it ready?").click()
    page.get_by_role("link", name="Español").click()
    expect(page.get_by_role("heading", name="¿Está lista mi receta?")).to_be_visible()
    assert page.locator("html").get_attribute("lang") == "es"
    page.get_by_label("Apellido").fill("Moreno")
    page.get_by_role("button", name="Buscar").click()
    expect(page.get_by_text("Escriba la fecha de nacimiento")).to_be_visible()
    expect(page.get_by_label("Apellido")).to_have_value("Moreno")  # what was typed is kept
    page.get_by_label("Fecha de nacimiento").fill(f"{patient.date_of_birth:%m/%d/%Y}")
    page.get_by_role("button", name="Buscar").click()
    expect(page.get_by_text("Lista para recoger")).to_be_visible()
    screenshot(page, "ready-spanish")
    # Remembered on this terminal until switched back; staff pages stay English.
    page.goto(f"{live_server.url}/ready")
    expect(page.get_by_role("heading", name="¿Está lista mi receta?")).to_be_visible()
    page.goto(f"{live_server.url}/queue")
    assert page.locator("html").get_attribute("lang") == "en"
    page.goto(f"{live_server.url}/ready")
    page.get_by_role("link", name="English").click()
    expect(page.get_by_role("heading", name="Is my prescription ready?")).to_be_visible()


def test_a_pharmacist_turns_on_patient_centred_labels(page, live_server):
    make_pharmacy()
    pharmacist = make_user(roles=("pharmacist",))
    fill = advance_fill(make_fill(make_prescription(sig="1 cap po bid x10d")), "fill")
    sign_in(page, live_server, pharmacist)
    page.goto(f"{live_server.url}/admin/prescription-settings")
    page.get_by_label("Patient-centred labels (USP <17>)").check()
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Prescription and label settings saved.")).to_be_visible()
    page.goto(f"{live_server.url}/labels/fills/{fill.id}")
    token = page.locator("input[name=csrf_token]").first.get_attribute("value")
    printed = page.request.post(
        f"{live_server.url}/labels/fills/{fill.id}", form={"csrf_token": token, "copies": "1"}
    )
    assert printed.headers["content-type"] == "application/pdf"
    text = compact(page_texts(printed.body())[0])
    assert compact("Take 1 capsule by mouth in the morning and at bedtime for 10 days") in text
    assert text.index(compact(fill.patient.last_name.upper())) < text.index("ElmStreet")


def test_a_spanish_speaking_patient_gets_a_spanish_pickup_receipt(page, live_server):
    make_pharmacy()
    technician = make_user(roles=("technician",))
    patient = make_patient(last_name="Moreno", preferred_language="Spanish")
    fill = advance_fill(make_fill(make_prescription(patient=patient)), "ready")
    sign_in(page, live_server, technician)
    page.goto(f"{live_server.url}/fills/{fill.id}/pickup")
    page.get_by_label("Offered, accepted").check()
    page.get_by_role("button", name="Picked up").click()
    expect(page.locator(".flash-success")).to_contain_text("picked up by")
    page.goto(f"{live_server.url}/fills/{fill.id}")
    with page.context.expect_page() as opened:
        page.get_by_role("link", name="Pickup receipt for the patient").click()
    receipt = opened.value
    expect(receipt.get_by_role("heading", name="Comprobante de entrega")).to_be_visible()
    expect(receipt.get_by_text("Un farmacéutico habló con usted")).to_be_visible()
    expect(receipt.get_by_role("cell", name=fill.prescription.product.description)).to_be_visible()
    screenshot(receipt, "pickup-receipt-spanish")
