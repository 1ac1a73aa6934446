"""Sign-in and PIN-entry rate limits (issue 17, items 6 and 1; the silent switch dialog):
atomic under a burst, only failures count, and the refusal says so where htmx shows it."""

from portal.audit.models import AuditEvent
from portal.auth.models import TerminalSession, User
from tests.factories import DEFAULT_PASSWORD, make_pharmacy, make_user, sign_in

HTMX = {"HX-Request": "true"}


def _events(action):
    return AuditEvent.select().where(AuditEvent.action == action).count()


def test_a_burst_of_sign_ins_gets_no_more_than_the_limit_through(make_app, burst):
    app = make_app(RATELIMIT_ENABLED=True, LOGIN_RATE_LIMIT="10 per minute")
    with app.app_context():
        make_pharmacy()
        clients = [app.test_client() for _ in range(30)]
        sends = [
            lambda client=client: client.post(
                "/login", data={"username": "nobody", "password": "a wrong password"}
            )
            for client in clients
        ]
        statuses = [response.status_code for response in burst(sends)]
    assert statuses.count(200) == 10
    assert statuses.count(429) == 20


def test_a_burst_of_wrong_passwords_for_one_account_checks_no_more_than_the_limit(app, burst):
    user = make_user(roles=("pharmacist",))
    clients = [app.test_client() for _ in range(20)]
    sends = [
        lambda client=client, number=number: client.post(
            "/login", data={"username": user.username, "password": f"wrong password {number}"}
        )
        for number, client in enumerate(clients)
    ]
    statuses = [response.status_code for response in burst(sends)]
    assert statuses == [200] * 20
    assert _events("sign_in_failed") == 5
    assert _events("lockout") == 1
    assert User.get_by_id(user.id).pin_locked_until is not None


def test_right_sign_ins_do_not_count_toward_the_limit(limited_app):
    user = make_user(roles=("technician",))
    client = limited_app.test_client()
    for _ in range(5):
        login = {"username": user.username, "password": DEFAULT_PASSWORD}
        assert client.post("/login", data=login).status_code == 302
    for _ in range(3):
        login = {"username": user.username, "password": "not the password"}
        assert client.post("/login", data=login).status_code == 200
    assert client.post("/login", data=login).status_code == 429


def test_switching_user_all_day_never_meets_the_limit(limited_app):
    colleague = make_user(roles=("pharmacist",))
    technician = make_user(roles=("technician",))
    client = limited_app.test_client()
    sign_in(client, technician)
    for turn in range(12):
        pin = colleague.pin if turn % 2 == 0 else technician.pin
        response = client.post("/terminal/switch", data={"pin": pin}, headers=HTMX)
        assert response.status_code == 200
        assert "terminal-acted" in response.headers["HX-Trigger"]


def test_the_switch_dialog_says_why_it_refuses_too_many_wrong_pins(limited_app):
    technician = make_user(roles=("technician",))
    for guess in range(4):
        client = limited_app.test_client()  # a new terminal each time: no lockout first
        terminal = sign_in(client, technician)
        TerminalSession.update(signed_in_by=make_user()).where(
            TerminalSession.id == terminal.id
        ).execute()
        response = client.post("/terminal/switch", data={"pin": f"9{guess}8642"}, headers=HTMX)
    assert response.status_code == 429
    page = response.get_data(as_text=True)
    assert 'class="pin-form"' in page  # the dialog's own form, which portal.js swaps in
    assert "Too many PIN attempts from this computer. Try again after" in page


def test_a_refused_sign_in_keeps_the_username_and_says_until_when(limited_app):
    client = limited_app.test_client()
    wrong = {"username": "tess.ng", "password": "not the password"}
    for _ in range(3):
        assert client.post("/login", data=wrong).status_code == 200
    page = client.post("/login", data=wrong)
    assert page.status_code == 429
    text = page.get_data(as_text=True)
    assert 'value="tess.ng"' in text
    assert "Too many attempts from this computer. Try again after" in text


def test_wrong_current_passwords_are_limited_and_the_form_kept(limited_app):
    technician = make_user(roles=("technician",))
    client = limited_app.test_client()
    sign_in(client, technician)
    form = {
        "pin-current_password": "not my password",
        "pin-pin": "582913",
        "pin-confirm_pin": "582913",
    }
    for _ in range(3):
        assert client.post("/account/pin", data=form).status_code == 422
    form["pin-current_password"] = DEFAULT_PASSWORD
    page = client.post("/account/pin", data=form)
    assert page.status_code == 429
    assert "Too many attempts from this computer. Try again after" in page.get_data(as_text=True)
