"""The role walk: every page a signed-in test client reaches by following same-site links
from the start page, one page per kind. Used by the 403 check (tests/auth) and the
accessibility check in the browser (tests/e2e/test_accessibility.py)."""

import re
from collections import deque
from urllib.parse import urlsplit

HREF = re.compile(r'href="([^"#]*)"')
# Not pages: downloads and files, and signing out.
SKIP = re.compile(r"^/(static/|logout)|\.(pdf|csv|png|jpg)$|/(pdf|csv|export|image)(/|$)")
PAGES_PER_ROLE = 160


def shape(path: str) -> str:
    """One page per kind: /fills/12/pickup and /fills/13/pickup are the same page."""
    return re.sub(r"\d+", "N", path)


def walk(client, limit: int = PAGES_PER_ROLE) -> tuple[list[str], list[str]]:
    """Follow every same-site link from the start page: (the pages that opened, the links
    that answered 403 with the page each was found on)."""
    seen, opened, refused = set(), [], []
    queue = deque([("/", "/")])
    while queue and len(opened) + len(refused) < limit:
        url, found_on = queue.popleft()
        response = client.get(url)
        if response.status_code == 403:
            refused.append(f"{url} (linked from {found_on})")
            continue
        if response.status_code != 200 or "text/html" not in response.content_type:
            continue
        opened.append(url)
        for href in HREF.findall(response.get_data(as_text=True)):
            href = href.replace("&amp;", "&")
            parts = urlsplit(href)
            if parts.scheme or parts.netloc or not parts.path.startswith("/"):
                continue
            if SKIP.search(parts.path) or shape(parts.path) in seen:
                continue
            seen.add(shape(parts.path))
            queue.append((href, url))
    return opened, refused
