"""The pharmacy, first-run setup, the layout's shared pieces, errors and health."""

from flask import Flask, g, redirect, request, url_for

from portal.foundation import nav

SETUP_OPEN = {"pharmacy.setup", "pharmacy.healthz", "static"}


def init_app(app: Flask) -> None:
    from portal.foundation import backup, errors, filters
    from portal.pharmacy import views
    from portal.pharmacy.models import Pharmacy

    app.register_blueprint(views.bp)
    errors.init_app(app)
    filters.init_app(app)
    backup.init_app(app)
    nav.add(app, "Pharmacy", "pharmacy.pharmacy_settings", roles=("admin",), order=90)

    @app.before_request
    def _require_setup():
        """Until the pharmacy exists, every page leads to the setup form."""
        if request.endpoint in SETUP_OPEN:
            return None
        g.pharmacy = Pharmacy.current()
        if g.pharmacy is None:
            return redirect(url_for("pharmacy.setup"))
        return None
