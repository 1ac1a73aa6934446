"""Weak passwords are refused, and the administrator sees why (issue 17, item 10)."""

import pytest

from portal.auth.models import User

NEW = {"full_name": "Tess Ng", "initials": "", "roles": ["technician"], "pin": ""}

WEAK = [
    ("password12", "Use 12 to 200 characters."),
    ("1234567890", "Use 12 to 200 characters."),
    ("aaaaaaaaaa", "Use 12 to 200 characters."),
    ("password1234", "common"),
    ("123456789012", "common"),
    ("aaaaaaaaaaaa", "Repeats like"),
    ("qwertyuiopas", "common"),
    ("tess.ngtess.ng", "your own name or username"),
    ("TessNg2026!!", "your own name or username"),
    ("pharmacy2026", "Add another word or two"),
]


@pytest.mark.parametrize("password, reason", WEAK)
def test_a_weak_password_is_refused_with_the_reason(client_as, password, reason):
    admin = client_as("admin")
    form = dict(NEW, username="tess.ng", password=password, confirm=password)
    page = admin.post("/admin/staff/new", data=form)
    assert page.status_code == 422
    assert reason.lower() in page.get_data(as_text=True).lower()
    assert User.get_or_none(User.username == "tess.ng") is None


def test_a_password_reset_by_an_administrator_is_held_to_the_same_rule(client_as):
    admin = client_as("admin")
    technician = client_as("technician", username="tess.ng", full_name="Tess Ng")
    before = User.get_by_id(technician.user.id).password_hash
    page = admin.post(
        f"/admin/staff/{technician.user.id}/password",
        data={"password": "tess.ng2026!!", "confirm": "tess.ng2026!!"},
    )
    assert page.status_code == 422
    assert "Do not use your own name or username" in page.get_data(as_text=True)
    assert User.get_by_id(technician.user.id).password_hash == before
    # a long, unusual passphrase passes
    phrase = "amber lantern quietly folds"
    page = admin.post(
        f"/admin/staff/{technician.user.id}/password", data={"password": phrase, "confirm": phrase}
    )
    assert page.status_code == 302
    assert User.get_by_id(technician.user.id).password_hash != before


def test_the_cli_refuses_a_common_password(app, runner):
    result = runner.invoke(
        args=[
            "user",
            "create",
            "tess.ng",
            "--name",
            "Tess Ng",
            "--role",
            "technician",
            "--password",
            "password1234",
            "--pin",
            "",
        ]
    )
    assert result.exit_code != 0
    assert "common password" in result.output
    assert User.get_or_none(User.username == "tess.ng") is None


def test_the_first_administrator_at_setup_is_held_to_the_same_rule(bare_app):
    setup = {
        "name": "Oak Hill Pharmacy",
        "address_line1": "4 Oak Hill Road",
        "city": "Dayton",
        "state": "OH",
        "postal_code": "45402",
        "phone": "937-555-0100",
        "npi": "1234567893",
        "ncpdp_id": "3612345",
        "time_zone": "America/New_York",
        "full_name": "Maria Lopez",
        "username": "mlopez",
        "password": "password1234",
        "confirm": "password1234",
        "is_pharmacist": "y",
    }
    page = bare_app.test_client().post("/setup", data=setup)
    assert "This is a very common password." in page.get_data(as_text=True)
    assert User.select().count() == 0
