"""Prescriber clarification: ask from any fill (the fill goes on hold), print the request
to fax, record the answer and who gave it, resume."""

from flask import current_app, flash, g, make_response, redirect, render_template, url_for
from flask_babel import gettext as _
from playhouse.flask_utils import get_object_or_404

from portal.audit import log as audit
from portal.foundation.access import roles_required
from portal.foundation.dates import today
from portal.foundation.db import write_transaction
from portal.prescriptions import WORK_ROLES, bp
from portal.prescriptions.fills import clarifications
from portal.prescriptions.fills.forms import AnswerForm, ClarificationForm
from portal.prescriptions.fills.models import FILL_PROBLEMS, Clarification
from portal.prescriptions.views import load_fill

PDF_CSS = "css/clarification-print.css"


@bp.route("/fills/<int:fill_id>/clarify", methods=["GET", "POST"])
@roles_required(*WORK_ROLES)
def clarify(fill_id: int):
    """Write the question; the fill waits on hold for the answer."""
    fill = load_fill(fill_id)
    form = ClarificationForm()
    if form.validate_on_submit():
        question = form.question.data
        try:
            clarification = clarifications.ask(fill, g.user, question)
        except FILL_PROBLEMS as problem:
            form.question.errors = [_(str(problem))]
        else:
            flash(
                _("Question recorded and the fill is on hold. Print the request and fax it."),
                "success",
            )
            return redirect(
                url_for("prescriptions.clarification", clarification_id=clarification.id)
            )
    return render_template("prescriptions/clarify.html", form=form, fill=fill, rx=fill.prescription)


def _load(clarification_id: int) -> Clarification:
    return get_object_or_404(Clarification, Clarification.id == clarification_id)


@bp.route("/clarifications/<int:clarification_id>", methods=["GET", "POST"])
@roles_required(*WORK_ROLES)
def clarification(clarification_id: int):
    """The question, the fax to print, and the answer when it comes."""
    found = _load(clarification_id)
    fill = load_fill(found.fill_id) if found.fill_id else None
    form = AnswerForm()
    if found.is_open and form.validate_on_submit():
        try:
            resumed = clarifications.record_answer(
                found,
                g.user,
                answer=form.answer.data,
                answered_by_name=form.answered_by_name.data,
                fill=fill,
                resume=bool(form.resume.data),
            )
        except FILL_PROBLEMS as problem:
            form.answer.errors = [_(str(problem))]
        else:
            flash(
                _("Answer recorded: the fill is off hold.") if resumed else _("Answer recorded."),
                "success",
            )
            target = (
                url_for("prescriptions.fill_detail", fill_id=fill.id)
                if fill
                else url_for("prescriptions.prescription", rx_number=found.prescription.rx_number)
            )
            return redirect(target)
    return render_template(
        "prescriptions/clarification.html",
        clarification=found,
        rx=found.prescription,
        fill=fill,
        form=form,
    )


@bp.route("/clarifications/<int:clarification_id>/request.pdf")
@roles_required(*WORK_ROLES)
def clarification_pdf(clarification_id: int):
    """The clarification request to fax: pharmacy header, patient, prescription, question,
    and room for the prescriber's answer and signature."""
    found = _load(clarification_id)
    rx = found.prescription
    html = render_template(
        "prescriptions/clarification_pdf.html", clarification=found, rx=rx, today=today()
    )
    from weasyprint import CSS, HTML  # loaded on the first print, not at start (0.5-0.8 s)

    stylesheet = CSS(filename=f"{current_app.static_folder}/{PDF_CSS}")
    pdf = HTML(string=html, base_url=current_app.static_folder).write_pdf(stylesheets=[stylesheet])
    with write_transaction():
        audit.record("print", "clarification", found.id, patient_id=rx.patient_id)
    response = make_response(pdf)
    response.headers["Content-Type"] = "application/pdf"
    response.headers["Content-Disposition"] = (
        f'inline; filename="clarification-rx{rx.rx_number}-{found.id}.pdf"'
    )
    return response
