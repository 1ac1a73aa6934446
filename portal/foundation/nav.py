"""The top-bar menu: each area adds its entries when it is registered.

The menu is on every page, so what does not change between requests is worked out once: the
entries a set of roles sees, and each entry's address (menu entries take no arguments; the
address depends only on where the app is mounted, the script root).
"""

from dataclasses import dataclass

from flask import Flask

# The start page's own blueprint (the pharmacy area's, holding its settings page too): a page
# of it under no menu entry's address is the start page, which is no entry's page.
START_PAGE_BLUEPRINT = "pharmacy"


@dataclass(frozen=True)
class NavItem:
    label: str
    endpoint: str
    roles: frozenset[str]  # empty: every signed-in user
    order: int


@dataclass(frozen=True)
class MenuLink:
    """One entry of the menu as a page shows it."""

    label: str
    endpoint: str
    url: str
    current: bool


def add(app: Flask, label: str, endpoint: str, roles=(), order: int = 50) -> None:
    items = app.extensions.setdefault("portal_nav", [])
    items.append(NavItem(label, endpoint, frozenset(roles), order))
    items.sort(key=lambda item: item.order)
    app.extensions.pop("portal_nav_seen", None)
    app.extensions.pop("portal_nav_urls", None)


def items_for(app: Flask, user) -> tuple[NavItem, ...]:
    """The entries user's roles open, in menu order (worked out once per set of roles)."""
    if user is None:
        return ()
    seen = app.extensions.setdefault("portal_nav_seen", {})
    roles = user.roles
    items = seen.get(roles)
    if items is None:
        held = frozenset(roles.split())
        items = seen[roles] = tuple(
            item
            for item in app.extensions.get("portal_nav", [])
            if not item.roles or item.roles & held
        )
    return items


def _urls(app: Flask) -> dict[str, str]:
    """Each entry's address, built once per script root (url_for needs a request)."""
    from flask import request, url_for

    built = app.extensions.setdefault("portal_nav_urls", {})
    urls = built.get(request.script_root)
    if urls is None:
        urls = built[request.script_root] = {
            item.endpoint: url_for(item.endpoint) for item in app.extensions.get("portal_nav", [])
        }
    return urls


def current(app: Flask, user, path: str, blueprint: str | None) -> str | None:
    """The endpoint of the menu item the page at path belongs to: the item whose address is
    the longest prefix of path, else the first item of the page's blueprint."""
    items = items_for(app, user)
    urls = _urls(app)
    best, best_length = None, -1
    for item in items:
        url = urls[item.endpoint]
        stem = url if url.endswith("/") else url + "/"
        if (path == url or path.startswith(stem)) and len(url) > best_length:
            best, best_length = item.endpoint, len(url)
    if best is None and blueprint and blueprint != START_PAGE_BLUEPRINT:
        best = next((i.endpoint for i in items if i.endpoint.split(".")[0] == blueprint), None)
    return best


def menu(app: Flask, user, path: str, blueprint: str | None) -> list[MenuLink]:
    """The menu for user on the page at path: each entry's label, address and whether it is
    the page's own (aria-current)."""
    here = current(app, user, path, blueprint)
    urls = _urls(app)
    return [
        MenuLink(item.label, item.endpoint, urls[item.endpoint], item.endpoint == here)
        for item in items_for(app, user)
    ]
