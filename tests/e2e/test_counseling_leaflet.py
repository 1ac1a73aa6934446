"""The counseling leaflet as staff hand it out: opened at the pickup counter while the
pharmacist counsels, and again from the fill's page after pickup, in the patient's language."""

from playwright.sync_api import expect

from tests.e2e.conftest import screenshot
from tests.e2e.helpers import sign_in
from tests.factories import (
    advance_fill,
    make_allergy,
    make_fill,
    make_patient,
    make_pharmacy,
    make_prescription,
    make_user,
)


def test_a_leaflet_from_the_pickup_counter_and_from_a_picked_up_fill(page, live_server):
    make_pharmacy()
    technician = make_user(roles=("technician",))
    patient = make_patient(last_name="Moreno", first_name="Lucía", preferred_language="Spanish")
    make_allergy(patient, allergen="Penicillin", kind="text", reaction="hives")
    rx = make_prescription(patient=patient, sig="1 cap po bid x10d", refills_authorized=2)
    fill = advance_fill(make_fill(rx), "ready")
    sign_in(page, live_server, technician)
    page.goto(f"{live_server.url}/fills/{fill.id}/pickup")
    with page.context.expect_page() as opened:
        page.get_by_role("link", name="Counseling leaflet for the patient").click()
    leaflet = opened.value
    expect(leaflet.get_by_role("heading", name="Información sobre su medicamento")).to_be_visible()
    leaflet.close()
    page.get_by_label("Offered, accepted").check()
    page.get_by_role("button", name="Picked up").click()
    expect(page.locator(".flash-success")).to_contain_text("picked up by")
    page.goto(f"{live_server.url}/fills/{fill.id}")
    screenshot(page, "fill-page-leaflet-link")
    with page.context.expect_page() as opened:
        page.get_by_role("link", name="Counseling leaflet for the patient").click()
    leaflet = opened.value
    assert leaflet.locator("html").get_attribute("lang") == "es"
    expect(leaflet.get_by_role("heading", name="Cómo usarlo")).to_be_visible()
    expect(leaflet.get_by_text("por la mañana y al acostarse")).to_be_visible()
    expect(leaflet.get_by_text("Penicillin (hives)")).to_be_visible()
    expect(leaflet.get_by_text("qué hacer si olvida una dosis")).to_be_visible()
    expect(leaflet.get_by_role("button", name="Imprimir")).to_be_visible()
    screenshot(leaflet, "counseling-leaflet-spanish")
    # The same leaflet for an English-speaking patient.
    english = advance_fill(make_fill(make_prescription(sig="1 cap po tid x10d")), "ready")
    leaflet.goto(f"{live_server.url}/fills/{english.id}/leaflet")
    expect(leaflet.get_by_role("heading", name="About your medicine")).to_be_visible()
    screenshot(leaflet, "counseling-leaflet-english")
