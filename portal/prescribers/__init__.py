"""Prescribers: who writes prescriptions, with NPI, DEA registration and state license."""

from flask import Blueprint, Flask

from portal.foundation import demo as demo_data
from portal.foundation import nav
from portal.foundation.i18n import lazy_gettext as _l

bp = Blueprint("prescribers", __name__, url_prefix="/prescribers")


def init_app(app: Flask) -> None:
    from portal.prescribers import demo, views  # noqa: F401  (routes)

    app.register_blueprint(bp)
    demo_data.add_loader(app, demo.load)
    nav.add(app, _l("Prescribers"), "prescribers.index", order=30)
