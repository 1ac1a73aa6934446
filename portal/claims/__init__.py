"""Claims: payers' answers on each fill's claim, reject codes and follow-ups, prior
authorizations, 835 remittance import, and the manager's dashboard.

Mortar is not a claims switch: claims are submitted in the payer's or switch's portal and
their responses are recorded here, or imported from the payer's 835 remittance.
"""

from flask import Flask

from portal import nav, today

STAFF = ("technician", "pharmacist", "manager")


def init_app(app: Flask) -> None:
    from portal.claims import queue_views, settings, views  # noqa: F401  (settings define at import)

    app.register_blueprint(views.bp)
    nav.add(app, "Claims", "claims.queue", roles=STAFF, order=60)
    nav.add(app, "Dashboard", "claims.dashboard_page", roles=("manager",), order=70)
    today.add(app, "Claims", queue_views.today_lines, roles=STAFF, order=60)
