"""Prescriptions: intake, the fill workflow, pharmacist verification and the safety checks."""

from flask import Flask

from portal import nav, today


def init_app(app: Flask) -> None:
    from portal.prescriptions import (  # noqa: F401  (modules add routes to the blueprint)
        clarify_views,
        counter_views,
        fill_views,
        history,
        intake_views,
        queues,
        rx_search,
        settings,
        verify_views,
        views,
    )

    app.register_blueprint(views.bp)
    history.register()
    rx_search.register()
    nav.add(app, "New Rx", "prescriptions.intake", roles=views.WORK_ROLES, order=12)
    nav.add(app, "Queues", "prescriptions.queue", roles=views.VIEW_ROLES, order=14)
    nav.add(app, "Is it ready?", "prescriptions.ready_lookup", order=16)
    today.add(app, "Prescriptions", queues.today_lines, roles=views.VIEW_ROLES, order=10)
