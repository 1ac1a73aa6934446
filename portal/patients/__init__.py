"""Patients: records, allergies, insurance coverages and payers; the patient search."""

from flask import Flask

from portal import nav


def init_app(app: Flask) -> None:
    from portal.patients import allergy_views, coverage_views, demo, payer_views, views  # noqa: F401

    app.register_blueprint(views.bp)
    demo.init_app(app)
    nav.add(app, "Patients", "patients.search", roles=views.PATIENT_ROLES, order=10)
    nav.add(app, "Payers", "patients.payers", roles=payer_views.PAYER_ROLES, order=80)
