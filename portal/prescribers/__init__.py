"""Prescribers: who writes prescriptions, with NPI, DEA registration and state license."""

from flask import Flask

from portal.foundation import demo as demo_data
from portal.foundation import nav


def init_app(app: Flask) -> None:
    from portal.prescribers import demo, views

    app.register_blueprint(views.bp)
    demo_data.add_loader(app, demo.load)
    nav.add(app, "Prescribers", "prescribers.index", order=30)
