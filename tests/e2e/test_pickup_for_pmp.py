"""A caregiver collects a patient's C-II at the counter: the pickup page asks for their last
and first name and relationship (as the state PMP report carries them, ASAP 4.2A AIR06-
AIR08) beside their photo ID and the state that issued it (AIR03), and the next day's PMP
file, made and downloaded from the reports, carries them in its AIR segment with the
pharmacist who did final verification (AIR09/AIR10)."""

from datetime import timedelta
from decimal import Decimal

from playwright.sync_api import expect

from portal.prescriptions.fills.models import Fill
from portal.reports.pmp import asap
from tests.e2e.conftest import screenshot
from tests.e2e.helpers import sign_in
from tests.factories import (
    advance_fill,
    make_c2_product,
    make_fill,
    make_patient,
    make_pharmacy,
    make_prescription,
    make_user,
)

TIMEOUT_MS = 30_000


def _ready_c2(pharmacist) -> Fill:
    product = make_c2_product()
    rx = make_prescription(
        patient=make_patient(last_name="Okafor", first_name="Grace"),
        product=product,
        sig="1 tab po q6h prn pain",
        quantity=Decimal(20),
        quantity_unit="tab",
        days_supply=5,
    )
    fill = advance_fill(make_fill(rx), "ready", pharmacist=pharmacist)  # final verification
    # Filled yesterday: the PMP page makes the file of a day that has ended.
    Fill.update(filled_on=fill.filled_on - timedelta(days=1)).where(Fill.id == fill.id).execute()
    return fill


def test_a_caregiver_pickup_reaches_the_pmp_file(live_server, page):
    make_pharmacy()
    pharmacist = make_user(roles=("pharmacist",), full_name="Paul Okonkwo")
    fill = _ready_c2(pharmacist)
    page.set_default_timeout(TIMEOUT_MS)
    sign_in(page, live_server, pharmacist)
    page.goto(f"{live_server.url}/fills/{fill.id}/pickup")
    page.get_by_role("radio", name="Someone else").check()
    page.get_by_label("Their last name").fill("Lee")
    page.get_by_role("button", name="Picked up").click()
    expect(page.locator(".form-errors")).to_contain_text("Please correct")
    expect(page.get_by_label("Their last name")).to_have_value("Lee")  # kept
    expect(page.get_by_text("Write the first name of the person picking up.")).to_be_visible()
    page.get_by_label("Their first name").fill("Sam")
    page.get_by_label("Relationship to the patient").select_option("caregiver")
    page.get_by_label("ID shown").select_option("driver_license")
    page.get_by_label("ID number").fill("D1234-5678")
    page.get_by_role("button", name="Picked up").click()
    expect(page.get_by_text("Choose the state that issued the ID")).to_be_visible()
    expect(page.get_by_label("ID number")).to_have_value("D1234-5678")  # kept
    page.get_by_label("State that issued the ID").select_option("UT")
    screenshot(page, "pickup-c2-by-caregiver")
    page.get_by_role("button", name="Picked up").click()
    expect(page.locator(".flash-success")).to_contain_text("picked up by Sam Lee")
    stored = Fill.get_by_id(fill.id)
    assert (stored.picked_up_last_name, stored.picked_up_relationship_code) == ("Lee", "caregiver")
    assert stored.picked_up_id_state == "UT"

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Reports").click()
    page.get_by_role("link", name="State PMP").click()
    page.get_by_role("button", name="Make the file").click()
    expect(page.get_by_role("cell", name="1", exact=True)).to_be_visible()
    with page.expect_download() as download:
        page.get_by_role("link", name="Download").first.click()
    text = download.value.path().read_text()
    [air] = [s for s in asap.parse(text) if s[0] == "AIR"]
    assert air[3] == "UT"  # AIR03: the state that issued the ID
    assert air[4:9] == ["06", "D1234-5678", "04", "LEE", "SAM"]
    assert air[9:12] == ["OKONKWO", "PAUL", "02"]  # AIR09/AIR10: the checking pharmacist
