"""Staff accounts, sign-in, the shared counter terminal and permissions."""

from flask import Flask, g, redirect, request, url_for

from portal import nav
from portal.auth.access import load_acting_user, may_open


def init_app(app: Flask) -> None:
    from portal.auth import (
        account_views,
        cli,
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
    nav.add(app, "Staff", "staff.index", roles=("admin",), order=80)
    app.add_template_global(may_open, "may_open")

    @app.before_request
    def _require_sign_in():
        load_acting_user()
        if request.endpoint is None or request.endpoint == "static":
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
        }

    def _terminal_clock() -> dict:
        current = terminal.current()
        return {
            "idle_seconds": terminal.idle_seconds(),
            "seconds_left": terminal.seconds_left(current) if current else 0,
        }
