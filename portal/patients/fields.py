"""Form fields and validators shared by the patient forms."""

import re
from datetime import date

from flask_babel import gettext as _
from wtforms import StringField
from wtforms.validators import ValidationError

from portal.patients import rules

# Control characters (other than tab and newlines) never belong in a record, and PostgreSQL
# refuses NUL outright: turn them into a message instead of an error page.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_TWO_DIGIT_YEAR = re.compile(r"^[0-9]{1,2}[/.-][0-9]{1,2}[/.-][0-9]{2}$")


def strip(value):
    return value.strip() if isinstance(value, str) else value


def plain_text(form, field):
    """Reject invisible control characters (pasted from other programs)."""
    if isinstance(field.data, str) and _CONTROL.search(field.data):
        raise ValidationError(_("Remove the invisible control characters from this field."))


def us_phone(form, field):
    """Optional US phone: ten digits (a leading 1 is dropped), punctuation free-form."""
    text = field.data or ""
    if not text:
        return
    if not re.fullmatch(r"[0-9\s().+-]+", text) or len(rules.phone_digits(text)) != 10:
        raise ValidationError(_("Enter a 10-digit phone number with area code, e.g. 217-555-0142."))


class DateText(StringField):
    """A date typed as 1/2/1960, 01/02/1960 or 1960-01-02; `.date` holds the parsed value.

    With two_digit_years (dates of birth) 1/2/60 reads as the latest such year not in the
    future; elsewhere (coverage dates, which may lie ahead) four digits are required.
    """

    def __init__(self, label=None, validators=None, two_digit_years=False, **kwargs):
        kwargs.setdefault("filters", (strip,))
        super().__init__(label, validators, **kwargs)
        self.two_digit_years = two_digit_years
        self.date: date | None = None

    def process_data(self, value):
        self.data = value.strftime("%m/%d/%Y") if isinstance(value, date) else (value or "")

    def pre_validate(self, form):
        self.date = None
        text = self.data or ""
        if not text:
            return
        if _CONTROL.search(text) or len(text) > 20:
            raise ValidationError(_("Enter the date as MM/DD/YYYY, e.g. 01/02/1960."))
        if _TWO_DIGIT_YEAR.match(text) and not self.two_digit_years:
            raise ValidationError(_("Type the year with four digits, e.g. 12/31/2026."))
        self.date = rules.read_birth_date(text)
        if self.date is None:
            raise ValidationError(_("Enter a real date as MM/DD/YYYY, e.g. 01/02/1960."))
