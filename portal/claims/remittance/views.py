"""835 remittance import: upload, preview, post, and manual matching of unmatched lines."""

import hashlib

from flask import flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from playhouse.flask_utils import get_object_or_404

from portal.claims import STAFF, bp
from portal.claims.claims.forms import ConfirmImportForm, MatchForm, UploadForm
from portal.claims.claims.lifecycle import IllegalClaimTransition
from portal.claims.claims.models import Claim, ClaimError
from portal.claims.remittance import importing
from portal.claims.remittance import queue as matching_queue
from portal.claims.remittance.era835 import RemittanceError
from portal.claims.remittance.models import Remittance, RemittanceLine
from portal.claims.remittance.rules import check_balances
from portal.foundation import long_work
from portal.foundation.access import roles_required
from portal.foundation.dates import today
from portal.foundation.digits import as_id
from portal.foundation.money import ZERO
from portal.patients.models import Patient, Payer


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
        form.file.errors = [
            _(
                "%(filename)s could not be read as an 835: %(error)s",
                filename=upload.filename,
                error=error,
            )
        ]
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
        flash(_("The file to import was lost; upload it again."), "error")
        return redirect(url_for("claims.remittances"))
    text, file_name = form.text.data, form.file_name.data or ""
    job = long_work.start(
        _("Posting the payments in %(file)s", file=file_name or _("the 835 file")),
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
            return [("error", _("Nothing was imported: %(error)s", error=error))], url_for(
                "claims.remittances"
            )
        messages = []
        for result in results:
            row = result.remittance
            if result.held:
                messages.append(
                    (
                        "warning",
                        _(
                            "Payment %(trace_number)s from %(payer_name)s is held, nothing posted: "
                            "%(held_reason)s.",
                            trace_number=row.trace_number,
                            payer_name=row.payer_name,
                            held_reason=row.held_reason,
                        ),
                    )
                )
            elif result.created:
                waiting = row.unmatched_count()
                words = _(
                    "Payment %(trace_number)s from %(payer_name)s posted.",
                    trace_number=row.trace_number,
                    payer_name=row.payer_name,
                )
                if waiting:
                    words += _(" %(waiting)s line(s) wait in the matching queue.", waiting=waiting)
                messages.append(("success", words))
            else:
                messages.append(
                    (
                        "warning",
                        _(
                            "Payment %(trace_number)s was already imported on %(imported_at)s; "
                            "nothing was posted again.",
                            trace_number=row.trace_number,
                            imported_at=row.imported_at.strftime("%m/%d/%Y"),
                        ),
                    )
                )
        if len(results) == 1:
            target = url_for("claims.remittance", remittance_id=results[0].remittance.id)
            return messages, target
        return messages, url_for("claims.remittances")

    return work


def _candidates(lines) -> dict[int, Claim]:
    """The candidate claims of the waiting lines, with their patients and payers."""
    ids = sorted({i for line in lines for i in line.candidate_ids})
    if not ids:
        return {}
    query = Claim.select(Claim, Patient, Payer).join_from(Claim, Patient).join_from(Claim, Payer)
    return {claim.id: claim for claim in query.where(Claim.id.in_(ids))}


def match_form(line, candidates: dict[int, Claim], formdata=None) -> MatchForm:
    kwargs = {} if formdata is not None else {"formdata": None}
    form = MatchForm(prefix=f"line{line.id}", **kwargs)
    form.candidate.choices = [
        (str(i), candidates[i].claim_reference) for i in line.candidate_ids if i in candidates
    ]
    return form


PAGE_SIZE = 100  # lines per page: a PBM's weekly 835 can carry thousands of claims


def _remittance_page(remittance: Remittance, match_forms=None, status=200, page=1):
    total = remittance.lines.count()
    pages = max(1, -(-total // PAGE_SIZE))
    page = min(max(page, 1), pages)
    lines = list(remittance.line_rows().paginate(page, PAGE_SIZE))
    waiting = list(remittance.line_rows().where(RemittanceLine.is_waiting_sql()).limit(PAGE_SIZE))
    shown = {line.id for line in lines}
    waiting = [line for line in waiting if line.id not in shown]
    candidates = _candidates(lines + waiting)
    forms = {line.id: match_form(line, candidates) for line in lines + waiting if line.is_waiting}
    forms.update(match_forms or {})
    plb = list(remittance.plb_rows())
    claims_paid = remittance.claims_paid()
    plb_total = sum((row.amount for row in plb), ZERO)
    return (
        render_template(
            "claims/remittance.html",
            remittance=remittance,
            lines=lines,
            waiting=waiting,
            page=page,
            pages=pages,
            page_size=PAGE_SIZE,
            total=total,
            waiting_count=remittance.unmatched_count(),
            match_forms=forms,
            candidates=candidates,
            plb=plb,
            claims_paid=claims_paid,
            plb_total=plb_total,
            unbalanced=check_balances(remittance.payment_amount, claims_paid, plb_total),
        ),
        status,
    )


@bp.route("/remittances/<int:remittance_id>")
@roles_required(*STAFF)
def remittance(remittance_id):
    found = get_object_or_404(Remittance.select().where(Remittance.id == remittance_id))
    return _remittance_page(found, page=as_id(request.args.get("page")) or 1)


def _chosen_claim(form: MatchForm, line: RemittanceLine) -> Claim | None:
    """The claim the person chose: a candidate, or one typed by reference (or Rx number)."""
    if form.candidate.data:
        return Claim.get_or_none(Claim.id == int(form.candidate.data))
    text = form.claim_reference.data.strip().upper()
    claim = Claim.open_with_reference(text).first()
    if claim is None:
        form.claim_reference.errors = [
            _("No claim has the reference %(text)s. Check it on the claim page.", text=text)
        ]
    return claim


@bp.route("/remittances/lines/<int:line_id>/match", methods=["POST"])
@roles_required(*STAFF)
def match_line(line_id):
    line = get_object_or_404(RemittanceLine.select().where(RemittanceLine.id == line_id))
    form = match_form(line, _candidates([line]), formdata=True)
    if not line.is_waiting:
        flash(_("That line was already posted or settled."), "warning")
        return redirect(url_for("claims.remittance", remittance_id=line.remittance_id))
    if form.validate_on_submit():
        claim = _chosen_claim(form, line)
        if claim is not None:
            try:
                matching_queue.match_line(
                    line, claim, g.user, today(), _is_manager(), form.reason.data or ""
                )
            except (ClaimError, IllegalClaimTransition) as error:
                form.reason.errors = [_(str(error))]
            else:
                flash(
                    _("Line posted to %(claim_reference)s.", claim_reference=claim.claim_reference),
                    "success",
                )
                return redirect(url_for("claims.remittance", remittance_id=line.remittance_id))
    return _remittance_page(line.remittance, {line.id: form}, 422)
