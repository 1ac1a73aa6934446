"""Print setup: the label stocks the portal knows, the one in use, and a calibration label
to check the printer's scale and the stock's position before printing for patients."""

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from portal.foundation import settings
from portal.foundation.access import roles_required
from portal.labels import bp, cups
from portal.labels.calibration import calibration_pdf, slots, ticks
from portal.labels.forms import CalibrationForm, PrinterForm
from portal.labels.stock import STOCKS
from portal.labels.views import PRINT_ROLES, deliver


@bp.route("/setup", methods=["GET", "POST"])
@roles_required(*PRINT_ROLES)
def print_setup():
    """The stocks and the calibration label; the PDF opens in the page's print frame."""
    in_use = settings.get("label_stock")
    form = CalibrationForm(stock=in_use)
    form.stock.choices = [(key, _(stock.description)) for key, stock in STOCKS.items()]
    if form.validate_on_submit():
        stock = STOCKS[form.stock.data]
        html = render_template(
            "labels/calibration_label.html", stock=stock, slots=slots(stock), ticks=ticks()
        )
        back = url_for("labels.print_setup")
        return deliver(calibration_pdf(html, stock), f"calibration-{stock.key}", back, _no_log)
    return _page(form, PrinterForm(queue=cups.terminal_queue()), 422 if form.errors else 200)


@bp.route("/setup/printer", methods=["POST"])
@roles_required(*PRINT_ROLES)
def terminal_printer():
    """This terminal's label printer: a CUPS queue on the server, or none (the browser)."""
    form = PrinterForm()
    if not form.validate_on_submit():
        calibration = CalibrationForm(stock=settings.get("label_stock"))
        return _page(calibration, form, 422)
    queue = form.queue.data
    response = redirect(url_for("labels.print_setup"), 303)
    if queue:
        flash(
            _("This terminal now prints labels to the printer queue %(queue)s.", queue=queue),
            "success",
        )
        response.set_cookie(
            cups.COOKIE,
            queue,
            max_age=cups.COOKIE_DAYS * 86400,
            httponly=True,
            samesite="Lax",
            secure=request.is_secure,
        )
    else:
        flash(_("This terminal now prints labels from the browser's print dialog."), "success")
        response.delete_cookie(cups.COOKIE)
    return response


def _no_log() -> None:
    """A calibration label is no patient's: nothing to log."""


def _page(calibration: CalibrationForm, printer: PrinterForm, status: int):
    calibration.stock.choices = [(key, _(stock.description)) for key, stock in STOCKS.items()]
    return render_template(
        "labels/setup.html",
        form=calibration,
        printer_form=printer,
        stocks=STOCKS.values(),
        in_use=STOCKS[settings.get("label_stock")],
    ), status
