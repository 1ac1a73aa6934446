"""The session cookie is written only when the session changed: a counter page polls in
the background, and a poll answering after a form's answer must not put back the session
as it was before the form (its flash message, its CSRF token). Signed in through the form,
as staff are: that session is permanent (12 hours), which Flask would otherwise re-send on
every response."""

from tests.factories import DEFAULT_PASSWORD, make_patient, make_pharmacy, make_user


def _session_cookie_set(response) -> bool:
    return any(header.startswith("session=") for header in response.headers.getlist("Set-Cookie"))


def _signed_in(bare_app):
    make_pharmacy()
    user = make_user(roles=("technician",))
    client = bare_app.test_client()
    answer = client.post("/login", data={"username": user.username, "password": DEFAULT_PASSWORD})
    assert answer.status_code == 302 and _session_cookie_set(answer)
    client.get("/")  # anything left from signing in is read
    return client


def test_a_request_that_changes_nothing_in_the_session_sends_no_cookie(bare_app):
    client = _signed_in(bare_app)
    poll = client.get("/queue", headers={"HX-Request": "true", "X-Background": "1"})
    assert poll.status_code == 200
    assert not _session_cookie_set(poll)
    assert not _session_cookie_set(client.get("/queue"))


def test_a_poll_answering_late_cannot_drop_the_flash_of_a_form(bare_app):
    client = _signed_in(bare_app)
    before = client.get_cookie("session").value
    patient = make_patient()
    saved = client.post(
        f"/patients/{patient.id}/allergies/new",
        data={"allergen": "penicillins", "kind": "class", "reaction": "hives"},
    )
    assert saved.status_code in (302, 303) and _session_cookie_set(saved)
    after = client.get_cookie("session").value
    # A poll sent with the cookie from before the form, answering after it, leaves the
    # browser's cookie (the form's, with its flash message) alone.
    client.set_cookie("session", before)
    poll = client.get("/queue", headers={"HX-Request": "true", "X-Background": "1"})
    assert not _session_cookie_set(poll)
    client.set_cookie("session", after)
    page = client.get(f"/patients/{patient.id}").get_data(as_text=True)
    assert "recorded" in page
