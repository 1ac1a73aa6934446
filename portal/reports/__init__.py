"""Reports for managers and the pharmacist in charge: staff activity, the controlled-
substance dispensing log and the value of the stock (claims have their own dashboard)."""

from flask import Flask

from portal import nav


def init_app(app: Flask) -> None:
    from portal.reports import audit_names, views

    app.register_blueprint(views.bp)
    audit_names.register()
    nav.add(app, "Reports", "reports.index", roles=views.REPORT_ROLES, order=72)
