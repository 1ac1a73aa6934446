"""The top-bar menu: each area adds its entries when it is registered."""

from dataclasses import dataclass

from flask import Flask


@dataclass(frozen=True)
class NavItem:
    label: str
    endpoint: str
    roles: frozenset[str]  # empty: every signed-in user
    order: int


def add(app: Flask, label: str, endpoint: str, roles=(), order: int = 50) -> None:
    items = app.extensions.setdefault("portal_nav", [])
    items.append(NavItem(label, endpoint, frozenset(roles), order))
    items.sort(key=lambda item: item.order)


def items_for(app: Flask, user) -> list[NavItem]:
    if user is None:
        return []
    return [
        item
        for item in app.extensions.get("portal_nav", [])
        if not item.roles or user.has_any_role(item.roles)
    ]


def current(app: Flask, user, path: str, blueprint: str | None) -> str | None:
    """The endpoint of the menu item the page at path belongs to: the item whose address is
    the longest prefix of path, else the first item of the page's blueprint."""
    from flask import url_for

    items = items_for(app, user)
    best, best_length = None, -1
    for item in items:
        url = url_for(item.endpoint)
        stem = url if url.endswith("/") else url + "/"
        if (path == url or path.startswith(stem)) and len(url) > best_length:
            best, best_length = item.endpoint, len(url)
    if best is None and blueprint and blueprint != "core":
        best = next((i.endpoint for i in items if i.endpoint.split(".")[0] == blueprint), None)
    return best
