"""Per-route permission decorators, read against the acting user on flask.g (the auth area
puts it there before each request).

Every route carries exactly one of: `@public` (no sign-in: login, setup, health),
`@login_required` (any signed-in staff member), `@roles_required("pharmacist", ...)`
(any one of the roles). They set `is_public` / `roles_allowed` on the view, which
tests/auth/test_permissions.py reads to walk every route for every role.
"""

from functools import wraps

from flask import abort, g, redirect, request, url_for


def login_required(view):
    @wraps(view)
    def wrapped(*args, **kwargs):
        if g.get("user") is None:
            return redirect(url_for("auth.login", next=request.full_path))
        return view(*args, **kwargs)

    wrapped.roles_allowed = None  # any signed-in user
    return wrapped


def roles_required(*roles: str):
    """Allow the view only to users holding at least one of the roles (403 otherwise)."""

    def decorator(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            if g.get("user") is None:
                return redirect(url_for("auth.login", next=request.full_path))
            if not g.user.has_any_role(roles):
                abort(403)
            return view(*args, **kwargs)

        wrapped.roles_allowed = frozenset(roles)
        return wrapped

    return decorator


def public(view):
    """Mark a view as needing no sign-in (login, setup, health)."""
    view.is_public = True
    return view


def may_open(endpoint: str) -> bool:
    """Whether the acting user may open the page at endpoint: templates link only to pages
    the role can open (a link to a 403 is a dead end at the counter)."""
    from flask import current_app

    view = current_app.view_functions.get(endpoint)
    if view is None:
        return False
    if getattr(view, "is_public", False):
        return True
    user = g.get("user")
    if user is None:
        return False
    roles = getattr(view, "roles_allowed", None)
    return roles is None or user.has_any_role(roles)
