"""Partial fills at the counter: dispense less with the reason, then the remainder as a
follow-on fill within its window, or void it and notify the prescriber."""

from decimal import Decimal

from flask import flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _

from portal.foundation.access import roles_required
from portal.foundation.forms import EmptyForm
from portal.prescriptions import WORK_ROLES, bp
from portal.prescriptions.controlled import partial
from portal.prescriptions.controlled.forms import PartialFillForm, RemainderForm
from portal.prescriptions.fills.models import FILL_PROBLEMS
from portal.prescriptions.views import load_fill


@bp.route("/fills/<int:fill_id>/partial", methods=["GET", "POST"])
@roles_required(*WORK_ROLES)
def partial_fill(fill_id: int):
    """Dispense less than the prescribed quantity on this fill, with the reason."""
    fill = load_fill(fill_id)
    form = PartialFillForm()
    status = 200
    if form.validate_on_submit():
        try:
            partial.record_partial(
                fill, g.user, quantity=form.quantity.value, reason=form.reason.data
            )
        except FILL_PROBLEMS as refused:
            form.quantity.errors = [*form.quantity.errors, _(str(refused))]
            status = 422
        else:
            flash(
                _("Rx %(rx)s: %(partial)s.", rx=fill.rx_fill, partial=fill.partial_text), "success"
            )
            return redirect(url_for("prescriptions.fill_detail", fill_id=fill.id))
    elif request.method == "POST":
        status = 422
    return render_template(
        "prescriptions/partial_fill.html", form=form, fill=fill, rx=fill.prescription
    ), status


def _remainder_page(first, form, status=200):
    now = partial.local_now()
    window = partial.window(first)
    dispensed = partial.dispensed_total(first)
    left = Decimal(first.prescription.quantity) - dispensed
    return render_template(
        "prescriptions/remainder.html",
        fill=first,
        rx=first.prescription,
        form=form,
        void_form=EmptyForm(),
        window=window,
        lapsed=window is not None and now >= window.ends_at,
        dispensed=dispensed,
        left=left,
        problem=partial.remainder_problem(first, max(left, Decimal(0)), now),
        remainders=list(first.remainders),
    ), status


@bp.route("/fills/<int:fill_id>/remainder", methods=["GET", "POST"])
@roles_required(*WORK_ROLES)
def remainder(fill_id: int):
    """The remainder of a partial fill: what is left, until when, and sending it on."""
    first = partial.first_of(load_fill(fill_id))
    form = RemainderForm()
    if request.method == "GET":
        left = Decimal(first.prescription.quantity) - partial.dispensed_total(first)
        form.quantity.process_data(left if left > 0 else None)
        return _remainder_page(first, form)
    if not form.validate_on_submit():
        return _remainder_page(first, form, 422)
    try:
        fill = partial.open_remainder(
            first, g.user, quantity=form.quantity.value, now=partial.local_now()
        )
    except FILL_PROBLEMS as refused:
        form.quantity.errors = [*form.quantity.errors, _(str(refused))]
        return _remainder_page(first, form, 422)
    flash(
        _(
            "Rx %(rx)s: remainder sent to the pharmacist (%(partial)s).",
            rx=fill.rx_fill,
            partial=fill.partial_text,
        ),
        "success",
    )
    return redirect(url_for("prescriptions.fill_detail", fill_id=fill.id))


@bp.route("/fills/<int:fill_id>/remainder/void", methods=["POST"])
@roles_required(*WORK_ROLES)
def void_remainder(fill_id: int):
    """The window lapsed: void the remainder and print the notice to fax to the prescriber."""
    first = partial.first_of(load_fill(fill_id))
    form = EmptyForm()
    if not form.validate_on_submit():
        return _remainder_page(first, RemainderForm(formdata=None), 400)
    try:
        notice = partial.void_remainder(first, g.user, now=partial.local_now())
    except FILL_PROBLEMS as refused:
        flash(_(str(refused)), "error")
        return redirect(url_for("prescriptions.remainder", fill_id=first.id))
    flash(_("Remainder voided. Print the notice and fax it to the prescriber."), "success")
    return redirect(url_for("prescriptions.clarification", clarification_id=notice.id))
