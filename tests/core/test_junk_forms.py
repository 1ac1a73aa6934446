"""Every form the portal shows survives junk: on the demo pharmacy, each page's POST forms
are sent back with every field holding a superscript digit, a number too long for any
column, or only a space. The answer is the page with messages or a redirect, never a
server error."""

import html
import re

import pytest

from portal.auth.models import ROLES
from tests.factories import make_user, sign_in

JUNK = ("²", "9" * 30, " ")
# Forms that end or hand over the session rather than change data.
SESSION_ACTIONS = ("/logout", "/terminal/")
_FORM = re.compile(r"<form([^>]*)>(.*?)</form>", re.S | re.I)
_ACTION = re.compile(r'action="([^"]*)"')
_NAME = re.compile(r'name="([^"]+)"')


@pytest.fixture
def demo_client(bare_app):
    result = bare_app.test_cli_runner().invoke(args=["demo", "load"])
    assert result.exit_code == 0, result.output
    client = bare_app.test_client()
    sign_in(client, make_user(roles=ROLES))
    return client


def _pages(app) -> list[str]:
    """Every GET page, ids 1 to 3 where it takes ids (the demo has records of each)."""
    pages = set()
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods or rule.endpoint == "static":
            continue
        if any(f"<int:{name}>" not in rule.rule for name in rule.arguments):
            continue
        for number in (1, 2, 3):
            pages.add(re.sub(r"<int:\w+>", str(number), rule.rule))
    return sorted(pages)


def _post_forms(page_html: str, page: str) -> list[tuple[str, set[str]]]:
    forms = []
    for attributes, inner in _FORM.findall(page_html):
        if 'method="post"' not in attributes.lower():
            continue
        found = _ACTION.search(attributes)
        action = html.unescape(found.group(1)) if found and found.group(1) else page
        if not action.startswith(SESSION_ACTIONS):
            forms.append((action, set(_NAME.findall(inner)) - {"csrf_token"}))
    return forms


def test_no_form_fails_on_junk(bare_app, demo_client):
    failures, posted = [], 0
    for page in _pages(bare_app):
        response = demo_client.get(page)
        body = response.get_data(as_text=True)
        if response.status_code != 200:
            continue
        for action, names in _post_forms(body, page):
            for junk in JUNK:
                answer = demo_client.post(action, data=dict.fromkeys(names, junk))
                answer.get_data()
                posted += 1
                if answer.status_code >= 500:
                    failures.append((action, junk))
    assert posted > 100  # the walk reached the forms
    assert failures == []
