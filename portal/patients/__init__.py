"""Patients: records, allergies, insurance coverages and payers; the patient search."""

from flask import Blueprint, Flask

from portal.foundation import demo as demo_data
from portal.foundation import nav
from portal.foundation.i18n import lazy_gettext as _l

bp = Blueprint("patients", __name__)


def init_app(app: Flask) -> None:
    from portal.patients import (  # noqa: F401
        allergy_views,
        coverage_views,
        demo,
        other_meds_views,
        payer_views,
        views,
    )

    app.register_blueprint(bp)
    demo_data.add_refusal(app, demo.real_data_reason)
    demo_data.add_loader(app, demo.load)
    nav.add(app, _l("Patients"), "patients.search", roles=views.PATIENT_ROLES, order=10)
    nav.add(app, _l("Payers"), "patients.payers", roles=payer_views.PAYER_ROLES, order=80)
