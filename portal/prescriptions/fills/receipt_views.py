"""The pickup receipt: what was handed out, to whom, and that counseling was offered, printed
for the patient in the patient's preferred language (portal/foundation/i18n.py)."""

from flask import flash, redirect, render_template, url_for
from flask_babel import force_locale
from flask_babel import gettext as _

from portal.audit import log as audit
from portal.foundation.access import roles_required
from portal.foundation.db import write_transaction
from portal.foundation.i18n import locale_for
from portal.pharmacy.models import Pharmacy
from portal.prescriptions import WORK_ROLES, bp
from portal.prescriptions.fills.workflow import FillStatus
from portal.prescriptions.views import load_fill


@bp.route("/fills/<int:fill_id>/receipt")
@roles_required(*WORK_ROLES)
def pickup_receipt(fill_id: int):
    """A printable receipt of a fill that was picked up."""
    fill = load_fill(fill_id)
    if fill.status != FillStatus.PICKED_UP:
        flash(
            _("Rx %(rx)s has not been picked up: there is no receipt yet.", rx=fill.rx_fill),
            "warning",
        )
        return redirect(url_for("prescriptions.fill_detail", fill_id=fill.id))
    with write_transaction():
        audit.record(
            "view", "fill", fill.id, patient_id=fill.patient_id, note="pickup receipt printed"
        )
    locale = locale_for(fill.patient.preferred_language)
    pharmacy = Pharmacy.current()
    with force_locale(locale):
        return render_template(
            "prescriptions/receipt.html",
            fill=fill,
            rx=fill.prescription,
            pharmacy=pharmacy,
            # The number on one line: "(217) 555-0142" never breaks at its hyphen.
            phone=pharmacy.phone.replace("-", "\u2011").replace(" ", "\u00a0"),
            locale=locale,
        )
