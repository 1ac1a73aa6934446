"""Printing labels (one fill, or a batch in one PDF), the print log, and scan-to-open."""

from __future__ import annotations

from collections.abc import Callable

from flask import (
    current_app,
    flash,
    g,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _

from portal.audit import log as audit
from portal.auth.security import CONTENT_SECURITY_POLICY
from portal.foundation import long_work, settings
from portal.foundation.access import roles_required
from portal.foundation.dates import today
from portal.foundation.db import write_transaction
from portal.foundation.digits import as_id
from portal.foundation.extensions import htmx
from portal.foundation.i18n import lazy_gettext as _l
from portal.foundation.i18n import translated
from portal.labels import batch_list, batch_work, bp, cups
from portal.labels.batch_list import PRINTABLE_STATES
from portal.labels.forms import BatchPrintForm, PrintForm, ScanForm
from portal.labels.from_fill import (
    LabelNotReady,
    label_for_fill,
    label_pharmacy,
    labels_not_ready,
)
from portal.labels.models import LabelPrint
from portal.labels.print_rules import overflow_words
from portal.labels.render import parse_label_barcode, render_labels
from portal.labels.stock import STOCKS
from portal.prescriptions.fills.models import Fill
from portal.prescriptions.fills.queues import Cursor
from portal.prescriptions.fills.workflow import FillStatus
from portal.prescriptions.models import Prescription

PRINT_ROLES = ("technician", "pharmacist")

settings.define(
    "label_stock",
    "4x2.5",
    _l("Label stock"),
    kind="choice",
    choices=tuple((key, _l(stock.description)) for key, stock in STOCKS.items()),
    help=_l("The label paper loaded in the label printer."),
    area="Prescriptions",
)


def label_prints_for(fill_id: int) -> list[LabelPrint]:
    """For templates: the fill's print history."""
    return LabelPrint.history(fill_id)


def labels_waiting() -> int:
    """For the queue's "Print labels" link: fills at a printing step with no label yet."""
    return LabelPrint.unprinted_count(PRINTABLE_STATES)


def _load(fill_id: int) -> Fill:
    fill = Fill.get_or_none(Fill.id == fill_id)
    if fill is None:
        from flask import abort

        abort(404)
    return fill


def _render(fills, copies: int):
    pharmacy = label_pharmacy()
    labels = [label_for_fill(fill, today=today(), pharmacy=pharmacy) for fill in fills]
    workers = current_app.config["LABEL_WORKERS"]
    return render_labels(
        labels, settings.get("label_stock"), current_app.jinja_env, copies, workers
    )


def _rx_fill(fill, fill_number) -> str:
    return "-".join(str(part) for part in (fill.prescription.rx_number, fill_number))


def _warnings(result, fills) -> list[str]:
    return [
        _(
            "Rx %(rx)s: %(fields)s did not fit and print as “see attached sheet”.",
            rx=_rx_fill(fills[item.index], item.fill_number),
            fields=overflow_words(item.fields, translated),
        )
        for item in result.overflow
    ] + [
        _(
            "Rx %(rx)s: the directions print under 12 pt, the largest size that fits this "
            "label stock; a larger stock prints them at 12 pt or more (USP <17>).",
            rx=_rx_fill(fills[index], fills[index].fill_number),
        )
        for index in result.small_directions
    ]


def _log(fills, copies: int, reason: str, printed: set[int] | None = None) -> None:
    """Record each print; the reason is kept for fills in ``printed`` (the reprints). The
    audit events of a batch are chained in one write (audit.log.record_many)."""
    stock = settings.get("label_stock")
    with write_transaction():
        events = []
        for fill in fills:
            reason_here = reason if printed is None or fill.id in printed else ""
            row = LabelPrint.create(
                fill=fill,
                printed_by=g.user,
                copies=copies,
                stock=stock,
                reprint_reason=reason_here,
            )
            events.append(
                {
                    "action": "print",
                    "entity": "fill",
                    "entity_id": fill.id,
                    "after": {
                        "label_print": row.id,
                        "copies": copies,
                        "stock": stock,
                        "reason": reason_here,
                    },
                    "patient_id": fill.patient_id,
                }
            )
        audit.record_many(events)


def _pdf_response(pdf: bytes, name: str):
    response = make_response(pdf)
    response.headers["Content-Type"] = "application/pdf"
    response.headers["Content-Disposition"] = f'inline; filename="{name}.pdf"'
    # The print pages show the PDF in their own frame (print-frame.js); nobody else may.
    response.headers["X-Frame-Options"] = "SAMEORIGIN"
    response.headers["Content-Security-Policy"] = "default-src 'none'; frame-ancestors 'self'"
    return response


def deliver(pdf: bytes, name: str, back: str, log: Callable[[], None]):
    """The PDF for the browser's print dialog; or, when this terminal prints to a CUPS
    queue, the PDF handed to that queue and back to the page saying so. ``log`` runs once
    the label is on its way (a queue that refuses it logs nothing)."""
    queue = cups.terminal_queue()
    if not queue:
        log()
        return _pdf_response(pdf, name)
    try:
        job = cups.send(pdf, queue, name)
    except cups.PrintFailed as failed:
        flash(_("Not printed: %(problem)s Nothing was logged.", problem=failed), "error")
    else:
        log()
        if job:
            sent = _("Sent to the label printer %(queue)s (job %(job)s).", queue=queue, job=job)
        else:
            sent = _("Sent to the label printer %(queue)s.", queue=queue)
        flash(sent, "success")
    return redirect(back, 303)


@bp.after_request
def _framed_by_the_print_page(response):
    """A print posted into the page's own print frame (print-frame.js sends print_frame=1)
    may show there, whatever it answers: the script reads a page answer (a field to fix)
    and posts the form again to the whole window. Only our own pages may frame it."""
    if request.method == "POST" and request.form.get("print_frame") == "1":
        response.headers["X-Frame-Options"] = "SAMEORIGIN"
        response.headers["Content-Security-Policy"] = CONTENT_SECURITY_POLICY.replace(
            "frame-ancestors 'none'", "frame-ancestors 'self'"
        )
    return response


@bp.route("/fills/<int:fill_id>", methods=["GET", "POST"])
@roles_required(*PRINT_ROLES)
def print_fill(fill_id: int):
    """The print page: warnings for text that does not fit; POST prints (PDF inline)."""
    fill = _load(fill_id)
    history = LabelPrint.history(fill.id)
    form = PrintForm()
    try:
        result = _render([fill], 1)
    except LabelNotReady as not_ready:
        # Said on the print page itself; nothing is printed or logged.
        return _print_page(fill, form, history, not_ready=str(not_ready)), (
            409 if request.method == "POST" else 200
        )
    except ValueError as problem:
        flash(_("This label cannot be printed yet: %(problem)s.", problem=problem), "error")
        return redirect(url_for("prescriptions.fill_detail", fill_id=fill.id))
    status = 200
    if form.validate_on_submit():
        reason = form.reprint_reason.data or ""
        if history and not reason:
            form.reprint_reason.errors = [
                _("This label was printed before. Say why it is being printed again.")
            ]
            status = 422
        else:
            copies = form.copies.data
            pdf = result.pdf if copies == 1 else _render([fill], copies).pdf
            rx = fill.prescription
            return deliver(
                pdf,
                f"label-rx{rx.rx_number}-{fill.fill_number}",
                url_for("labels.print_fill", fill_id=fill.id),
                lambda: _log([fill], copies, reason if history else ""),
            )
    elif request.method == "POST":
        status = 422
    return _print_page(fill, form, history, warnings=_warnings(result, [fill])), status


def _print_page(fill, form, history, **extra) -> str:
    return render_template(
        "labels/print.html",
        form=form,
        fill=fill,
        rx=fill.prescription,
        history=history,
        stock=STOCKS[settings.get("label_stock")],
        **extra,
    )


@bp.route("/batch", methods=["GET", "POST"])
@roles_required(*PRINT_ROLES)
def batch():
    """Fills waiting in filling, compounding or final verification, 50 at a time (htmx
    brings the next rows into the same form); print the chosen ones."""
    form = BatchPrintForm()
    if request.method == "GET":
        after = Cursor.decode(request.args.get("after"))
        if htmx and after is not None:
            return render_template("labels/_batch_rows.html", chosen=(), **_batch_rows(after))
        return _batch_page(form, _batch_rows(after))
    chosen_ids = {as_id(v) for v in request.form.getlist("fill")} - {None}
    chosen = batch_list.chosen(chosen_ids)
    problem = ""
    if form.validate_on_submit():
        printed = LabelPrint.printed_fill_ids(f.id for f in chosen)
        not_ready = labels_not_ready(chosen)
        reason = form.reprint_reason.data or ""
        if not chosen:
            problem = _("Choose at least one fill to print.")
        elif waiting := [not_ready[f.id] for f in chosen if f.id in not_ready]:
            problem = (
                " ".join(waiting)
                + " "
                + (
                    _("Leave it out to print the others.")
                    if len(waiting) == 1
                    else _("Leave them out to print the others.")
                )
            )
        elif any(f.id in printed for f in chosen) and not reason:
            form.reprint_reason.errors = [
                _("Some chosen labels were printed before. Say why they are being printed again.")
            ]
        elif len(chosen) > batch_work.large_batch() and not cups.terminal_queue():
            # To a printer queue the batch goes in this request, as any other print does.
            job = batch_work.start(chosen, lambda fills: _log(fills, 1, reason, printed))
            return long_work.answer(job)
        else:
            try:
                result = _render(chosen, 1)
            except ValueError as error:
                problem = _("These labels cannot be printed yet: %(problem)s.", problem=error)
            else:
                return deliver(
                    result.pdf,
                    f"labels-{len(chosen)}",
                    url_for("labels.batch"),
                    lambda: _log(chosen, 1, reason, printed),
                )
    # Shown again as far down as the last chosen fill, so every chosen one is still chosen.
    through = batch_list.cursor_of(chosen[-1]) if chosen else None
    rows = _batch_rows(None, through)
    return _batch_page(form, rows, chosen=chosen_ids, problem=problem), 422


def _batch_rows(after, through=None) -> dict:
    """A page of the batch list with what its rows show: printed before, not ready yet."""
    page = batch_list.page(after, through=through)
    return {
        "page": page,
        "printed": LabelPrint.printed_fill_ids(f.id for f in page.rows),
        "not_ready": labels_not_ready(page.rows),
        "continued": after is not None,
    }


def _batch_page(form, rows: dict, chosen=frozenset(), problem: str = "") -> str:
    unprinted = [f for f in rows["page"].rows if f.id not in rows["printed"]]
    return render_template(
        "labels/batch.html",
        form=form,
        chosen=chosen,
        problem=problem,
        large_batch=batch_work.large_batch(),
        printed_pdf=_printed_pdf_address(),
        # Labels never printed start chosen: the page opens on Print, one Enter away.
        focus_print=request.method == "GET"
        and any(f.id not in rows["not_ready"] for f in unprinted),
        **rows,
    )


def _printed_pdf_address() -> str:
    """After a large batch: its PDF's address, for the page's print frame."""
    token = request.args.get("printed", "")
    if request.method != "GET" or not batch_work.finished_pdf(token, g.user.id):
        return ""
    return url_for("labels.batch_pdf", token=token)


@bp.route("/batch/<token>.pdf")
@roles_required(*PRINT_ROLES)
def batch_pdf(token: str):
    """A large batch's PDF, kept for the person who printed it (already logged)."""
    pdf = batch_work.finished_pdf(token, g.user.id)
    if pdf is None:
        flash(_("That batch of labels is no longer kept here: print it again."), "warning")
        return redirect(url_for("labels.batch"))
    return _pdf_response(pdf, "labels-batch")


@bp.route("/scan")
@roles_required(*PRINT_ROLES)
def scan():
    """A scanned label barcode opens that fill's current step: final verification or pickup."""
    form = ScanForm(request.args)
    code = (form.code.data or "")[:40]
    back = request.args.get("back") == "pickup"
    try:
        rx_number, fill_number = parse_label_barcode(code)
    except ValueError:
        flash(
            _("“%(code)s” is not a label barcode. Scan the barcode on the label.", code=code),
            "warning",
        )
        return redirect(
            url_for(
                "prescriptions.queue", state=FillStatus.READY if back else FillStatus.FINAL_VERIFY
            )
        )
    fill = (
        Fill.select(Fill)
        .join(Prescription)
        .where(Prescription.rx_number == int(rx_number), Fill.fill_number == fill_number)
        .first()
    )
    if fill is None:
        flash(_("No fill matches the label %(code)s.", code=code), "warning")
        return redirect(url_for("prescriptions.queue"))
    if fill.status == FillStatus.FINAL_VERIFY:
        return redirect(url_for("prescriptions.verify_final", fill_id=fill.id))
    if fill.status == FillStatus.READY:
        return redirect(url_for("prescriptions.pickup", fill_id=fill.id))
    flash(
        _("Rx %(rx)s is at %(status)s.", rx=fill.rx_fill, status=fill.status_label.lower()),
        "info",
    )
    return redirect(url_for("prescriptions.fill_detail", fill_id=fill.id))
