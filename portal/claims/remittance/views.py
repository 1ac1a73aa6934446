"""835 remittance import: upload, preview, post, and manual matching of unmatched lines."""

import hashlib

from flask import flash, g, redirect, render_template, url_for
from playhouse.flask_utils import get_object_or_404

from portal.claims import STAFF, bp
from portal.claims.claims.forms import ConfirmImportForm, MatchForm, UploadForm
from portal.claims.claims.lifecycle import IllegalClaimTransition
from portal.claims.claims.models import Claim, ClaimError
from portal.claims.remittance import importing
from portal.claims.remittance.era835 import RemittanceError
from portal.claims.remittance.models import Remittance, RemittanceLine
from portal.claims.remittance.posting import canonical_reference
from portal.foundation import long_work
from portal.foundation.access import roles_required
from portal.foundation.dates import today


def _is_manager() -> bool:
    return g.user.has_role("manager")


def _remittances_page(form=None, status=200):
    return (
        render_template(
            "claims/remittances.html",
            form=form or UploadForm(formdata=None),
            remittances=list(Remittance.recent()),
            waiting=list(RemittanceLine.waiting().limit(100)),
        ),
        status,
    )


@bp.route("/remittances")
@roles_required(*STAFF)
def remittances():
    return _remittances_page()


@bp.route("/remittances/preview", methods=["POST"])
@roles_required(*STAFF)
def preview_remittance():
    form = UploadForm()
    if not form.validate_on_submit():
        return _remittances_page(form, 422)
    upload = form.file.data
    raw = upload.read()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        text = raw.decode("latin-1")
    try:
        previews = importing.preview(text, today(), _is_manager())
    except RemittanceError as error:
        form.file.errors = [f"{upload.filename} could not be read as an 835: {error}"]
        return _remittances_page(form, 422)
    confirm = ConfirmImportForm(formdata=None, text=text, file_name=upload.filename or "")
    return render_template(
        "claims/remittance_preview.html",
        previews=previews,
        confirm=confirm,
        file_name=upload.filename,
        nothing_new=all(p.already for p in previews),
    )


@bp.route("/remittances/import", methods=["POST"])
@roles_required(*STAFF)
def import_remittance():
    form = ConfirmImportForm()
    if not form.validate_on_submit():
        flash("The file to import was lost; upload it again.", "error")
        return redirect(url_for("claims.remittances"))
    text, file_name = form.text.data, form.file_name.data or ""
    job = long_work.start(
        f"Posting the payments in {file_name or 'the 835 file'}",
        _import_work(text, file_name, _is_manager()),
        failed_url=url_for("claims.remittances"),
        key="835:" + hashlib.sha256(text.encode()).hexdigest(),
    )
    return long_work.answer(job)


def _import_work(text: str, file_name: str, is_manager: bool):
    """The 835 import run by long_work with its progress; returns messages and the page to
    go on to (the payment, or the list when the file held several)."""
    user, day = g.user, today()

    def work(progress):
        try:
            results = importing.import_file(text, file_name, user, day, is_manager, progress)
        except RemittanceError as error:
            return [("error", f"Nothing was imported: {error}")], url_for("claims.remittances")
        messages = []
        for result in results:
            row = result.remittance
            if result.created:
                messages.append(
                    ("success", f"Payment {row.trace_number} from {row.payer_name} posted.")
                )
            else:
                messages.append(
                    (
                        "warning",
                        f"Payment {row.trace_number} was already imported on "
                        f"{row.imported_at:%m/%d/%Y}; nothing was posted again.",
                    )
                )
        if len(results) == 1:
            target = url_for("claims.remittance", remittance_id=results[0].remittance.id)
            return messages, target
        return messages, url_for("claims.remittances")

    return work


def _remittance_page(remittance: Remittance, match_forms=None, status=200):
    lines = list(remittance.line_rows())
    forms = {
        line.id: MatchForm(formdata=None, prefix=f"line{line.id}")
        for line in lines
        if line.outcome == "unmatched"
    }
    forms.update(match_forms or {})
    return (
        render_template(
            "claims/remittance.html", remittance=remittance, lines=lines, match_forms=forms
        ),
        status,
    )


@bp.route("/remittances/<int:remittance_id>")
@roles_required(*STAFF)
def remittance(remittance_id):
    found = get_object_or_404(Remittance.select().where(Remittance.id == remittance_id))
    return _remittance_page(found)


@bp.route("/remittances/lines/<int:line_id>/match", methods=["POST"])
@roles_required(*STAFF)
def match_line(line_id):
    line = get_object_or_404(RemittanceLine.select().where(RemittanceLine.id == line_id))
    form = MatchForm(prefix=f"line{line.id}")
    if line.outcome != "unmatched":
        flash("That line was already matched.", "warning")
        return redirect(url_for("claims.remittance", remittance_id=line.remittance_id))
    if form.validate_on_submit():
        reference = canonical_reference(form.claim_reference.data)
        claim = Claim.get_or_none(Claim.claim_reference == reference)
        if claim is None:
            form.claim_reference.errors = [
                f"No claim has the reference {reference}. Check it on the claim page."
            ]
        else:
            try:
                importing.match_line(line, claim, g.user, today(), _is_manager())
            except (ClaimError, IllegalClaimTransition) as error:
                form.claim_reference.errors = [str(error)]
            else:
                flash(f"Line matched to {claim.claim_reference} and posted.", "success")
                return redirect(url_for("claims.remittance", remittance_id=line.remittance_id))
    return _remittance_page(line.remittance, {line.id: form}, 422)
