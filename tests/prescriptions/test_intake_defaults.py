"""Fewer keys at intake: the days supply worked out from the directions, the date written
defaulting to today, and an Rx number in the top search opening its fill."""

import io
import re
from decimal import Decimal

from portal.prescriptions.intake.days_supply import proposed_days_supply
from portal.prescriptions.models import PrescriptionImage
from tests.factories import make_fill, make_patient, make_pharmacy

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def test_days_supply_comes_from_the_directions_and_quantity():
    assert proposed_days_supply("1 cap po tid x10d", Decimal(30)) == 10
    assert proposed_days_supply("1 tab po bid", Decimal(60)) == 30
    assert proposed_days_supply("1 tab po bid", Decimal(61)) == 30  # no partial day
    assert proposed_days_supply("1 tab po q4-6h prn pain", Decimal(20)) is None  # a maximum
    assert proposed_days_supply("take as directed", Decimal(20)) is None
    assert proposed_days_supply("1 tab po bid", None) is None


def test_sig_preview_says_the_days_supply_it_will_use(client_as):
    make_pharmacy()
    technician = client_as("technician")
    page = technician.get("/prescriptions/sig-preview?sig=1 tab po bid&quantity=60")
    assert "becomes</span> <strong>30</strong>" in page.get_data(as_text=True)


def test_new_prescription_has_todays_date_written(client_as):
    make_pharmacy()
    page = client_as("technician").get("/prescriptions/new").get_data(as_text=True)
    assert 'name="written_on"' in page
    value = re.search(r'name="written_on"[^>]*value="([^"]*)"', page) or re.search(
        r'value="([^"]*)"[^>]*name="written_on"', page
    )
    assert value and re.fullmatch(r"\d\d/\d\d/\d{4}", value.group(1))


def test_an_rx_number_in_the_top_search_opens_its_fill(client_as):
    make_pharmacy()
    technician = client_as("technician")
    fill = make_fill()
    rx = fill.prescription.rx_number
    answer = technician.get(f"/patients/search?q={rx}")
    assert answer.status_code == 302
    assert "find" in answer.headers["Location"] and str(rx) in answer.headers["Location"]
    # a name still lists patients
    assert technician.get("/patients/search?q=smith").status_code == 200


def test_an_attached_scan_is_kept_when_the_form_comes_back(client_as):
    make_pharmacy()
    technician = client_as("technician")
    patient = make_patient()
    first = technician.post(
        "/prescriptions/new",
        data={"patient_id": str(patient.id), "send": "Send to pharmacist",
              "image": (io.BytesIO(PNG), "front.png")},
        content_type="multipart/form-data",
    )  # fmt: skip
    page = first.get_data(as_text=True)
    assert "Find and choose the prescriber." in page  # it came back with messages
    assert "Attached: front.png" in page
    note = re.search(r'name="kept_scan" value="([^"]+)"', page).group(1)
    saved = technician.post(
        "/prescriptions/new",
        data={"patient_id": str(patient.id), "save": "Save for later", "kept_scan": note},
    )
    assert saved.status_code == 302
    assert PrescriptionImage.get().original_name == "front.png"


def test_a_kept_scan_note_is_good_only_for_who_attached_it(client_as):
    make_pharmacy()
    first = client_as("technician")
    patient = make_patient()
    page = first.post(
        "/prescriptions/new",
        data={"patient_id": str(patient.id), "send": "Send to pharmacist",
              "image": (io.BytesIO(PNG), "front.png")},
        content_type="multipart/form-data",
    ).get_data(as_text=True)  # fmt: skip
    note = re.search(r'name="kept_scan" value="([^"]+)"', page).group(1)
    other = client_as("technician")
    other.post(
        "/prescriptions/new",
        data={"patient_id": str(patient.id), "save": "Save for later", "kept_scan": note},
    )
    other.post(
        "/prescriptions/new",
        data={"patient_id": str(patient.id), "save": "Save for later", "kept_scan": note + "x"},
    )
    assert PrescriptionImage.select().count() == 0
