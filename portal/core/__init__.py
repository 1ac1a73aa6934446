"""The pharmacy, first-run setup, the layout's shared pieces, errors and health."""

from flask import Flask, g, redirect, request, url_for

from portal import nav

SETUP_OPEN = {"core.setup", "core.healthz", "static"}


def init_app(app: Flask) -> None:
    from portal import long_work
    from portal.core import backup, errors, filters, views
    from portal.core.models import Pharmacy

    app.register_blueprint(views.bp)
    app.register_blueprint(long_work.bp)
    errors.init_app(app)
    filters.init_app(app)
    backup.init_app(app)
    nav.add(app, "Pharmacy", "core.pharmacy_settings", roles=("admin",), order=90)

    @app.before_request
    def _require_setup():
        """Until the pharmacy exists, every page leads to the setup form."""
        if request.endpoint in SETUP_OPEN:
            return None
        g.pharmacy = Pharmacy.current()
        if g.pharmacy is None:
            return redirect(url_for("core.setup"))
        return None
