"""Prescriber pages: add, edit, search, lookup; messages name the exact problem."""

import pytest

from portal.audit.models import AuditEvent
from portal.prescribers.models import Prescriber
from tests.factories import make_prescriber

GOOD = {
    "first_name": "Ana",
    "middle_name": "",
    "last_name": "Whitfield",
    "credentials": "MD",
    "practice_name": "Springfield Family Medicine",
    "npi": "1234567893",
    "dea": "bw1234563",
    "dea_schedules": ["2", "2N", "3", "3N", "4", "5"],
    "license_number": "036.123456",
    "license_state": "IL",
    "phone": "217 555 0190",
    "fax": "2175550191",
    "address_line1": "800 N Rutledge St",
    "address_line2": "",
    "city": "Springfield",
    "state": "IL",
    "postal_code": "62702",
}


def test_technician_adds_a_prescriber_and_it_is_audited(client_as):
    client = client_as("technician")
    response = client.post("/prescribers/new", data=GOOD)
    assert response.status_code == 302
    prescriber = Prescriber.get(Prescriber.npi == "1234567893")
    assert prescriber.dea == "BW1234563"
    assert prescriber.dea_schedule_set == {"2", "2N", "3", "3N", "4", "5"}
    assert prescriber.phone == "(217) 555-0190" and prescriber.fax == "(217) 555-0191"
    assert prescriber.active
    event = AuditEvent.get(AuditEvent.entity == "prescriber")
    assert (event.action, event.user_id) == ("create", client.user.id)
    page = client.get(response.headers["Location"])
    assert b"Ana Whitfield, MD" in page.data and b"C-II non-narcotic" in page.data


@pytest.mark.parametrize(
    "changes, field_message",
    [
        ({"npi": "1234567890"}, "Check digit should be 3, not 0"),
        ({"npi": "12345"}, "NPI must be 10 digits (5 entered)"),
        ({"npi": ""}, "Enter the prescriber&#39;s 10-digit NPI."),
        ({"dea": "BW1234567"}, "Check digit should be 3, not 7"),
        ({"dea": "BX1234563"}, "Second letter should be W, the first letter of the last name"),
        ({"dea": "B1234563"}, "DEA number must be 2 letters then 7 digits"),
        ({"dea_schedules": []}, "Tick the schedules printed on the DEA registration."),
        ({"phone": "555-0190"}, "Enter a 10-digit number with area code"),
        ({"last_name": ""}, "Enter the last name."),
        ({"postal_code": "6270"}, "ZIP is 5 digits or ZIP+4."),
    ],
)
def test_bad_input_is_explained_and_nothing_is_saved(client_as, changes, field_message):
    client = client_as("technician")
    response = client.post("/prescribers/new", data={**GOOD, **changes})
    assert response.status_code == 200
    assert field_message in response.get_data(as_text=True)
    assert b"Nothing was saved yet" in response.data
    assert b'value="Springfield Family Medicine"' in response.data  # what was typed stays
    assert Prescriber.select().count() == 0
    assert AuditEvent.select().where(AuditEvent.entity == "prescriber").count() == 0


def test_business_dea_with_9_is_accepted(client_as):
    client = client_as("pharmacist")
    response = client.post("/prescribers/new", data={**GOOD, "dea": "B91234563"})
    assert response.status_code == 302


def test_duplicate_npi_and_dea_name_the_prescriber_on_file(client_as):
    make_prescriber(first_name="Omar", last_name="Wade", npi="1234567893", dea="BW1234563")
    client = client_as("technician")
    text = client.post("/prescribers/new", data=GOOD).get_data(as_text=True)
    assert "NPI 1234567893 is already on file for Omar Wade, MD." in text
    assert "DEA number BW1234563 is already on file for Omar Wade, MD." in text


def test_no_dea_means_no_schedules(client_as):
    client = client_as("technician")
    client.post("/prescribers/new", data={**GOOD, "dea": "", "npi": "1234567893"})
    prescriber = Prescriber.get()
    assert prescriber.dea is None and prescriber.dea_schedules == ""
    assert prescriber.dea_schedule_set == frozenset()


def test_editing_records_only_what_changed_and_can_deactivate(client_as):
    prescriber = make_prescriber(last_name="Whitfield", npi="1234567893", dea="BW1234563")
    client = client_as("pharmacist")
    page = client.get(f"/prescribers/{prescriber.id}/edit")
    assert b'value="1234567893"' in page.data and b'value="BW1234563"' in page.data
    data = {**GOOD, "dea_schedules": ["3", "4", "5"], "active": ""}
    response = client.post(f"/prescribers/{prescriber.id}/edit", data=data)
    assert response.status_code == 302
    prescriber = Prescriber.get_by_id(prescriber.id)
    assert prescriber.dea_schedules == "3 4 5" and not prescriber.active
    event = AuditEvent.select().where(AuditEvent.action == "update").get()
    assert event.before_data()["dea_schedules"] == "2 2N 3 3N 4 5"
    assert event.after_data()["dea_schedules"] == "3 4 5"
    assert "npi" not in event.after_data()


def test_search_by_name_npi_or_dea_and_htmx_gets_only_results(client_as):
    make_prescriber(first_name="Ana", last_name="Whitfield", npi="1234567893")
    make_prescriber(first_name="Omar", last_name="Adeyemi", dea="BA7654325")
    client = client_as("technician")
    for q in ("whit", "whitfield, an", "ana whit", "123456"):
        response = client.get("/prescribers/", query_string={"q": q})
        assert b"Whitfield" in response.data and b"Adeyemi" not in response.data, q
    response = client.get("/prescribers/", query_string={"q": "ba765"})
    assert b"Adeyemi" in response.data and b"Whitfield" not in response.data
    partial = client.get("/prescribers/?q=adey", headers={"HX-Request": "true"})
    assert b"Adeyemi" in partial.data and b"<html" not in partial.data


def test_inactive_prescribers_are_hidden_unless_asked(client_as):
    make_prescriber(last_name="Gone", active=False)
    client = client_as("technician")
    assert b"Gone" not in client.get("/prescribers/?q=gone").data
    assert b"Gone" in client.get("/prescribers/?q=gone&inactive=1").data


def test_lookup_returns_radio_choices_for_the_intake_form(client_as):
    ana = make_prescriber(first_name="Ana", last_name="Whitfield")
    make_prescriber(first_name="Retired", last_name="Whitby", active=False)
    client = client_as("technician")
    text = client.get("/prescribers/lookup?q=whit&field=prescriber").get_data(as_text=True)
    assert f'name="prescriber" value="{ana.id}"' in text
    assert "Whitby" not in text
    assert "<html" not in text
    assert "Type two or more" in client.get("/prescribers/lookup?q=w").get_data(as_text=True)
    odd = client.get('/prescribers/lookup?q=whit&field="><script>').get_data(as_text=True)
    assert 'name="prescriber_id"' in odd and "<script>" not in odd


def test_search_ignores_control_characters_and_bare_separators(client_as):
    make_prescriber(last_name="Whitfield")
    client = client_as("technician")
    assert b"Whitfield" in client.get("/prescribers/?q=,").data
    assert client.get("/prescribers/?q=a%00b").status_code == 200
    assert client.get("/prescribers/lookup?q=a%00bc").status_code == 200


def test_everyone_can_look_but_only_counter_staff_edit(client_as):
    prescriber = make_prescriber()
    admin = client_as("admin")
    assert admin.get("/prescribers/").status_code == 200
    assert admin.get(f"/prescribers/{prescriber.id}").status_code == 200
    assert admin.get("/prescribers/new").status_code == 403
    assert admin.get(f"/prescribers/{prescriber.id}/edit").status_code == 403
