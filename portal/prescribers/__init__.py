"""Prescribers: who writes prescriptions, with NPI, DEA registration and state license."""

from flask import Flask

from portal import nav


def init_app(app: Flask) -> None:
    from portal.prescribers import views

    app.register_blueprint(views.bp)
    nav.add(app, "Prescribers", "prescribers.index", order=30)
