"""Small helpers shared by every area's forms."""

import re
from collections.abc import Iterable

from flask_babel import gettext as _
from flask_wtf import FlaskForm
from wtforms import IntegerField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import NumberRange, ValidationError

from portal.foundation.i18n import lazy_gettext

# Control characters (other than tab and newlines) never belong in a record, and PostgreSQL
# refuses NUL outright: turn them into a message instead of an error page.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_UNSEARCHABLE = re.compile(r"[\x00-\x1f\x7f]")


def choices(pairs: Iterable[tuple[str, str]]) -> list[SelectChoice]:
    """(value, label) pairs as WTForms 3.3 choices."""
    return [SelectChoice(value, label) for value, label in pairs]


def word_choices(pairs: Iterable[tuple[str, str]]) -> list[SelectChoice]:
    """(value, label) pairs whose labels are words (marked with N_ where they are defined), as
    choices whose labels are shown in the staff language; the values stay as they are."""
    return [SelectChoice(value, lazy_gettext(label)) for value, label in pairs]


class EmptyForm(FlaskForm):
    """CSRF only: for bare POST buttons."""


def strip(value):
    """Field filter: trim surrounding spaces from text."""
    return value.strip() if isinstance(value, str) else value


def plain_text(form, field):
    """Validator: reject invisible control characters (pasted from other programs)."""
    if isinstance(field.data, str) and _CONTROL.search(field.data):
        raise ValidationError(_("Remove the invisible control characters from this field."))


def search_text(args, name: str = "q", limit: int = 80) -> str:
    """A typed search from the query string, without control characters (a scanner's prefix,
    a pasted tab) and cut to ``limit``."""
    return _UNSEARCHABLE.sub("", args.get(name, ""))[:limit].strip()


def has_control_characters(text: str) -> bool:
    return bool(_CONTROL.search(text or ""))


def us_phone(form, field):
    """Validator: optional US phone or fax, ten digits (a leading 1 is dropped)."""
    text = field.data or ""
    if not text:
        return
    digits = re.sub(r"[^0-9]", "", text)
    if len(digits) == 11 and digits.startswith("1"):
        digits = digits[1:]
    if not re.fullmatch(r"[0-9\s().+-]+", text) or len(digits) != 10:
        raise ValidationError(_("Enter a 10-digit number with area code, e.g. 217-555-0142."))


def format_us_phone(text: str) -> str:
    """(217) 555-0142 from any way of typing ten digits; other text unchanged."""
    digits = re.sub(r"[^0-9]", "", text or "")
    if len(digits) == 11 and digits.startswith("1"):
        digits = digits[1:]
    if len(digits) != 10:
        return (text or "").strip()
    return f"({digits[:3]}) {digits[3:6]}-{digits[6:]}"


# Whole numbers as typed: ASCII digits with an optional sign, at most 18 of them, so any
# value fits the database's 64-bit integers and compares exactly.
_WHOLE_NUMBER = re.compile(r"([+-]?)([0-9]+)")
_MOST_DIGITS = 18


class BoundedIntegerField(IntegerField):
    """Every integer field of the portal: a whole number of at most 18 digits.

    WTForms' IntegerField takes whatever int() takes ("٣", "1_000", 400 digits); 309 digits
    or more then overflow NumberRange, which compares through float, and 19 or more overflow
    the database's integer columns: server errors where staff expect a message. Too many
    digits gets the field's own range message ("1 to 60 minutes."), anything else not a
    whole number gets "Enter a whole number"; what was typed stays in the field."""

    def process_formdata(self, valuelist):
        if not valuelist:
            return
        self.data = None
        found = _WHOLE_NUMBER.fullmatch(valuelist[0].strip())
        if found is None:
            raise ValueError(self.invalid_value_message or _("Enter a whole number, e.g. 30."))
        if len(found.group(2).lstrip("0")) > _MOST_DIGITS:
            raise ValueError(self._out_of_range_message())
        self.data = int(found.group(0))

    def _out_of_range_message(self) -> str:
        for validator in self.validators:
            if isinstance(validator, NumberRange) and validator.message:
                return validator.message % {"min": validator.min, "max": validator.max}
        return _("That number is too large.")
