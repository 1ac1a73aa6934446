"""The C-II origin page: the pharmacist records an emergency oral order, why a fax serves
as the original, the signed original received, and the emergency order's follow-up."""

from flask import abort, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from playhouse.flask_utils import get_object_or_404

from portal.foundation.access import roles_required
from portal.foundation.dates import today
from portal.foundation.digits import as_id
from portal.prescriptions import VIEW_ROLES, WORK_ROLES, bp
from portal.prescriptions.controlled import origin
from portal.prescriptions.controlled.forms import (
    EmergencyOralForm,
    FaxReasonForm,
    FollowUpForm,
    OriginalReceivedForm,
)
from portal.prescriptions.controlled.settings import origin_limits
from portal.prescriptions.fills.models import Fill
from portal.prescriptions.fills.workflow import FillStatus
from portal.prescriptions.models import Prescription

VERIFY_PAGES = {
    FillStatus.DATA_VERIFY: "prescriptions.verify_data",
    FillStatus.FINAL_VERIFY: "prescriptions.verify_final",
}
FORMS = {
    "emergency": EmergencyOralForm,
    "fax_reason": FaxReasonForm,
    "original": OriginalReceivedForm,
    "follow_up": FollowUpForm,
}


def _prescription(rx_number: int) -> Prescription:
    return get_object_or_404(Prescription, Prescription.rx_number == rx_number)


def _not_telephoned_or_faxed_c2(rx: Prescription):
    """Nothing to record here: back to the prescription, saying why."""
    if rx.schedule == "2" and rx.origin in ("phone", "fax"):
        return None
    flash(
        _(
            "Rx %(rx)s is not a C-II received by telephone or fax: there is nothing "
            "to record about how it arrived.",
            rx=rx.rx_number,
        ),
        "info",
    )
    return redirect(url_for("prescriptions.prescription", rx_number=rx.rx_number))


def _fill_back(rx: Prescription) -> Fill | None:
    """The fill whose verification page sent the pharmacist here, to go back to."""
    fill_id = as_id(request.args.get("fill"))
    if fill_id is None:
        return None
    return Fill.get_or_none((Fill.id == fill_id) & (Fill.prescription == rx.id))


def _blank(name: str):
    """A form not yet filled in; the dates default to today."""
    if name == "original":
        return OriginalReceivedForm(formdata=None, received_on=today())
    if name == "follow_up":
        return FollowUpForm(formdata=None, happened_on=today())
    return FORMS[name](formdata=None)


def _page(rx: Prescription, forms: dict, status: int = 200):
    return render_template(
        "prescriptions/c2_origin.html",
        rx=rx,
        record=origin.record_for(rx),
        back=_fill_back(rx),
        follow_up_days=origin_limits().follow_up_days,
        **{name: forms.get(name) or _blank(name) for name in FORMS},
    ), status


@bp.route("/rx/<int:rx_number>/c2-origin")
@roles_required(*VIEW_ROLES)
def c2_origin(rx_number: int):
    """How this C-II arrived and what the pharmacist recorded about it."""
    rx = _prescription(rx_number)
    if elsewhere := _not_telephoned_or_faxed_c2(rx):
        return elsewhere
    return _page(rx, {})


def _done(rx: Prescription, message: str):
    flash(message, "success")
    back = _fill_back(rx)
    if back is not None:
        step = VERIFY_PAGES.get(back.status, "prescriptions.fill_detail")
        return redirect(url_for(step, fill_id=back.id))
    return redirect(url_for("prescriptions.c2_origin", rx_number=rx.rx_number))


@bp.route("/rx/<int:rx_number>/c2-origin/<kind>", methods=["POST"])
@roles_required(*WORK_ROLES)
def c2_origin_record(rx_number: int, kind: str):
    """Record one thing about how the C-II arrived; the page again with messages if wrong."""
    rx = _prescription(rx_number)
    if kind not in FORMS:
        abort(404)
    if elsewhere := _not_telephoned_or_faxed_c2(rx):
        return elsewhere
    form = FORMS[kind]()
    if not form.validate_on_submit():
        return _page(rx, {kind: form}, 422)
    try:
        message = _record(rx, kind, form)
    except origin.OriginRefused as refused:
        form.form_errors.append(_(str(refused)))
        return _page(rx, {kind: form}, 422)
    return _done(rx, message)


def _record(rx: Prescription, kind: str, form) -> str:
    if kind == "emergency":
        row = origin.record_emergency_oral(
            rx, g.user, quantity=form.quantity.value, note=form.note.data, today=today()
        )
        return _(
            "Rx %(rx)s recorded as an emergency oral order for %(quantity)s; the prescriber's "
            "prescription is %(follow_up)s.",
            rx=rx.rx_number,
            quantity=form.quantity.data,
            follow_up=row.follow_up_words,
        )
    if kind == "fax_reason":
        row = origin.record_fax_reason(rx, g.user, reason=form.reason.data)
        return _(
            "Rx %(rx)s: the fax serves as the original (%(reason)s).",
            rx=rx.rx_number,
            reason=row.fax_reason_label,
        )
    if kind == "original":
        origin.mark_original_received(rx, g.user, on=form.received_on.date)
        return _("Rx %(rx)s: signed original received.", rx=rx.rx_number)
    row = origin.close_follow_up(
        rx, g.user, state=form.outcome.data, on=form.happened_on.date, today=today()
    )
    return _(
        "Rx %(rx)s: emergency follow-up %(follow_up)s.",
        rx=rx.rx_number,
        follow_up=row.follow_up_words,
    )
