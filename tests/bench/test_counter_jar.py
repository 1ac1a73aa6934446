"""The counter day's terminals keep the cookies the portal sets, as a browser does."""

from bench.counter_day import Jar


class _Response:
    def __init__(self, *lines):
        self.headers = _Headers(lines)


class _Headers:
    def __init__(self, lines):
        self.lines = list(lines)

    def get_all(self, name):
        return self.lines if name == "Set-Cookie" else None


def test_a_new_session_cookie_replaces_the_old_and_others_stay():
    jar = Jar("session=first; theme=plain")
    jar.keep(_Response("session=second.signed; HttpOnly; Path=/; SameSite=Lax"))
    assert jar.header() == "session=second.signed; theme=plain"


def test_a_cookie_cleared_by_the_portal_is_no_longer_sent():
    jar = Jar("session=first; theme=plain")
    jar.keep(_Response("session=; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=0; Path=/"))
    assert jar.header() == "theme=plain"


def test_the_session_cookie_the_portal_sets_on_a_page_is_sent_back(app, client_as):
    technician = client_as("technician")
    answer = technician.get("/")
    lines = answer.headers.getlist("Set-Cookie")
    assert lines, "the first page of a session writes its CSRF token into the session"
    jar = Jar("session=old")
    jar.keep(_Response(*lines))
    name = app.config["SESSION_COOKIE_NAME"]
    assert jar.values[name] != "old" and jar.values[name]
