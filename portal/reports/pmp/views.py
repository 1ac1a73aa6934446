"""The PMP page: make the day's ASAP file, download it, and the log of every file made."""

from datetime import timedelta

from flask import abort, flash, g, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from playhouse.flask_utils import get_object_or_404

from portal.audit import log as audit
from portal.foundation.access import roles_required
from portal.foundation.dates import parse_date, today
from portal.foundation.db import write_transaction
from portal.foundation.forms import EmptyForm
from portal.pharmacy import settings_form
from portal.reports import REPORT_ROLES, bp
from portal.reports.pmp import revisions, submit, upload
from portal.reports.pmp import settings as pmp_settings
from portal.reports.pmp.models import PmpSubmission


def _page(form, day_text: str, problem: str = "", status: int = 200):
    log = list(PmpSubmission.select().order_by(PmpSubmission.id.desc()).limit(60))
    return render_template(
        "reports/pmp.html",
        form=form,
        day_text=day_text,
        problem=problem,
        log=log,
        server=pmp_settings.server(),
        has_password=pmp_settings.password_path().exists(),
        waiting=revisions.waiting(),
    ), status


@bp.route("/pmp", methods=["GET", "POST"])
@roles_required(*REPORT_ROLES)
def pmp():
    """Make the ASAP 4.2A file of a day's controlled dispensings (yesterday by default)."""
    form = EmptyForm()
    default = (today() - timedelta(days=1)).strftime("%m/%d/%Y")
    if request.method == "GET":
        return _page(form, default)
    day_text = (request.form.get("day") or "").strip()[:20]
    if not form.validate_on_submit():
        return _page(form, day_text, _("The form expired; try again."), 400)
    try:
        day = parse_date(day_text)
    except ValueError as unreadable:
        return _page(
            form,
            day_text,
            _("Enter the day as MM/DD/YYYY (%(unreadable)s).", unreadable=unreadable),
            422,
        )
    if day >= today():
        return _page(
            form, day_text, _("Report a day that has ended: today's file is made tomorrow."), 422
        )
    submission = submit.make_file(day, user=g.user)
    kind = (
        _("zero report")
        if submission.record_count == 0
        else ngettext("%(num)d record", "%(num)d records", submission.record_count)
    )
    if not upload.configured():
        flash(
            _(
                "PMP file for %(day)s made (%(kind)s). Download it below.",
                day=day.strftime("%m/%d/%Y"),
                kind=kind,
            ),
            "success",
        )
    elif upload.upload(submission, g.user):
        flash(
            _(
                "PMP file for %(day)s made (%(kind)s) and sent.",
                day=day.strftime("%m/%d/%Y"),
                kind=kind,
            ),
            "success",
        )
    else:
        flash(
            _(
                "PMP file made (%(kind)s) but NOT sent: %(message)s. The file is kept: send it "
                "again or download it.",
                kind=kind,
                message=submission.message,
            ),
            "error",
        )
    return redirect(url_for("reports.pmp"))


@bp.route("/pmp/<int:submission_id>/send", methods=["POST"])
@roles_required(*REPORT_ROLES)
def pmp_send(submission_id: int):
    """Send a file again (after a failure, or a file made before the server was set)."""
    submission = get_object_or_404(PmpSubmission, PmpSubmission.id == submission_id)
    if not EmptyForm().validate_on_submit():
        abort(400)
    if upload.upload(submission, g.user):
        flash(_("%(stored_name)s sent.", stored_name=submission.stored_name), "success")
    else:
        flash(
            _(
                "%(stored_name)s NOT sent: %(message)s",
                stored_name=submission.stored_name,
                message=submission.message,
            ),
            "error",
        )
    return redirect(url_for("reports.pmp"))


@bp.route("/pmp/password", methods=["POST"])
@roles_required(*REPORT_ROLES)
def pmp_password():
    """Store the SFTP password owner-only in the instance folder (never shown again)."""
    password = request.form.get("password") or ""
    if not EmptyForm().validate_on_submit():
        abort(400)
    if not password or len(password) > 200:
        flash(_("Enter the SFTP password (at most 200 characters)."), "error")
    else:
        pmp_settings.save_password(password)
        with write_transaction():
            audit.record("update", "pmp_sftp_password", "", note="SFTP password replaced")
        flash(_("SFTP password stored."), "success")
    return redirect(url_for("reports.pmp"))


@bp.route("/pmp/<int:submission_id>/file")
@roles_required(*REPORT_ROLES)
def pmp_file(submission_id: int):
    """The file as made (patients' data leaving the portal: audited)."""
    submission = get_object_or_404(PmpSubmission, PmpSubmission.id == submission_id)
    path = submit.file_path(submission)
    if not path.exists():
        abort(404)
    with write_transaction():
        audit.record("download", "pmp_submission", submission.id, note=submission.stored_name)
    return send_file(
        path, mimetype="text/plain", as_attachment=True, download_name=submission.stored_name
    )


@bp.route("/pmp/settings", methods=["GET", "POST"])
@roles_required("pharmacist", "admin")
def pmp_settings_page():
    """The state PMP's settings (SFTP server, when the daily file goes, which dispensings
    carry the AIR segment, how far back revisions reach): as the state's data submission
    guide asks; a pharmacist in charge or an administrator decides them (audited)."""
    form = settings_form.form_for(pmp_settings.AREA)
    status = 200
    if form.validate_on_submit():
        with write_transaction():
            settings_form.save(form)
        flash("State PMP settings saved.", "success")
        return redirect(url_for("reports.pmp"))
    if form.is_submitted():
        status = 422
    return render_template("reports/pmp_settings.html", form=form), status
