"""Print and scan forms."""

from flask_wtf import FlaskForm
from wtforms import SelectField, StringField, SubmitField, TextAreaField
from wtforms.validators import InputRequired, Length, NumberRange, Optional, Regexp

from portal.foundation.forms import BoundedIntegerField, strip


class PrintForm(FlaskForm):
    """Print one fill's label; a reprint needs a reason."""

    copies = BoundedIntegerField(
        "Copies",
        default=1,
        validators=[
            InputRequired("Say how many copies to print."),
            NumberRange(1, 5, "Print 1 to 5 copies."),
        ],
    )
    reprint_reason = TextAreaField(
        "Reason for reprinting",
        filters=[strip],
        validators=[Optional(), Length(max=300, message="Keep the reason under 300 characters.")],
    )
    submit = SubmitField("Print label")


class BatchPrintForm(FlaskForm):
    """Print the chosen fills' labels in one PDF (fill ids come as checkboxes named "fill")."""

    reprint_reason = TextAreaField(
        "Reason for reprinting (needed when a chosen label was printed before)",
        filters=[strip],
        validators=[Optional(), Length(max=300, message="Keep the reason under 300 characters.")],
    )
    submit = SubmitField("Print chosen labels")


class ScanForm(FlaskForm):
    """A scanned label barcode (the scanner types it and presses Enter)."""

    class Meta:
        csrf = False  # a GET lookup; changes nothing

    code = StringField("Scan the label", filters=[strip], validators=[Length(max=40)])


class CalibrationForm(FlaskForm):
    """Print the calibration label of a label stock (the one in the settings by default)."""

    stock = SelectField("Label stock", validators=[InputRequired("Choose a label stock.")])
    submit = SubmitField("Print calibration label")


class PrinterForm(FlaskForm):
    """This terminal's label printer: a CUPS queue name, or blank for the browser."""

    queue = StringField(
        "Printer queue on the server (CUPS)",
        filters=[strip],
        validators=[
            Optional(),
            Regexp(
                r"^[A-Za-z0-9_.-]{1,127}$",
                message="Type the queue's name as `lpstat -p` lists it: letters, digits, "
                "“-”, “_” and “.”, no spaces.",
            ),
        ],
    )
    save = SubmitField("Save this terminal's printer")
