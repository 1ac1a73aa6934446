"""Junk in a request is never a server error: a typo, a pasted scan or a tampered link in
a query string, a form or an id in the URL is ignored, explained or not found."""

import ast
import re
from pathlib import Path

import pytest

from portal.auth.models import ROLES

PORTAL = Path(__file__).resolve().parents[2] / "portal"
# Names the portal's pages read from the query string (searches, filters, paging).
PARAMETERS = (
    "q", "patient", "payer", "state", "view", "days", "page", "after", "before", "cursor",
    "start", "end", "from", "to", "served_from", "served_to", "bucket", "user", "entity",
    "action", "code", "status", "tab", "entered_by", "sort", "next", "fill", "stock", "kind",
)  # fmt: skip
JUNK = (
    "²",
    "\x00",
    "'; drop table patient; --",
    "9" * 40,
    "-1",
    "2026-02-30",
    "%",
    "\u202e",
    "x" * 2000,
)


@pytest.fixture
def everyone(client_as):
    return client_as(*ROLES)


def _plain_get_routes(app):
    return sorted(
        rule.rule
        for rule in app.url_map.iter_rules()
        if "GET" in rule.methods and not rule.arguments and rule.endpoint != "static"
    )


@pytest.mark.parametrize("junk", JUNK, ids=lambda junk: repr(junk)[:12])
def test_no_page_fails_on_junk_in_its_query_string(app, everyone, junk):
    failures = []
    for path in _plain_get_routes(app):
        if path in ("/logout", "/terminal/lock"):
            continue
        for headers in ({}, {"HX-Request": "true"}):
            response = everyone.get(
                path, query_string={name: junk for name in PARAMETERS}, headers=headers
            )
            response.get_data()  # a streamed export runs only as it is read
            if response.status_code >= 500:
                failures.append((path, headers.get("HX-Request", "page")))
            response.close()
    assert failures == []


def test_nul_characters_never_reach_a_view():
    from werkzeug.test import EnvironBuilder

    from portal.foundation.requests import PortalRequest

    environ = EnvironBuilder(
        query_string="q=Smi%00th&q=x", method="POST", data={"note": "call\x00 back"}
    ).get_environ()
    request = PortalRequest(environ)
    assert request.args.getlist("q") == ["Smith", "x"]
    assert request.form["note"] == "call back"


def test_an_id_too_large_for_the_database_is_a_page_not_found(app, everyone):
    failures = []
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static" or not rule.arguments:
            continue
        path = rule.rule
        for name in rule.arguments:
            path = re.sub(rf"<(?:\w+:)?{name}>", "9" * 25, path)
        for method in sorted(rule.methods & {"GET", "POST"}):
            response = everyone.open(path, method=method, data={"note": "x"})
            response.get_data()
            if response.status_code >= 500:
                failures.append((method, rule.rule))
            response.close()
    assert failures == []


def test_form_validators_raise_validation_errors():
    """WTForms 3 turns a ValidationError into a field message; any other error from a
    ``validate_<field>`` method is a server error."""
    offenders = []
    for path in PORTAL.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.FunctionDef) and node.name.startswith("validate_"):
                for inner in ast.walk(node):
                    raised = getattr(inner, "exc", None) if isinstance(inner, ast.Raise) else None
                    name = getattr(getattr(raised, "func", raised), "id", "")
                    if name and name not in ("ValidationError", "StopValidation"):
                        offenders.append(f"{path.relative_to(PORTAL.parent)}:{inner.lineno}")
    assert offenders == []
