"""What the queue and the counter's small forms say: the Drug column names a compound's
formula, each row's button is named by its Rx, a manager gets no buttons to steps they
cannot work, hints are tied to their inputs, and forms that save nothing never say
"Nothing was saved"."""

import re

from playhouse.test_utils import count_queries

from portal.prescriptions.fills import queues
from tests.factories import advance_fill, make_fill, make_patient, make_user
from tests.factories.compounding import make_compound_fill


def test_the_drug_column_names_a_compounds_formula(client_as):
    fill = make_compound_fill()
    title = fill.prescription.formula.title
    page = client_as("pharmacist").get(f"/queue?state={fill.status}").get_data(as_text=True)
    row = page[page.index(fill.rx_fill) :]
    assert title in row[: row.index("</tr>")]


def test_a_compound_row_costs_no_extra_query(app):
    fill = make_compound_fill()
    with count_queries() as counted:
        names = [f.prescription.drug_name for f in queues.page(fill.status).rows]
    assert names == [fill.prescription.formula.title]
    assert counted.count == 1


def test_each_rows_button_is_named_by_its_rx(client_as):
    fill = make_fill(patient=make_patient(last_name="Okafor"))
    page = client_as("pharmacist").get("/queue?state=data_verify").get_data(as_text=True)
    assert re.search(rf'>Open<span class="visually-hidden"> Rx {fill.rx_fill}</span></a>', page)


def test_a_manager_sees_the_queue_without_buttons_to_steps_they_cannot_open(client_as):
    make_fill()
    advance_fill(make_fill(), "ready")
    manager = client_as("manager")
    for state in ("data_verify", "ready"):
        page = manager.get(f"/queue?state={state}").get_data(as_text=True)
        assert "verify-data" not in page and "/pickup" not in page
        assert '<a class="button small"' not in page


def test_hints_are_read_with_their_inputs(client_as):
    page = client_as("technician").get("/patients/new").get_data(as_text=True)
    hints = re.findall(r'<span class="hint" id="([\w-]+)-hint">', page)
    assert hints, "the page has field hints"
    for field_id in hints:
        tag = re.search(rf'<(input|select|textarea)[^>]*\bid="{field_id}"[^>]*>', page).group(0)
        assert f"{field_id}-hint" in tag


def test_sign_in_and_is_it_ready_errors_do_not_talk_of_saving(client, client_as):
    make_user(username="tess")
    refused = client.post("/login", data={"username": "tess", "password": ""})
    assert "Please correct" in refused.get_data(as_text=True)
    assert "Nothing was saved" not in refused.get_data(as_text=True)
    asked = client_as("technician").get("/ready?last_name=&date_of_birth=13/45/19")
    assert "Please correct" in asked.get_data(as_text=True)
    assert "Nothing was saved" not in asked.get_data(as_text=True)
