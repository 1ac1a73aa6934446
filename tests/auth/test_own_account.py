"""Staff change their own PIN and password, proving it is them with their current password."""

from portal.audit.models import AuditEvent
from portal.auth.models import User
from portal.auth.passwords import check_secret
from tests.factories import make_user
from tests.factories.auth import DEFAULT_PASSWORD


def pin_change(new="482916", current=DEFAULT_PASSWORD, confirm=None):
    return {
        "pin-current_password": current,
        "pin-pin": new,
        "pin-confirm_pin": new if confirm is None else confirm,
    }


def test_the_acting_users_name_leads_to_their_own_pin_and_password_page(client_as):
    tech = client_as("technician")
    home = tech.get("/").get_data(as_text=True)
    assert 'href="/account/"' in home
    page = tech.get("/account/").get_data(as_text=True)
    assert "Your PIN and password" in page and tech.user.username in page


def test_a_technician_changes_their_own_pin_and_it_unlocks_the_terminal(client_as):
    tech = client_as("technician")
    response = tech.post("/account/pin", data=pin_change("482916"))
    assert response.status_code == 302
    user = User.get_by_id(tech.user.id)
    assert check_secret(user.pin_hash, "482916")
    event = AuditEvent.select().where(AuditEvent.action == "reset_pin").get()
    assert event.user_id == tech.user.id and event.entity_id == str(tech.user.id)
    assert "482916" not in (event.note or "")
    tech.post("/terminal/lock")
    unlocked = tech.post("/terminal/unlock", data={"pin": "482916", "next": "/"})
    assert unlocked.status_code == 302


def test_a_wrong_current_password_changes_nothing_and_counts_toward_lockout(client_as):
    tech = client_as("technician")
    before = User.get_by_id(tech.user.id).pin_hash
    response = tech.post("/account/pin", data=pin_change(current="not my password"))
    assert response.status_code == 422
    assert "That is not your current password." in response.get_data(as_text=True)
    user = User.get_by_id(tech.user.id)
    assert user.pin_hash == before and user.pin_failures == 1
    assert AuditEvent.select().where(AuditEvent.action == "sign_in_failed").count() == 1


def test_enough_wrong_passwords_lock_the_account_and_say_until_when(client_as):
    tech = client_as("technician")
    attempt = {
        "password-current_password": "wrong",
        "password-password": "a new long passphrase",
        "password-confirm": "a new long passphrase",
    }
    for _ in range(4):
        tech.post("/account/password", data=attempt)
    page = tech.post("/account/password", data=attempt).get_data(as_text=True)
    assert "account is locked until" in page
    assert User.get_by_id(tech.user.id).pin_locked_until is not None
    assert check_secret(User.get_by_id(tech.user.id).password_hash, DEFAULT_PASSWORD)


def test_pin_mistakes_are_said_on_their_fields_and_the_typed_values_kept(client_as):
    tech = client_as("technician")
    make_user(pin="135790")
    clash = tech.post("/account/pin", data=pin_change("135790")).get_data(as_text=True)
    assert "Someone else already uses that PIN." in clash
    differ = tech.post("/account/pin", data=pin_change("246801", confirm="246802"))
    assert differ.status_code == 422 and "The two PINs differ." in differ.get_data(as_text=True)
    short = tech.post("/account/pin", data=pin_change("12")).get_data(as_text=True)
    assert "A PIN is 4 to 8 digits." in short
    assert check_secret(User.get_by_id(tech.user.id).pin_hash, tech.user.pin)


def test_a_pharmacist_changes_their_own_password(client_as):
    rph = client_as("pharmacist")
    response = rph.post(
        "/account/password",
        data={
            "password-current_password": DEFAULT_PASSWORD,
            "password-password": "a new long passphrase",
            "password-confirm": "a new long passphrase",
        },
    )
    assert response.status_code == 302
    user = User.get_by_id(rph.user.id)
    assert check_secret(user.password_hash, "a new long passphrase")
    assert not check_secret(user.password_hash, DEFAULT_PASSWORD)
    short = rph.post(
        "/account/password",
        data={
            "password-current_password": "a new long passphrase",
            "password-password": "short",
            "password-confirm": "short",
        },
    ).get_data(as_text=True)
    assert "Use 12 to 200 characters." in short
