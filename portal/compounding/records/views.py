"""Compounding record pages: list, start (batch or fill), the work page and its actions."""

from flask import (
    flash,
    g,
    get_flashed_messages,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from playhouse.flask_utils import get_object_or_404

from portal.auth import cosign
from portal.auth.views import safe_next
from portal.catalog.stock.models import Lot
from portal.compounding import STAFF, bp
from portal.compounding.fields import row_id
from portal.compounding.records import actions
from portal.compounding.records import audit as record_audit
from portal.compounding.records import pages as record_pages
from portal.compounding.records import pdf as record_document
from portal.compounding.records.forms import BatchForm, RejectForm
from portal.compounding.records.models import CompoundingRecord
from portal.compounding.records.rules import RecordStatus
from portal.foundation.access import roles_required
from portal.foundation.dates import today
from portal.foundation.db import write_transaction
from portal.foundation.extensions import htmx
from portal.foundation.forms import EmptyForm
from portal.prescriptions.fills.models import Fill

SECTION = "compounding.records"


def _record(record_id: int) -> CompoundingRecord:
    return get_object_or_404(CompoundingRecord.select(), CompoundingRecord.id == record_id)


@bp.route("/records")
@roles_required(*STAFF)
def records():
    return render_template(
        "compounding/records.html",
        in_progress=list(CompoundingRecord.listing(RecordStatus.IN_PROGRESS)),
        awaiting=list(CompoundingRecord.listing(RecordStatus.COMPLETED)),
        finished=list(
            CompoundingRecord.listing()
            .where(CompoundingRecord.status.in_((RecordStatus.APPROVED, RecordStatus.REJECTED)))
            .limit(30)
        ),
        waiting_fills=record_pages.fills_waiting(),
        start_form=EmptyForm(),
        section=SECTION,
    )


@bp.route("/records/new-batch", methods=["GET", "POST"])
@roles_required(*STAFF)
def new_batch():
    form = BatchForm()
    if form.validate_on_submit():
        try:
            record = actions.start(
                form.chosen_formula(), form.quantity.data, form.unit.data, g.user, today=today()
            )
        except actions.RecordProblem as problem:
            form.quantity.errors.append(_(str(problem)))
        else:
            flash(
                _(
                    "Batch %(batch_number)s started: %(title)s.",
                    batch_number=record.batch_number,
                    title=record.title,
                ),
                "success",
            )
            return redirect(url_for("compounding.record", record_id=record.id))
    status = 422 if request.method == "POST" else 200
    return render_template("compounding/new_batch.html", form=form, section=SECTION), status


@bp.route("/fills/<int:fill_id>/start", methods=["POST"])
@roles_required(*STAFF)
def start_for_fill(fill_id: int):
    """Start (or open) the compounding record of a fill waiting to be compounded."""
    fill = get_object_or_404(Fill.select(), Fill.id == fill_id)
    if not EmptyForm().validate_on_submit():
        flash(_("The form expired: try again."), "error")
        return redirect(url_for("compounding.records"))
    try:
        found = actions.start_for_fill(fill, g.user, today=today())
    except actions.RecordProblem as problem:
        flash(_(str(problem)), "error")
        return redirect(url_for("compounding.records"))
    return redirect(url_for("compounding.record", record_id=found.id))


@bp.route("/records/<int:record_id>")
@roles_required(*STAFF)
def record(record_id: int):
    # Messages go inside the swapped body, so the next action's message replaces them.
    flashed = get_flashed_messages(with_categories=True)
    kind, message = flashed[-1] if flashed else ("success", "")
    return record_pages.render(_record(record_id), today(), message=message, message_kind=kind)


def _done(record, message: str, category: str = "success"):
    """After a change: the body with a message (htmx), or back to the page (no script) or
    to the page that asked (final verification posts `next`)."""
    if htmx:
        return record_pages.render(record, today(), message=message, message_kind=category)
    flash(message, category)
    if request.form.get("next"):
        return redirect(safe_next(request.form["next"]))
    return redirect(url_for("compounding.record", record_id=record.id))


@bp.route("/records/<int:record_id>/lines", methods=["POST"])
@roles_required(*STAFF)
def save_lines(record_id: int):
    found = _record(record_id)
    on_date = today()
    form = record_pages.build_lines_form(found, on_date, formdata=request.form)
    if not form.validate_on_submit():
        return record_pages.render(found, on_date, lines_form=form, status=422)
    lines = {line.id: line for line in found.lines()}
    errors = 0
    try:
        with write_transaction():
            for entry in form.lines:
                line = lines.get(row_id(entry.form.line_id.data))
                if line is None:
                    continue
                lot_id = entry.form.lot.data
                lot = Lot.get_or_none(Lot.id == row_id(lot_id)) if row_id(lot_id) else None
                try:
                    actions.record_line(
                        found,
                        line,
                        lot=lot,
                        measured=entry.form.measured.data,
                        user=g.user,
                        today=on_date,
                    )
                except actions.RecordProblem as problem:
                    entry.form.lot.errors.append(_(str(problem)))
                    errors += 1
            if errors:
                raise actions.RecordProblem("nothing saved")
    except actions.RecordProblem as problem:
        if not errors:  # the record itself refused (not open)
            return _done(found, _(str(problem)), "error")
        return record_pages.render(found, on_date, lines_form=form, status=422)
    return _done(found, _("Lots and amounts saved."))


@bp.route("/records/<int:record_id>/notes", methods=["POST"])
@roles_required(*STAFF)
def save_notes(record_id: int):
    found = _record(record_id)
    on_date = today()
    form = record_pages.build_notes_form(found, formdata=request.form)
    if not form.validate_on_submit():
        return record_pages.render(found, on_date, notes_form=form, status=422)
    written = [(entry, (entry.form.note.data or "").strip()) for entry in form.notes]
    if not any(note for _entry, note in written):
        form.notes.entries[0].form.note.errors.append(
            _("Write the note before asking for approval.")
        )
        return record_pages.render(found, on_date, notes_form=form, status=422)
    signoff = cosign.require_pharmacist()
    if not signoff:
        return record_pages.render(found, on_date, notes_form=form, asking="notes", status=422)
    lines = {line.id: line for line in found.lines()}
    try:
        with write_transaction(), signoff:
            for entry, note in written:
                line = lines.get(row_id(entry.form.line_id.data))
                if line is not None and note:
                    actions.note_deviation(found, line, note, signoff.pharmacist)
    except actions.RecordProblem as problem:
        return _done(found, _(str(problem)), "error")
    return _done(
        found, _("Deviation accepted by %(full_name)s.", full_name=signoff.pharmacist.full_name)
    )


@bp.route("/records/<int:record_id>/quality", methods=["POST"])
@roles_required(*STAFF)
def save_quality(record_id: int):
    found = _record(record_id)
    on_date = today()
    form = record_pages.build_quality_form(found, formdata=request.form)
    if not form.validate_on_submit():
        return record_pages.render(found, on_date, quality_form=form, status=422)
    results = {result.id: result for result in found.quality_results()}
    try:
        with write_transaction():
            for entry in form.results:
                result = results.get(row_id(entry.form.result_id.data))
                if result is None:
                    continue
                judged = {"pass": True, "fail": False}.get(entry.form.judged.data or "")
                actions.record_quality(
                    found,
                    result,
                    measured=entry.form.measured.data,
                    observed=entry.form.observed.data,
                    judged_pass=judged,
                    user=g.user,
                )
    except actions.RecordProblem as problem:
        return _done(found, _(str(problem)), "error")
    return _done(found, _("Quality checks saved."))


@bp.route("/records/<int:record_id>/complete", methods=["POST"])
@roles_required(*STAFF)
def complete_record(record_id: int):
    found = _record(record_id)
    if not EmptyForm().validate_on_submit():
        return _done(found, _("The form expired: reload the page and try again."), "error")
    try:
        explanation = actions.complete(found, g.user, today=today())
    except actions.RecordProblem as problem:
        return _done(found, _(str(problem)), "error")
    where = _(" and sent to the pharmacist's final check") if found.fill_or_none() else ""
    return _done(
        found,
        _(
            "Completed%(where)s. Stock taken from the lots. Beyond-use date %(beyond_use_date)s.",
            where=where,
            beyond_use_date=explanation.beyond_use_date.strftime("%m/%d/%Y"),
        ),
    )


@bp.route("/records/<int:record_id>/approve", methods=["POST"])
@roles_required(*STAFF)
def approve_record(record_id: int):
    found = _record(record_id)
    if not EmptyForm().validate_on_submit():
        return _done(found, _("The form expired: reload the page and try again."), "error")
    signoff = cosign.require_pharmacist()
    if not signoff:
        return record_pages.render(found, today(), asking="approve", status=422)
    try:
        with signoff:
            actions.approve(found, signoff.pharmacist)
    except actions.RecordProblem as problem:
        return _done(found, _(str(problem)), "error")
    return _done(
        found, _("Record approved by %(full_name)s.", full_name=signoff.pharmacist.full_name)
    )


@bp.route("/records/<int:record_id>/reject", methods=["POST"])
@roles_required(*STAFF)
def reject_record(record_id: int):
    found = _record(record_id)
    form = RejectForm()
    if not form.validate_on_submit():
        return record_pages.render(found, today(), reject_form=form, status=422)
    signoff = cosign.require_pharmacist()
    if not signoff:
        return record_pages.render(found, today(), reject_form=form, asking="reject", status=422)
    try:
        with signoff:
            actions.reject(found, signoff.pharmacist, form.reason.data, today=today())
    except actions.RecordProblem as problem:
        return _done(found, _(str(problem)), "error")
    return _done(
        found,
        _("Record rejected by %(full_name)s.", full_name=signoff.pharmacist.full_name),
        "warning",
    )


@bp.route("/records/<int:record_id>/record.pdf")
@roles_required(*STAFF)
def record_pdf(record_id: int):
    found = _record(record_id)
    record_audit.printed(found, g.user)
    pdf = record_document.record_pdf(found, g.pharmacy)
    response = make_response(pdf)
    response.headers["Content-Type"] = "application/pdf"
    name = f"compounding-record-{found.id}-{found.internal_id}.pdf"
    response.headers["Content-Disposition"] = f'inline; filename="{name}"'
    return response
