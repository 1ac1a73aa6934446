"""Password sign-in, lockouts, rate limits, CSRF, session cookie and security headers."""

from datetime import timedelta

from portal.audit.models import AuditEvent
from portal.auth.models import TerminalSession, User
from portal.foundation.dates import utcnow
from tests.factories import DEFAULT_PASSWORD, make_user


def _login(client, username, password=DEFAULT_PASSWORD, **kwargs):
    return client.post("/login", data={"username": username, "password": password}, **kwargs)


def test_sign_in_starts_a_new_terminal_each_time(client):
    user = make_user(roles=("technician",))
    _login(client, user.username)
    with client.session_transaction() as session:
        first = session["terminal"]
    _login(client, user.username)
    with client.session_transaction() as session:
        second = session["terminal"]
        assert set(session.keys()) <= {"terminal", "_permanent", "_flashes", "csrf_token"}
    assert first != second
    old = TerminalSession.get(TerminalSession.terminal == first)
    assert old.ended_at is not None  # the old id opens nothing any more


def test_a_signed_out_cookie_cannot_be_replayed(client):
    user = make_user(roles=("technician",))
    _login(client, user.username)
    with client.session_transaction() as session:
        cookie_terminal = session["terminal"]
    client.post("/logout")
    with client.session_transaction() as session:
        session["terminal"] = cookie_terminal
    response = client.get("/")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_five_wrong_passwords_lock_the_account_for_fifteen_minutes(client):
    user = make_user(roles=("pharmacist",), full_name="Ann Pharmacist")
    for _ in range(4):
        page = _login(client, user.username, "wrong password")
        assert b"Username or password is not right" in page.data
    page = _login(client, user.username, "wrong password")
    assert b"Ann Pharmacist&#39;s account is locked until" in page.data
    locked = User.get_by_id(user.id)
    minutes = (locked.pin_locked_until - utcnow()).total_seconds() / 60
    assert 14 < minutes <= 15
    # the right password does not get in while locked, nor does the PIN
    page = _login(client, user.username)
    assert b"account is locked" in page.data
    assert AuditEvent.select().where(AuditEvent.action == "lockout").count() == 1


def test_a_locked_account_cannot_unlock_or_switch_by_pin(client_as):
    pharmacist = make_user(roles=("pharmacist",), full_name="Ann Pharmacist")
    User.update(pin_locked_until=utcnow() + timedelta(minutes=10)).where(
        User.id == pharmacist.id
    ).execute()
    technician = client_as("technician")
    page = technician.post("/terminal/switch", data={"pin": pharmacist.pin})
    assert b"account is locked until" in page.data
    assert TerminalSession.get_by_id(technician.terminal.id).user_id == technician.user.id


def test_five_wrong_pins_lock_pin_entry_at_the_terminal(client_as):
    technician = client_as("technician")
    pharmacist = make_user(roles=("pharmacist",))
    for attempt in range(4):
        page = technician.post("/terminal/switch", data={"pin": f"9{attempt}1357"})
        assert b"That PIN or badge is not right" in page.data
    page = technician.post("/terminal/switch", data={"pin": "991357"})
    assert b"PIN and badge entry at this terminal is locked until" in page.data
    # even the right PIN is refused now; a password sign-in still works
    page = technician.post("/terminal/switch", data={"pin": pharmacist.pin})
    assert b"is locked until" in page.data
    assert TerminalSession.get_by_id(technician.terminal.id).user_id == technician.user.id
    assert _login(technician, pharmacist.username).status_code == 302


def test_a_right_pin_between_guesses_does_not_reset_the_terminal_count(client_as):
    technician = client_as("technician")
    for attempt in range(4):
        technician.post("/terminal/switch", data={"pin": f"8{attempt}2468"})
    technician.post("/terminal/switch", data={"pin": technician.user.pin})
    page = technician.post("/terminal/switch", data={"pin": "882468"})
    assert b"PIN and badge entry at this terminal is locked" in page.data


def test_sign_in_is_rate_limited_per_address(make_app):
    from tests.factories import make_pharmacy

    app = make_app(RATELIMIT_ENABLED=True, LOGIN_RATE_LIMIT="3 per minute")
    with app.app_context():
        make_pharmacy()
        user = make_user(roles=("technician",))
        here = app.test_client()
        for _ in range(3):
            assert _login(here, user.username, "wrong").status_code == 200
        refused = _login(here, user.username)
        assert refused.status_code == 429
        assert b"Too many attempts" in refused.data
        # another address is counted on its own
        elsewhere = app.test_client()
        response = _login(elsewhere, user.username, environ_base={"REMOTE_ADDR": "10.0.0.9"})
        assert response.status_code == 302
        # the count lives in the database, so every worker process shares it
        from portal.auth.models import RateLimitCounter

        assert RateLimitCounter.select().where(RateLimitCounter.count >= 3).exists()


def test_a_post_without_csrf_token_is_rejected(make_app):
    from tests.factories import make_pharmacy

    app = make_app(WTF_CSRF_ENABLED=True)
    with app.app_context():
        make_pharmacy()
        user = make_user(roles=("admin",))
        client = app.test_client()
        response = _login(client, user.username)
        assert response.status_code == 400
        assert b"This form has expired or was not sent from the portal" in response.data
        assert not TerminalSession.select().exists()


def test_security_headers_on_every_page(client):
    response = client.get("/login")
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "'unsafe-inline'" not in csp
    assert "frame-ancestors 'none'" in csp
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Cache-Control"] == "no-store"


def test_session_cookie_flags(client):
    user = make_user(roles=("technician",))
    response = _login(client, user.username, base_url="https://pharmacy.example")
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Secure" in cookie
    plain = _login(client, user.username)
    assert "Secure" not in plain.headers["Set-Cookie"]


def test_forwarded_proto_is_believed_only_with_trust_proxy(make_app):
    from tests.factories import make_pharmacy

    for trust, secure in ((False, False), (True, True)):
        app = make_app(TRUST_PROXY=trust)
        with app.app_context():
            if not _pharmacy_exists():
                make_pharmacy()
            user = make_user(roles=("technician",))
            response = _login(
                app.test_client(), user.username, headers={"X-Forwarded-Proto": "https"}
            )
            assert ("Secure" in response.headers["Set-Cookie"]) is secure


def _pharmacy_exists():
    from portal.pharmacy.models import Pharmacy

    return Pharmacy.current() is not None
