"""The "Is it ready?" page speaks the patient's language: the browser's (Accept-Language), or
the one chosen on the page and remembered; staff pages stay English whatever the browser says."""

from tests.factories import advance_fill, make_fill, make_patient, make_prescription


def _lookup(patient) -> str:
    return f"/ready?last_name={patient.last_name}&date_of_birth={patient.date_of_birth:%m/%d/%Y}"


def test_a_spanish_browser_reads_the_page_in_spanish(client_as):
    patient = make_patient(last_name="Moreno", first_name="Lucía")
    ready = advance_fill(make_fill(make_prescription(patient=patient)), "ready")
    make_fill(make_prescription(patient=patient))
    clerk = client_as("manager")
    page = clerk.get(_lookup(patient), headers={"Accept-Language": "es-MX,es;q=0.9"}).text
    assert '<html lang="es">' in page
    assert "¿Está lista mi receta?" in page and "Lista para recoger" in page
    assert "El farmacéutico la está revisando" in page
    # The drug and the Rx number as on the label.
    assert ready.prescription.product.description in page
    assert f"Rx {ready.prescription.rx_number}-0" in page
    assert "Ready for pickup" not in page
    staff_page = clerk.get("/queue", headers={"Accept-Language": "es"}).text
    assert '<html lang="en">' in staff_page


def test_the_language_switch_is_remembered(client_as):
    clerk = client_as("manager")
    page = clerk.get("/ready?lang=es").text
    assert "Fecha de nacimiento" in page and 'href="/ready?lang=en"' in page
    assert "¿Está lista mi receta?" in clerk.get("/ready").text  # the cookie
    assert "Is my prescription ready?" in clerk.get("/ready?lang=en").text
    assert "Is my prescription ready?" in clerk.get("/ready?lang=xx").text


def test_field_messages_in_spanish_and_what_was_typed_is_kept(client_as):
    clerk = client_as("manager")
    page = clerk.get("/ready?lang=es&last_name=Moreno", headers={"Accept-Language": "es"}).text
    assert "Escriba la fecha de nacimiento" in page and "Corrija el campo marcado abajo." in page
    assert 'value="Moreno"' in page
    nobody = clerk.get(
        "/ready?last_name=Nadie&date_of_birth=01/01/1999", headers={"Accept-Language": "es"}
    )
    assert "No hay ningún paciente con ese nombre" in nobody.text
