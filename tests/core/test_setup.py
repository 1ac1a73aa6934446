"""First run: the setup page creates the pharmacy and its first administrator."""

from portal.audit.models import AuditEvent
from portal.auth.models import User
from portal.pharmacy.models import Pharmacy

GOOD = {
    "name": "Oak Hill Pharmacy",
    "address_line1": "4 Oak Hill Road",
    "address_line2": "",
    "city": "Dayton",
    "state": "OH",
    "postal_code": "45402",
    "phone": "937-555-0100",
    "fax": "",
    "npi": "1234567893",
    "ncpdp_id": "3612345",
    "dea": "",
    "time_zone": "America/New_York",
    "full_name": "Maria Lopez",
    "username": "mlopez",
    "password": "a long passphrase",
    "confirm": "a long passphrase",
    "pin": "4821",
    "is_pharmacist": "y",
}


def test_empty_database_leads_every_page_to_setup(bare_app):
    client = bare_app.test_client()
    for path in ("/", "/login", "/admin/pharmacy"):
        response = client.get(path)
        assert response.status_code == 302
        assert response.headers["Location"].endswith("/setup")
    assert b"Set up your pharmacy" in client.get("/setup").data


def test_setup_creates_pharmacy_and_signed_in_administrator(bare_app):
    client = bare_app.test_client()
    response = client.post("/setup", data=GOOD, follow_redirects=True)
    assert response.status_code == 200
    assert b"Oak Hill Pharmacy is set up" in response.data
    assert b"Maria Lopez" in response.data  # acting user in the top bar
    pharmacy = Pharmacy.current()
    assert pharmacy.name == "Oak Hill Pharmacy"
    admin = User.get(User.username == "mlopez")
    assert admin.role_set == {"admin", "manager", "pharmacist"}
    assert (admin.last_name, admin.first_name) == ("Lopez", "Maria")  # for the PMP report
    assert admin.password_hash.startswith("$argon2")
    assert {e.entity for e in AuditEvent.select()} >= {"pharmacy", "user"}


def test_setup_is_closed_once_done(bare_app):
    client = bare_app.test_client()
    client.post("/setup", data=GOOD)
    again = dict(GOOD, name="Somebody Else", username="intruder")
    response = bare_app.test_client().post("/setup", data=again)
    assert response.status_code == 302
    assert Pharmacy.select().count() == 1
    assert User.get_or_none(User.username == "intruder") is None


def test_setup_errors_name_the_fields_and_keep_what_was_typed(bare_app):
    client = bare_app.test_client()
    bad = dict(GOOD, postal_code="4540", confirm="different", pin="12", npi="12345")
    response = client.post("/setup", data=bad)
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "ZIP is 5 digits or ZIP+4." in page
    assert "The two passwords differ." in page
    assert "A PIN is 4 to 8 digits." in page
    assert 'value="Oak Hill Pharmacy"' in page
    assert 'value="4540"' in page
    assert Pharmacy.select().count() == 0


def test_there_is_no_default_password(bare_app):
    client = bare_app.test_client()
    client.post("/setup", data=GOOD)
    client = bare_app.test_client()
    for username, password in (("admin", "admin"), ("admin", "password"), ("mlopez", "")):
        response = client.post("/login", data={"username": username, "password": password})
        assert response.status_code == 200
        with client.session_transaction() as session:
            assert "user_id" not in session
    assert User.select().count() == 1
