"""Building the record page: its forms (with each line's lot choices) and the one region
htmx swaps (`_record_body.html`), shared by the page view and every action."""

from __future__ import annotations

from datetime import date

from flask import render_template, request
from flask_babel import gettext as _

from portal.compounding.fields import row_id
from portal.compounding.records import actions
from portal.compounding.records.events import CompoundingRecordEvent
from portal.compounding.records.forms import LinesForm, NotesForm, QualityForm, RejectForm
from portal.compounding.records.models import CompoundingRecord
from portal.compounding.records.rules import RecordStatus
from portal.foundation.extensions import htmx
from portal.foundation.forms import EmptyForm, choices
from portal.patients.models import Patient
from portal.prescriptions.fills.models import Fill
from portal.prescriptions.models import Prescription

SECTION = "compounding.records"


def _lot_label(lot, first: bool) -> str:
    words = {
        "lot": lot.lot_number,
        "expires": lot.expires_on.strftime("%m/%d/%Y"),
        "on_hand": lot.on_hand_text,
    }
    if first:
        return _("%(lot)s · expires %(expires)s · %(on_hand)s on hand · first to expire", **words)
    return _("%(lot)s · expires %(expires)s · %(on_hand)s on hand", **words)


def build_lines_form(record: CompoundingRecord, today: date, formdata=None) -> LinesForm:
    """The lines form: each line's usable lots, first-expiring first and pre-chosen."""
    lines = record.lines()
    suggestions = {line.id: actions.suggested_lots(line, today) for line in lines}
    if formdata is None:
        data = {
            "lines": [
                {
                    "line_id": str(line.id),
                    "lot": str(
                        line.lot_id or (suggestions[line.id][0].id if suggestions[line.id] else "")
                    ),
                    "measured": line.measured_amount,
                }
                for line in lines
            ]
        }
        form = LinesForm(formdata=None, data=data)
    else:
        form = LinesForm(formdata=formdata)
    by_id = {line.id: line for line in lines}
    for entry in form.lines:
        line = by_id.get(row_id(entry.form.line_id.data))
        usable = suggestions.get(line.id, []) if line else []
        options = [("", _("— choose a lot —"))]
        options += [(str(lot.id), _lot_label(lot, i == 0)) for i, lot in enumerate(usable)]
        if line is not None and line.lot_id and line.lot_id not in {lot.id for lot in usable}:
            lot = line.lot
            state = _("EXPIRED") if lot.expires_on < today else _("none left")
            options.append(
                (
                    str(lot.id),
                    _(
                        "%(lot)s · expires %(expires)s · %(state)s",
                        lot=lot.lot_number,
                        expires=lot.expires_on.strftime("%m/%d/%Y"),
                        state=state,
                    ),
                )
            )
        entry.form.lot.choices = choices(options)
        entry.line = line
        entry.usable = usable
    return form


def build_notes_form(record: CompoundingRecord, formdata=None) -> NotesForm:
    """One note box per flagged line still waiting for a pharmacist."""
    waiting = [line for line in record.lines() if line.flagged and not line.pharmacist_note]
    if formdata is None:
        form = NotesForm(
            formdata=None, data={"notes": [{"line_id": str(line.id)} for line in waiting]}
        )
    else:
        form = NotesForm(formdata=formdata)
    by_id = {line.id: line for line in waiting}
    for entry in form.notes:
        value = entry.form.line_id.data or ""
        entry.line = by_id.get(row_id(value))
    return form


def build_quality_form(record: CompoundingRecord, formdata=None) -> QualityForm:
    results = record.quality_results()
    if formdata is None:
        data = {
            "results": [
                {
                    "result_id": str(result.id),
                    "measured": result.measured,
                    "observed": result.observed,
                    "judged": {True: "pass", False: "fail"}.get(result.passed, "")
                    if result.check.kind in ("appearance", "other")
                    else "",
                }
                for result in results
            ]
        }
        form = QualityForm(formdata=None, data=data)
    else:
        form = QualityForm(formdata=formdata)
    by_id = {result.id: result for result in results}
    for entry in form.results:
        value = entry.form.result_id.data or ""
        entry.result = by_id.get(row_id(value))
    return form


def render(
    record: CompoundingRecord,
    today: date,
    *,
    lines_form=None,
    notes_form=None,
    quality_form=None,
    reject_form=None,
    asking: str = "",
    message: str = "",
    message_kind: str = "success",
    status: int = 200,
):
    """The record page, or only its body for htmx; forms given keep what was typed."""
    is_open = record.is_open
    context = dict(
        record=record,
        formula=record.formula,
        fill=record.fill_or_none(),
        lines=record.lines(),
        results=record.quality_results(),
        history=CompoundingRecordEvent.history(record),
        lines_form=_or(
            lines_form,
            lambda: build_lines_form(record, today, _typed("lines-")) if is_open else None,
        ),
        notes_form=_or(notes_form, lambda: build_notes_form(record) if is_open else None),
        quality_form=_or(
            quality_form,
            lambda: build_quality_form(record, _typed("results-")) if is_open else None,
        ),
        reject_form=_or(reject_form, lambda: RejectForm(formdata=None)),
        action_form=EmptyForm(),
        problems=actions.problems(record, today) if is_open else [],
        asking=asking,
        message=message,
        message_kind=message_kind,
        section=SECTION,
    )
    if htmx:
        # htmx swaps only 2xx answers: a form sent back with its messages is a 200 here.
        return render_template("compounding/_record_body.html", **context), 200
    return render_template("compounding/record.html", **context), status


def _typed(prefix: str):
    """What was typed into a form of the page, sent along with another form (hx-include),
    so a body re-rendered for one form keeps the others' unsaved input; None if not sent."""
    if request.method != "POST" or not any(key.startswith(prefix) for key in request.form):
        return None
    return request.form


def _or(given, make):
    return given if given is not None else make()


def fills_waiting() -> list:
    """Fills sent to compounding with no record in progress yet, oldest first."""
    started = CompoundingRecord.select(CompoundingRecord.fill).where(
        CompoundingRecord.fill.is_null(False)
        & (CompoundingRecord.status == RecordStatus.IN_PROGRESS)
    )
    return list(
        Fill.select(Fill, Prescription, Patient)
        .join(Prescription)
        .join_from(Fill, Patient)
        .where((Fill.status == "compound") & Fill.id.not_in(started))
        .order_by(Fill.queue_rank, Fill.created_at)
        .limit(100)
    )
