"""Print setup: the label stocks the portal knows, the one in use, and a calibration label
to check the printer's scale and the stock's position before printing for patients."""

from flask import render_template

from portal.foundation import settings
from portal.foundation.access import roles_required
from portal.labels import bp
from portal.labels.calibration import calibration_pdf, slots, ticks
from portal.labels.forms import CalibrationForm
from portal.labels.stock import STOCKS
from portal.labels.views import PRINT_ROLES, _pdf_response


@bp.route("/setup", methods=["GET", "POST"])
@roles_required(*PRINT_ROLES)
def print_setup():
    """The stocks and the calibration label; the PDF opens in the page's print frame."""
    in_use = settings.get("label_stock")
    form = CalibrationForm(stock=in_use)
    form.stock.choices = [(key, stock.description) for key, stock in STOCKS.items()]
    if form.validate_on_submit():
        stock = STOCKS[form.stock.data]
        html = render_template(
            "labels/calibration_label.html", stock=stock, slots=slots(stock), ticks=ticks()
        )
        return _pdf_response(calibration_pdf(html, stock), f"calibration-{stock.key}")
    return render_template(
        "labels/setup.html", form=form, stocks=STOCKS.values(), in_use=STOCKS[in_use]
    ), (422 if form.errors else 200)
