"""Claims: payers' answers on each fill's claim, reject codes and follow-ups, prior
authorizations and 835 remittance import (claims/, prior_auth/, remittance/).

Mortar is not a claims switch: claims are submitted in the payer's or switch's portal and
their responses are recorded here, or imported from the payer's 835 remittance. The
manager's dashboard is a report (portal.reports.claims).
"""

from flask import Blueprint, Flask

from portal.foundation import demo as demo_data
from portal.foundation import nav, panels, start_page
from portal.foundation.i18n import lazy_gettext as _l

STAFF = ("technician", "pharmacist", "manager")

bp = Blueprint("claims", __name__, url_prefix="/claims")


def init_app(app: Flask) -> None:
    from portal.claims import demo, settings, settings_views  # noqa: F401  (settings, routes)
    from portal.claims.claims import decision_views, queue_views, return_views, views  # noqa: F401
    from portal.claims.remittance import views as remittance_views  # noqa: F401  (routes)

    app.register_blueprint(bp)
    panels.add(app, "fill:billing", "claims/_fill_claims.html")
    demo_data.add_loader(app, demo.load)
    nav.add(app, _l("Claims"), "claims.queue", roles=STAFF, order=60)
    start_page.add(app, _l("Claims"), queue_views.today_lines, roles=STAFF, order=60)
