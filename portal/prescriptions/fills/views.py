"""A fill's page and the steps anyone on the team takes: filling, compounding done, hold,
resume, cancel, pickup."""

from datetime import date

from flask import flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _

from portal.catalog.stock.models import Lot
from portal.foundation.access import may_open, roles_required
from portal.foundation.dates import today
from portal.foundation.digits import as_id
from portal.foundation.forms import EmptyForm, choices
from portal.foundation.i18n import N_
from portal.foundation.page_cache import kept
from portal.prescriptions import VIEW_ROLES, WORK_ROLES, bp, policy
from portal.prescriptions.controlled import partial
from portal.prescriptions.fills import steps
from portal.prescriptions.fills.forms import FillForm, PickupForm, ReasonForm
from portal.prescriptions.fills.models import FILL_PROBLEMS, Fill
from portal.prescriptions.fills.workflow import FillStatus
from portal.prescriptions.models import Prescription
from portal.prescriptions.views import load_fill, wrong_step

# The page each open state's work happens on.
STEP_ENDPOINTS = {
    FillStatus.INTAKE: "prescriptions.data_entry",
    FillStatus.DATA_ENTRY: "prescriptions.data_entry",
    FillStatus.DATA_VERIFY: "prescriptions.verify_data",
    FillStatus.FILL: "prescriptions.fill_step",
    FillStatus.COMPOUND: "prescriptions.fill_step",
    FillStatus.FINAL_VERIFY: "prescriptions.verify_final",
    FillStatus.READY: "prescriptions.pickup",
}


def step_url(fill: Fill) -> str | None:
    endpoint = STEP_ENDPOINTS.get(fill.status)
    return url_for(endpoint, fill_id=fill.id) if endpoint else None


@bp.app_template_global("fill_step_url")
def _fill_step_url(fill: Fill) -> str | None:
    """The page of the fill's next step, when the acting user may open it (a manager
    looks at the queues but never works a step: they get None)."""
    endpoint = STEP_ENDPOINTS.get(fill.status)
    return step_url(fill) if endpoint and may_open(endpoint) else None


@bp.route("/fills/<int:fill_id>")
@roles_required(*VIEW_ROLES)
@kept
def fill_detail(fill_id: int):
    """Where a fill stands, its history, and what can be done next."""
    fill = load_fill(fill_id)
    return render_template(
        "prescriptions/fill.html",
        fill=fill,
        rx=fill.prescription,
        events=list(fill.events()),
        verifications=list(fill.verifications()),
        clarifications=list(fill.clarifications),
        step_url=step_url(fill),
        form=EmptyForm(),
    )


def _usable_lots(fill: Fill, on: date) -> list[Lot]:
    product = fill.prescription.product
    return list(Lot.usable_for(product, on)) if product else []


@bp.route("/fills/<int:fill_id>/fill", methods=["GET", "POST"])
@roles_required(*WORK_ROLES)
def fill_step(fill_id: int):
    """Filling: scan the stock bottle, pick the lot (first to expire is offered first).
    For a compound, the compounding record is made in the compounding area."""
    fill = load_fill(fill_id)
    if moved := wrong_step(fill, FillStatus.FILL, FillStatus.COMPOUND):
        return moved
    if fill.status == FillStatus.COMPOUND:
        return render_template(
            "prescriptions/compound_step.html", fill=fill, rx=fill.prescription, form=EmptyForm()
        )
    lots = _usable_lots(fill, today())
    form = FillForm()
    form.lot_id.choices = choices(
        [(str(lot.id), _lot_label(lot)) for lot in lots]
        or [("", _("No stock on file: fill from the shelf"))]
    )
    status = 200
    if form.validate_on_submit():
        lot = next((lot for lot in lots if str(lot.id) == form.lot_id.data), None)
        if lots and lot is None:
            form.lot_id.errors = [_("Choose the lot the tablets were counted from.")]
            status = 422
        else:
            try:
                steps.record_filling(fill, g.user, scan=form.scan.data, lot=lot)
            except FILL_PROBLEMS as problem:
                form.scan.errors = [_(str(problem))]
                status = 422
            else:
                flash(
                    _("Rx %(rx)s filled: waiting for final verification.", rx=fill.rx_fill),
                    "success",
                )
                return redirect(url_for("prescriptions.queue", state=FillStatus.FILL))
    return render_template(
        "prescriptions/fill_step.html", form=form, fill=fill, rx=fill.prescription, lots=lots
    ), status


def _lot_label(lot: Lot) -> str:
    expires = lot.expires_on.strftime("%m/%d/%Y")
    return _(
        "Lot %(lot)s — expires %(expires)s — %(on_hand)s on hand",
        lot=lot.lot_number,
        expires=expires,
        on_hand=lot.on_hand_text,
    )


@bp.route("/fills/<int:fill_id>/compounded", methods=["POST"])
@roles_required(*WORK_ROLES)
def compounded(fill_id: int):
    fill = load_fill(fill_id)
    if moved := wrong_step(fill, FillStatus.COMPOUND):
        return moved
    if EmptyForm().validate_on_submit():
        try:
            steps.mark_compounded(fill, g.user)
        except FILL_PROBLEMS as problem:
            flash(_(str(problem)), "error")
        else:
            flash(
                _("Rx %(rx)s compounded: waiting for final verification.", rx=fill.rx_fill),
                "success",
            )
    return redirect(url_for("prescriptions.fill_detail", fill_id=fill.id))


def _reason_step(fill_id: int, *, title: str, action, done: str, button: str):
    """A page asking for a reason (hold, cancel), then the step."""
    fill = load_fill(fill_id)
    form = ReasonForm()
    if form.validate_on_submit():
        try:
            action(fill, g.user, form.reason.data)
        except FILL_PROBLEMS as problem:
            form.reason.errors = [_(str(problem))]
        else:
            flash(_(done, rx=fill.rx_fill), "success")
            return redirect(url_for("prescriptions.fill_detail", fill_id=fill.id))
    return render_template(
        "prescriptions/reason.html", form=form, fill=fill, title=title, button=button
    )


@bp.route("/fills/<int:fill_id>/hold", methods=["GET", "POST"])
@roles_required(*WORK_ROLES)
def hold(fill_id: int):
    return _reason_step(
        fill_id,
        title=_("Put on hold"),
        action=steps.hold,
        done=N_("Rx %(rx)s is on hold."),
        button=_("Put on hold"),
    )


@bp.route("/fills/<int:fill_id>/cancel", methods=["GET", "POST"])
@roles_required(*WORK_ROLES)
def cancel(fill_id: int):
    return _reason_step(
        fill_id,
        title=_("Cancel this fill"),
        action=steps.cancel,
        done=N_("Rx %(rx)s cancelled."),
        button=_("Cancel the fill"),
    )


@bp.route("/fills/<int:fill_id>/resume", methods=["POST"])
@roles_required(*WORK_ROLES)
def resume(fill_id: int):
    fill = load_fill(fill_id)
    if EmptyForm().validate_on_submit():
        try:
            steps.resume(fill, g.user)
        except FILL_PROBLEMS as problem:
            flash(_(str(problem)), "error")
        else:
            flash(
                _(
                    "Rx %(rx)s is off hold: %(status)s.",
                    rx=fill.rx_fill,
                    status=fill.status_label.lower(),
                ),
                "success",
            )
    return redirect(url_for("prescriptions.fill_detail", fill_id=fill.id))


@bp.route("/fills/<int:fill_id>/pickup", methods=["GET", "POST"])
@roles_required(*WORK_ROLES)
def pickup(fill_id: int):
    """Hand the prescription out: who took it and whether counseling was offered."""
    fill = load_fill(fill_id)
    if moved := wrong_step(fill, FillStatus.READY):
        return moved
    form = PickupForm()
    form.needs_id = policy.pickup_needs_id(fill.prescription.schedule)
    form.names_whom = policy.pickup_names_whom(fill.prescription.schedule)
    status = 200
    if form.validate_on_submit():
        collector = form.collector(fill.patient)
        name = collector["picked_up_by"]
        try:
            steps.hand_out(
                fill,
                g.user,
                **collector,
                counseling_offered=True,
                counseling_accepted=form.counseling.data == "accepted",
                id_type=form.id_type.data if form.needs_id else "",
                id_number=form.id_number.data if form.needs_id else "",
                id_state=form.id_state.data if form.needs_id else "",
            )
        except FILL_PROBLEMS as problem:
            flash(_(str(problem)), "error")
        else:
            flash(_("Rx %(rx)s picked up by %(name)s.", rx=fill.rx_fill, name=name), "success")
            return redirect(url_for("prescriptions.queue", state=FillStatus.READY))
    elif form.is_submitted():
        status = 422
    others = [
        other
        for other in Fill.select().where(
            (Fill.patient == fill.patient_id)
            & (Fill.status == FillStatus.READY)
            & (Fill.id != fill.id)
        )
    ]
    return render_template(
        "prescriptions/pickup.html",
        form=form,
        fill=fill,
        rx=fill.prescription,
        others=others,
        remainder_lapsed=partial.in_progress_problem(fill, partial.local_now()),
    ), status


@bp.route("/fills/find")
@roles_required(*VIEW_ROLES)
def find_fill():
    """A scanned label barcode ("Rx-fill") or a typed Rx number opens that fill: its final
    verification or pickup when it is at one of those, else where it stands."""
    text = request.args.get("code", "")[:30].strip().lstrip("#")
    if text[:2].upper() == "RX":  # the label's barcode: RX100123-1
        text = text[2:].strip()
    rx_text, _dash, fill_text = text.partition("-")
    rx_number, fill_number = as_id(rx_text), as_id(fill_text)
    if rx_number is None:
        flash(_("Scan the label's barcode or type an Rx number."), "warning")
        return redirect(url_for("prescriptions.queue"))
    query = Fill.select(Fill).join(Prescription).where(Prescription.rx_number == rx_number)
    if fill_number is not None:
        query = query.where(Fill.fill_number == fill_number)
    fill = query.order_by(Fill.fill_number.desc()).first()
    if fill is None:
        flash(_("No fill matches “%(text)s”.", text=text), "warning")
        return redirect(url_for("prescriptions.queue"))
    # The label scanned at the verification bench or the counter: straight to that step.
    if (fill.status == FillStatus.FINAL_VERIFY and g.user.is_pharmacist) or (
        fill.status == FillStatus.READY and g.user.has_any_role(WORK_ROLES)
    ):
        return redirect(step_url(fill))
    return redirect(url_for("prescriptions.fill_detail", fill_id=fill.id))
