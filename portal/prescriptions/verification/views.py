"""Pharmacist verification: data verification (entered data beside the original, with the
safety checks) and final verification (product against the label).

Technicians reach these pages only to ask for a pharmacist on the spot: the approval form
carries the co-sign prompt (portal.auth.cosign), and without a pharmacist's PIN the
answer is 403 and nothing changes. Fill.move_to refuses a technician's verification too.
"""

from flask import flash, g, redirect, render_template, url_for
from flask_babel import gettext as _

from portal.auth import cosign
from portal.foundation.access import roles_required
from portal.foundation.dates import today
from portal.foundation.page_cache import kept
from portal.prescriptions import WORK_ROLES, bp
from portal.prescriptions.controlled import origin, partial
from portal.prescriptions.fills import steps
from portal.prescriptions.fills.forms import DataVerifyForm, FinalVerifyForm
from portal.prescriptions.fills.models import FILL_PROBLEMS, ScanMismatch
from portal.prescriptions.fills.workflow import FillStatus
from portal.prescriptions.screening import gather, rules
from portal.prescriptions.screening.facts import Status
from portal.prescriptions.views import load_fill, wrong_step


def _ask_for_pharmacist() -> None:
    """Show the co-sign prompt from the start when a technician is at the terminal."""
    if not g.user.is_pharmacist:
        g.cosign = cosign.Signoff(None, g.user, asked=True)


def _signoff():
    """The pharmacist for this approval, or None (prompt shown, 403) when there is none."""
    signoff = cosign.require_pharmacist()
    if not signoff and not signoff.error:
        signoff.error = _("A pharmacist must enter their PIN or scan their badge to do this.")
    return signoff if signoff else None


@bp.route("/fills/<int:fill_id>/verify-data", methods=["GET", "POST"])
@roles_required(*WORK_ROLES)
def verify_data(fill_id: int):
    """Data verification: approve (overriding a block with a reason) or return it."""
    fill = load_fill(fill_id)
    if moved := wrong_step(fill, FillStatus.DATA_VERIFY):
        return moved
    results = gather.checks_for(fill, today())
    form = DataVerifyForm()
    status = 200
    _ask_for_pharmacist()
    if form.validate_on_submit():
        signoff = _signoff()
        if signoff is None:
            status = 403
        elif form.send_back.data:
            try:
                with signoff:
                    steps.return_data(
                        fill,
                        signoff.pharmacist,
                        form.return_reason.data,
                        results,
                        cosign_note=signoff.note,
                    )
            except FILL_PROBLEMS as problem:
                flash(_(str(problem)), "error")
                return redirect(url_for("prescriptions.fill_detail", fill_id=fill.id))
            flash(_("Rx %(rx)s returned to the technician.", rx=fill.rx_fill), "success")
            return redirect(url_for("prescriptions.queue", state=FillStatus.DATA_VERIFY))
        elif _approval_ready(form, fill, results, signoff.pharmacist):
            try:
                with signoff:
                    steps.approve_data(
                        fill,
                        signoff.pharmacist,
                        results,
                        override_reason=form.override_reason.data or "",
                        own_entry_reason=form.own_entry_reason.data or "",
                        cosign_note=signoff.note,
                        acknowledged=bool(form.acknowledge.data),
                    )
            except FILL_PROBLEMS as problem:
                flash(_(str(problem)), "error")
                return redirect(url_for("prescriptions.fill_detail", fill_id=fill.id))
            flash(
                _(
                    "Rx %(rx)s verified: on to %(status)s.",
                    rx=fill.rx_fill,
                    status=fill.status_label.lower(),
                ),
                "success",
            )
            return redirect(url_for("prescriptions.queue", state=FillStatus.DATA_VERIFY))
    return render_template(
        "prescriptions/verify_data.html",
        form=form,
        fill=fill,
        rx=fill.prescription,
        results=results,
        worst=rules.worst(results).value,
        blocked=rules.worst(results) is Status.BLOCK,
        warned=bool(steps.warning(results)),
        origin_stop=origin.data_problem(fill.prescription, fill.quantity),
        own_entry=fill.entered_by_id == g.user.id,
        images=fill.prescription.image_list(),
        allergies=fill.patient.allergy_list(),
    ), status


def _approval_ready(form, fill, results, pharmacist) -> bool:
    """Field messages for what an approval still needs; True when it has it all."""
    ready = True
    if steps.blocking(results) and not form.override_reason.data:
        form.override_reason.errors = [
            _("A check blocks this fill. Give the reason for overriding it, or return it.")
        ]
        ready = False
    if steps.warning(results) and not form.acknowledge.data:
        form.acknowledge.errors = [
            _("Tick this to say you have read the warnings, or return the fill.")
        ]
        ready = False
    if fill.entered_by_id == pharmacist.id and not form.own_entry_reason.data:
        form.own_entry_reason.errors = [
            _(
                "You entered this prescription. Give the reason for verifying it yourself "
                "(e.g. no other pharmacist on duty)."
            )
        ]
        ready = False
    return ready


@bp.route("/fills/<int:fill_id>/verify-final", methods=["GET", "POST"])
@roles_required(*WORK_ROLES)
@kept
def verify_final(fill_id: int):
    """Final verification: scan the product against the label; approve or send back."""
    fill = load_fill(fill_id)
    if moved := wrong_step(fill, FillStatus.FINAL_VERIFY):
        return moved
    form = FinalVerifyForm()
    # Screened again: a medication or allergy recorded since data verification shows here.
    results = gather.checks_for(fill, today())
    alerts = steps.new_alerts(fill, results)
    record = steps.latest_compounding_record(fill) if fill.prescription.is_compound else None
    if fill.prescription.is_compound:
        form.ask_for_internal_id()
    status = 200
    _ask_for_pharmacist()
    if form.validate_on_submit():
        signoff = _signoff()
        if signoff is None:
            status = 403
        elif not form.send_back.data and not _alerts_answered(form, alerts):
            status = 422
            # A wrong product is named now, not after the warnings are answered.
            try:
                if record is not None or not fill.prescription.is_compound:
                    steps.check_scan(fill, (form.scan.data or "").strip())
            except ScanMismatch as problem:
                form.scan.errors = [*form.scan.errors, _(str(problem))]
                steps.record_scan_mismatch(fill, form.scan.data, str(problem), signoff.pharmacist)
            except FILL_PROBLEMS:
                pass  # a missing scan is asked for once the warnings are answered
        else:
            try:
                with signoff:
                    if form.send_back.data:
                        steps.send_back_final(
                            fill,
                            signoff.pharmacist,
                            form.return_reason.data,
                            cosign_note=signoff.note,
                        )
                        message = _(
                            "Rx %(rx)s sent back: %(reason)s",
                            rx=fill.rx_fill,
                            reason=form.return_reason.data,
                        )
                    else:
                        steps.approve_final(
                            fill,
                            signoff.pharmacist,
                            scan=form.scan.data or "",
                            cosign_note=signoff.note,
                            alerts=alerts,
                            override_reason=form.override_reason.data or "",
                            acknowledged=bool(form.acknowledge.data),
                        )
                        message = _("Rx %(rx)s is ready for pickup.", rx=fill.rx_fill)
            except FILL_PROBLEMS as problem:
                form.scan.errors = [*form.scan.errors, _(str(problem))]
                status = 422
                if isinstance(problem, ScanMismatch):
                    steps.record_scan_mismatch(
                        fill, form.scan.data, str(problem), signoff.pharmacist
                    )
            else:
                flash(message, "success")
                return redirect(url_for("prescriptions.queue", state=FillStatus.FINAL_VERIFY))
    return render_template(
        "prescriptions/verify_final.html",
        form=form,
        fill=fill,
        rx=fill.prescription,
        lot=fill.dispensed_lot if fill.dispensed_lot_id else None,
        record=record,
        verifications=list(fill.verifications()),
        results=results,
        new_blocks=steps.blocking(alerts),
        new_warnings=steps.warning(alerts),
        reviewed=[(r.check, r.message) for r in results if r.shown and r not in alerts],
        worst=rules.worst(results).value,
        c2_origin_problem=origin.final_problem(fill.prescription),
        remainder_lapsed=partial.in_progress_problem(fill, partial.local_now()),
    ), status


def _alerts_answered(form, alerts) -> bool:
    """Field messages for new alerts not yet answered; True when all are."""
    ready = True
    if steps.blocking(alerts) and not form.override_reason.data:
        form.override_reason.errors = [
            _(
                "A new screening alert blocks this fill. Give the reason for overriding it, "
                "or send it back."
            )
        ]
        ready = False
    if steps.warning(alerts) and not form.acknowledge.data:
        form.acknowledge.errors = [_("Tick this to say you have read the new warnings.")]
        ready = False
    return ready
