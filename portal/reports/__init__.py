"""Reports for managers and the pharmacist in charge: staff activity, the controlled-
substance dispensing log, the value of the stock, and the claims dashboard (claims/)."""

from flask import Blueprint, Flask

from portal.foundation import nav, start_page
from portal.foundation.i18n import lazy_gettext as _l

REPORT_ROLES = ("manager", "pharmacist")
STAFF_ROLES = ("manager",)

bp = Blueprint("reports", __name__, url_prefix="/reports")


def init_app(app: Flask) -> None:
    from portal.auth.models import User
    from portal.claims.claims.models import Claim, ClaimReject
    from portal.patients.models import Patient
    from portal.prescribers.models import Prescriber
    from portal.reports import audit_names, views  # noqa: F401  (routes)
    from portal.reports.claims import views as claims_views  # noqa: F401  (routes)
    from portal.reports.claims.models import claim_saved, rejects_recorded
    from portal.reports.pmp import commands as pmp_commands
    from portal.reports.pmp import revisions
    from portal.reports.pmp import settings as pmp_settings  # noqa: F401  (defines them)
    from portal.reports.pmp import upload as pmp_upload
    from portal.reports.pmp import views as pmp_views  # noqa: F401  (routes)

    app.register_blueprint(bp)
    pmp_commands.init_app(app)
    start_page.add(app, _l("State PMP"), pmp_upload.today_lines, roles=REPORT_ROLES, order=60)
    audit_names.register()
    if revisions.patient_edited not in Patient.after_edit:
        Patient.after_edit.append(revisions.patient_edited)
    if revisions.prescriber_edited not in Prescriber.after_edit:
        Prescriber.after_edit.append(revisions.prescriber_edited)
    if revisions.pharmacist_renamed not in User.after_name_change:
        User.after_name_change.append(revisions.pharmacist_renamed)
    if claim_saved not in Claim.after_save:
        Claim.after_save.append(claim_saved)
    if rejects_recorded not in ClaimReject.after_record:
        ClaimReject.after_record.append(rejects_recorded)
    nav.add(app, _l("Reports"), "reports.index", roles=REPORT_ROLES, order=72)
    nav.add(app, _l("Dashboard"), "reports.claims_dashboard", roles=("manager",), order=70)
