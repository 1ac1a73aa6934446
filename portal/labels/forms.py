"""Print and scan forms."""

from flask_wtf import FlaskForm
from wtforms import SelectField, StringField, SubmitField, TextAreaField
from wtforms.validators import InputRequired, Length, NumberRange, Optional, Regexp

from portal.foundation.forms import BoundedIntegerField, strip
from portal.foundation.i18n import lazy_gettext as _l


class PrintForm(FlaskForm):
    """Print one fill's label; a reprint needs a reason."""

    copies = BoundedIntegerField(
        _l("Copies"),
        default=1,
        validators=[
            InputRequired(_l("Say how many copies to print.")),
            NumberRange(1, 5, _l("Print 1 to 5 copies.")),
        ],
    )
    reprint_reason = TextAreaField(
        _l("Reason for reprinting"),
        filters=[strip],
        validators=[
            Optional(),
            Length(max=300, message=_l("Keep the reason under 300 characters.")),
        ],
    )
    submit = SubmitField(_l("Print label"))


class BatchPrintForm(FlaskForm):
    """Print the chosen fills' labels in one PDF (fill ids come as checkboxes named "fill")."""

    reprint_reason = TextAreaField(
        _l("Reason for reprinting (needed when a chosen label was printed before)"),
        filters=[strip],
        validators=[
            Optional(),
            Length(max=300, message=_l("Keep the reason under 300 characters.")),
        ],
    )
    submit = SubmitField(_l("Print chosen labels"))


class ScanForm(FlaskForm):
    """A scanned label barcode (the scanner types it and presses Enter)."""

    class Meta:
        csrf = False  # a GET lookup; changes nothing

    code = StringField(_l("Scan the label"), filters=[strip], validators=[Length(max=40)])


class CalibrationForm(FlaskForm):
    """Print the calibration label of a label stock (the one in the settings by default)."""

    stock = SelectField(_l("Label stock"), validators=[InputRequired(_l("Choose a label stock."))])
    submit = SubmitField(_l("Print calibration label"))


class PrinterForm(FlaskForm):
    """This terminal's label printer: a CUPS queue name, or blank for the browser."""

    queue = StringField(
        _l("Printer queue on the server (CUPS)"),
        filters=[strip],
        validators=[
            Optional(),
            Regexp(
                r"^[A-Za-z0-9_.-]{1,127}$",
                message=_l(
                    "Type the queue's name as `lpstat -p` lists it: letters, digits, "
                    "“-”, “_” and “.”, no spaces."
                ),
            ),
        ],
    )
    save = SubmitField(_l("Save this terminal's printer"))
