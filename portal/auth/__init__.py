"""Staff accounts, sign-in, the shared counter terminal and permissions."""

from flask import Flask, g, redirect, request, url_for

from portal.foundation import nav
from portal.foundation.access import may_open
from portal.foundation.i18n import lazy_gettext as _l


def init_app(app: Flask) -> None:
    from portal.auth import (
        account_views,
        cli,
        pins,
        ratelimit,
        security,
        staff_views,
        terminal,
        terminal_views,
        views,
    )

    app.register_blueprint(views.bp)
    app.register_blueprint(account_views.bp)
    app.register_blueprint(staff_views.bp)
    security.init_app(app)
    ratelimit.init_app(app)
    cli.init_app(app)
    nav.add(app, _l("Staff"), "staff.index", roles=("admin",), order=80)
    app.extensions["audit_people"] = _audit_people
    app.add_template_global(may_open, "may_open")

    @app.before_request
    def _require_sign_in():
        # This terminal on g.terminal and its acting user on g.user (None if signed out).
        if request.endpoint == "static":
            # Stylesheets and scripts are the same for everyone: no read of the terminal.
            g.terminal, g.user = None, None
            return None
        terminal.load()
        if request.endpoint is None:
            return None
        view = app.view_functions.get(request.endpoint)
        if getattr(view, "is_public", False):
            return None
        if g.user is None:
            return redirect(url_for("auth.login", next=request.full_path))
        return terminal_views.enforce_lock()

    @app.context_processor
    def _acting_user():
        return {
            "acting_user": g.get("user"),
            "cosign": g.get("cosign"),
            "terminal_clock": _terminal_clock,
            "pin_entry_notice": pins.pin_entry_notice,
        }

    def _terminal_clock() -> dict:
        current = terminal.current()
        return {
            "idle_seconds": terminal.idle_seconds(),
            "seconds_left": terminal.seconds_left(current) if current else 0,
        }


def _audit_people() -> list[tuple[str, str]]:
    """Staff as the audit trail's "Who" filter offers them (deactivated ones marked)."""
    from portal.auth.models import User

    people = User.select(User.id, User.full_name, User.active).order_by(User.full_name)
    return [(str(u.id), u.full_name + ("" if u.active else " (deactivated)")) for u in people]
