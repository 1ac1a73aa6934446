"""The co-sign PIN attack (issue 17, item 1): wrong PINs are counted per terminal and per
signed-in account, atomically, and co-sign PINs are rate limited per address."""

from portal.audit.models import AuditEvent
from portal.auth.models import User
from portal.foundation.filters import local_time
from tests.factories import DEFAULT_PASSWORD, make_user, sign_in


def _approve(client, pin):
    return client.post("/demo/approve/1", data={"cosign_pin": pin}).get_data(as_text=True)


def _approvals():
    return AuditEvent.select().where(AuditEvent.action == "verify").count()


def test_signing_in_again_does_not_start_the_wrong_pin_count_over(cosign_app, client_as):
    pharmacist = make_user(roles=("pharmacist",))
    technician = client_as("technician", full_name="Tom Tech")
    for guess in range(4):
        assert "That PIN or badge is not right" in _approve(technician, f"55{guess}123")
    # A password sign-in starts a new terminal; the count stays with Tom's account.
    again = cosign_app.test_client()
    login = {"username": technician.user.username, "password": DEFAULT_PASSWORD}
    assert again.post("/login", data=login).status_code == 302
    page = _approve(again, "559123")
    until = local_time(User.get_by_id(technician.user.id).pin_entry_locked_until, "%I:%M %p")
    assert f"at any terminal Tom Tech signs in to is locked until {until}" in page
    # Even the pharmacist's right PIN is refused now, at either terminal.
    assert "refused: Too many wrong PINs" in _approve(again, pharmacist.pin)
    assert "refused: Too many wrong PINs" in _approve(technician, pharmacist.pin)
    assert _approvals() == 0
    # A colleague's terminal is not locked by Tom's guesses.
    colleague = client_as("technician")
    assert f"approved by {pharmacist.full_name}" in _approve(colleague, pharmacist.pin)


def test_a_burst_of_wrong_cosign_pins_checks_no_more_than_the_limit(
    cosign_app, client_as, client_at, burst
):
    pharmacist = make_user(roles=("pharmacist",))
    technician = client_as("technician")
    clients = [client_at(technician.terminal) for _ in range(30)]
    sends = [
        lambda client=client, guess=guess: client.post(
            "/demo/approve/1", data={"cosign_pin": f"7{guess:05d}"}
        )
        for guess, client in enumerate(clients)
    ]
    responses = burst(sends)
    assert [response.status_code for response in responses] == [200] * 30
    assert AuditEvent.select().where(AuditEvent.action == "pin_failed").count() == 5
    assert "PIN and badge entry at this terminal is locked until" in _approve(
        technician, pharmacist.pin
    )
    assert _approvals() == 0


def test_an_administrator_lifts_the_pin_entry_lock(cosign_app, client_as):
    pharmacist = make_user(roles=("pharmacist",), full_name="Ann Pharmacist")
    guesser = client_as("technician")
    for guess in range(5):
        _approve(guesser, f"77{guess}321")
    admin = client_as("admin")
    page = admin.get(f"/admin/staff/{guesser.user.id}").get_data(as_text=True)
    assert "PIN entry locked until" in page
    assert admin.post(f"/admin/staff/{guesser.user.id}/unlock").status_code == 302
    fresh = cosign_app.test_client()
    sign_in(fresh, guesser.user)
    assert "approved by Ann Pharmacist" in _approve(fresh, pharmacist.pin)


def test_cosign_pins_are_rate_limited_per_address_and_right_ones_do_not_count(limited_app):
    pharmacist = make_user(roles=("pharmacist",), full_name="Ann Pharmacist")

    def technician_terminal():
        client = limited_app.test_client()
        sign_in(client, make_user(roles=("technician",)))
        return client

    for _ in range(4):  # right PINs give their place back
        assert "approved by Ann Pharmacist" in _approve(technician_terminal(), pharmacist.pin)
    for guess in range(3):  # each at a new terminal, so no lockout is reached
        assert "That PIN or badge is not right" in _approve(technician_terminal(), f"8{guess}4321")
    page = _approve(technician_terminal(), pharmacist.pin)
    assert "Too many PIN attempts from this computer. Try again after" in page
    elsewhere = technician_terminal()
    elsewhere.environ_base["REMOTE_ADDR"] = "10.0.0.7"
    assert "approved by Ann Pharmacist" in _approve(elsewhere, pharmacist.pin)


def test_the_pin_dialogs_say_pin_entry_is_locked_before_anyone_types(cosign_app, client_as):
    technician = client_as("technician", full_name="Tom Tech")
    for guess in range(5):
        _approve(technician, f"88{guess}321")
    page = technician.get("/").get_data(as_text=True)
    notice = "PIN and badge entry at this terminal is locked until"
    assert page.count(notice) == 2  # the lock screen's and the switch dialog's forms
