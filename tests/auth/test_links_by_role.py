"""No page links a person to a page their role cannot open (a 403 is a dead end at the
counter): the demo pharmacy walked as its technician, pharmacist, manager and admin."""

import re
from collections import deque
from urllib.parse import urlsplit

from portal.auth.models import User
from tests.factories import sign_in

HREF = re.compile(r'href="([^"#]*)"')
# Not pages: downloads and files, and signing out.
SKIP = re.compile(r"^/(static/|logout)|\.(pdf|csv|png|jpg)$|/(pdf|csv|export|image)(/|$)")
PAGES_PER_ROLE = 160


def _shape(path: str) -> str:
    """One page per kind: /fills/12/pickup and /fills/13/pickup are the same page."""
    return re.sub(r"\d+", "N", path)


def _walk(client) -> list[str]:
    """Follow every same-site link from the start page; the links that answered 403."""
    seen, refused = set(), []
    queue = deque([("/", "/")])
    pages = 0
    while queue and pages < PAGES_PER_ROLE:
        url, found_on = queue.popleft()
        response = client.get(url)
        pages += 1
        if response.status_code == 403:
            refused.append(f"{url} (linked from {found_on})")
            continue
        if response.status_code != 200 or "text/html" not in response.content_type:
            continue
        for href in HREF.findall(response.get_data(as_text=True)):
            href = href.replace("&amp;", "&")
            parts = urlsplit(href)
            if parts.scheme or parts.netloc or not parts.path.startswith("/"):
                continue
            if SKIP.search(parts.path) or _shape(parts.path) in seen:
                continue
            seen.add(_shape(parts.path))
            queue.append((href, url))
    return refused


def test_no_page_links_to_a_page_the_role_cannot_open(bare_app):
    result = bare_app.test_cli_runner().invoke(args=["demo", "load"])
    assert result.exit_code == 0, result.output
    refused = {}
    for username in ("tina", "paul", "maria", "adam"):
        client = bare_app.test_client()
        sign_in(client, User.get(User.username == username))
        refused[username] = _walk(client)
    assert refused == {"tina": [], "paul": [], "maria": [], "adam": []}
