"""Every route, for every role: a role gets 403 wherever it has no business, a signed-out
visitor is sent to sign in, and no route lacks a permission decorator. New routes from any
area are covered automatically: the walk reads app.url_map."""

import re

import pytest

from portal.auth.models import ROLES
from tests.factories import make_user, sign_in

DUMMY = re.compile(r"<(?:(?P<conv>\w+)(?:\((?P<args>[^)]*)\))?:)?(?P<name>\w+)>")


def _url(rule) -> str:
    """The rule with every argument filled by a dummy value of its type."""

    def fill(match):
        conv = match.group("conv") or "string"
        if conv == "any":  # one of the listed words, or the route does not match at all
            return match.group("args").split(",")[0].strip()
        return {"int": "1", "float": "1.0", "path": "x/y", "uuid": "0" * 32}.get(conv, "x")

    return DUMMY.sub(fill, rule.rule)


def _routes(app):
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static":
            continue
        view = app.view_functions[rule.endpoint]
        for method in sorted((rule.methods or set()) - {"HEAD", "OPTIONS"}):
            yield rule, view, method


def _request(client, method, url):
    return client.open(url, method=method, data={}, headers={"Accept": "text/html"})


def test_every_route_declares_who_may_use_it(app):
    missing = [
        rule.rule
        for rule, view, _ in _routes(app)
        if not getattr(view, "is_public", False) and not hasattr(view, "roles_allowed")
    ]
    assert not missing, f"routes without @public/@login_required/@roles_required: {missing}"


def test_signed_out_visitors_are_sent_to_sign_in_everywhere(app):
    client = app.test_client()
    for rule, view, method in _routes(app):
        if getattr(view, "is_public", False):
            continue
        response = _request(client, method, _url(rule))
        assert response.status_code == 302, f"{method} {rule.rule} gave {response.status_code}"
        assert "/login" in response.headers["Location"], f"{method} {rule.rule}"


@pytest.mark.parametrize("role", ROLES)
def test_each_role_is_refused_where_it_has_no_business(app, role):
    user = make_user(roles=(role,))
    client = app.test_client()
    checked = 0
    for rule, view, method in _routes(app):
        allowed = getattr(view, "roles_allowed", None)
        if getattr(view, "is_public", False) or allowed is None:
            continue  # public, or any signed-in user
        if role in allowed:
            continue
        sign_in(client, user)  # a fresh terminal each time: an earlier request may end it
        response = _request(client, method, _url(rule))
        assert response.status_code == 403, (
            f"{role} reached {method} {rule.rule}: {response.status_code}"
        )
        checked += 1
    if role != "admin":
        assert checked > 0  # the walk really ran: every role is kept out of something
