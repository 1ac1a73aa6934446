"""The pharmacist's name in the state PMP file (ASAP 4.2A AIR09 last name, AIR10 first name)
as an administrator corrects it on the staff page: "Maria de la Cruz" is sent as last name
"de la Cruz", first name "Maria", not split at the last word; dispensings already sent with
the old name are sent again, and the staff page says how many."""

from datetime import timedelta

from playwright.sync_api import expect

from portal.foundation.dates import utcnow
from portal.prescriptions.fills.models import Fill
from portal.reports.pmp import asap, submit
from tests.e2e.conftest import screenshot
from tests.e2e.helpers import sign_in
from tests.factories import hand_out_to_patient, make_pharmacy, make_user
from tests.reports.test_pmp_submissions import _dispensed_c2

TIMEOUT_MS = 30_000


def test_admin_corrects_a_pharmacists_last_name_and_the_pmp_file_carries_it(page, live_server):
    make_pharmacy()
    pharmacist = make_user(roles=("pharmacist",), full_name="Maria de la Cruz")
    fill = _dispensed_c2(pharmacist)  # final verification by Maria de la Cruz
    hand_out_to_patient(fill, make_user(roles=("technician",)), id_number="D1234")
    # Dispensed yesterday: the PMP page reports a day that has ended.
    Fill.update(
        filled_on=fill.filled_on - timedelta(days=1),
        filled_at=fill.filled_at - timedelta(days=1),
    ).where(Fill.id == fill.id).execute()
    admin = make_user(roles=("admin", "manager"), full_name="Ana Admin")
    page.set_default_timeout(TIMEOUT_MS)
    sign_in(page, live_server, admin)

    page.get_by_role("link", name="Staff").first.click()
    page.get_by_role("link", name="Maria de la Cruz").click()
    expect(page.get_by_label("Last name")).to_have_value("")
    page.get_by_label("Last name").fill("de la Cruz")
    page.get_by_label("First name").fill("Maria")
    page.get_by_role("button", name="Save name and roles").click()
    page.get_by_text("Name and roles saved.").wait_for()
    expect(page.get_by_label("Last name")).to_have_value("de la Cruz")
    screenshot(page, "staff-last-name")

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Reports").click()
    page.get_by_role("link", name="State PMP").click()
    yesterday = (fill.filled_on - timedelta(days=1)).strftime("%m/%d/%Y")
    page.get_by_label("Day dispensed").fill(yesterday)
    page.get_by_role("button", name="Make the file").click()
    page.get_by_text("made (1 record)").wait_for()
    with page.expect_download() as download:
        page.get_by_role("link", name="Download").first.click()
    text = download.value.path().read_text()
    (air,) = [segment for segment in asap.parse(text) if segment[0] == "AIR"]
    assert air[9:11] == ["DE LA CRUZ", "MARIA"]  # the file writes names in capitals


def test_a_corrected_name_tells_the_manager_how_many_sent_dispensings_go_again(page, live_server):
    make_pharmacy()
    pharmacist = make_user(roles=("pharmacist",), full_name="Maria de la Cruz")
    for id_number in ("D1234", "D5678"):
        fill = _dispensed_c2(pharmacist)
        hand_out_to_patient(fill, make_user(roles=("technician",)), id_number=id_number)
    submit.make_file(fill.filled_on, now=utcnow())  # both sent as "CRUZ", "MARIA DE LA"
    manager = make_user(roles=("admin", "manager"), full_name="Ana Admin")
    page.set_default_timeout(TIMEOUT_MS)
    sign_in(page, live_server, manager)

    page.get_by_role("link", name="Staff").first.click()
    page.get_by_role("link", name="Maria de la Cruz").click()
    page.get_by_label("Last name").fill("de la Cruz")
    page.get_by_label("First name").fill("Maria")
    page.get_by_role("button", name="Save name and roles").click()

    status = page.get_by_role("status")
    expect(status).to_contain_text("Name and roles saved.")
    expect(status).to_contain_text(
        "2 dispensings already sent to the state PMP will be sent again, with the corrected "
        "name, in the next daily file."
    )
    screenshot(page, "staff-pharmacist-name-resent")

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Reports").click()
    page.get_by_role("link", name="State PMP").click()
    expect(
        page.get_by_text("pharmacist name corrected (pharmacist first pharmacist last)")
    ).to_have_count(2)
