"""The counseling leaflet page (leaflet.py): printed for the patient in the patient's
preferred language, at pickup or after it. Its own blueprint, for the address beside the
pickup receipt's (/fills/<id>/receipt)."""

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import force_locale
from flask_babel import gettext as _

from portal.audit import log as audit
from portal.foundation.access import roles_required
from portal.foundation.db import write_transaction
from portal.labels.from_fill import LabelNotReady
from portal.labels.leaflet import leaflet_for_fill
from portal.prescriptions import WORK_ROLES
from portal.prescriptions.fills.workflow import FillStatus
from portal.prescriptions.views import load_fill

bp = Blueprint("leaflets", __name__)

# Verified and ready to hand out, or handed out: the words cannot change any more.
LEAFLET_STATES = (FillStatus.READY, FillStatus.PICKED_UP)


@bp.route("/fills/<int:fill_id>/leaflet")
@roles_required(*WORK_ROLES)
def fill_leaflet(fill_id: int):
    """A printable counseling leaflet of a fill that passed final verification."""
    fill = load_fill(fill_id)
    back = redirect(url_for("prescriptions.fill_detail", fill_id=fill.id))
    if fill.status not in LEAFLET_STATES:
        flash(
            _(
                "Rx %(rx)s is not ready yet: its counseling leaflet prints once the "
                "pharmacist has passed the final check.",
                rx=fill.rx_fill,
            ),
            "warning",
        )
        return back
    try:
        leaflet = leaflet_for_fill(fill)
    except LabelNotReady as problem:
        flash(_(str(problem)), "warning")
        return back
    with write_transaction():
        audit.record(
            "view", "fill", fill.id, patient_id=fill.patient_id, note="counseling leaflet printed"
        )
    with force_locale(leaflet.locale):
        return render_template("labels/leaflet.html", leaflet=leaflet, locale=leaflet.locale)
