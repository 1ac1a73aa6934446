"""835 remittance import: upload, preview, post, and manual matching of unmatched lines."""

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
    try:
        results = importing.import_file(
            form.text.data, form.file_name.data or "", g.user, today(), _is_manager()
        )
    except RemittanceError as error:
        flash(f"Nothing was imported: {error}", "error")
        return redirect(url_for("claims.remittances"))
    for result in results:
        row = result.remittance
        if result.created:
            flash(f"Payment {row.trace_number} from {row.payer_name} posted.", "success")
        else:
            flash(
                f"Payment {row.trace_number} was already imported on "
                f"{row.imported_at:%m/%d/%Y}; nothing was posted again.",
                "warning",
            )
    if len(results) == 1:
        return redirect(url_for("claims.remittance", remittance_id=results[0].remittance.id))
    return redirect(url_for("claims.remittances"))


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
