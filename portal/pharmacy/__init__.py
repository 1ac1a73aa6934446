"""The pharmacy itself: first-run setup, the start page, the pharmacy's settings and health."""

from flask import Blueprint, Flask, g, redirect, request, url_for

from portal.foundation import dates, nav
from portal.foundation.i18n import lazy_gettext as _l

SETUP_OPEN = {"pharmacy.setup", "pharmacy.healthz", "static"}

bp = Blueprint("pharmacy", __name__)


def _stored_zone() -> str | None:
    from portal.pharmacy.models import Pharmacy

    pharmacy = Pharmacy.current()
    return pharmacy.time_zone if pharmacy else None


def init_app(app: Flask) -> None:
    from portal.pharmacy import views  # noqa: F401  (routes)
    from portal.pharmacy.models import Pharmacy

    app.register_blueprint(bp)
    dates.read_zone_outside_requests(_stored_zone)
    nav.add(app, _l("Pharmacy"), "pharmacy.pharmacy_settings", roles=("admin",), order=90)

    @app.before_request
    def _require_setup():
        """Until the pharmacy exists, every page leads to the setup form."""
        if request.endpoint in SETUP_OPEN:
            return None
        g.pharmacy = Pharmacy.current()
        if g.pharmacy is None:
            return redirect(url_for("pharmacy.setup"))
        return None
