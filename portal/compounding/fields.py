"""A number field for amounts on a balance: read exactly as Decimal, with plain messages."""

from decimal import Decimal, InvalidOperation

from flask_babel import gettext as _
from wtforms import Field
from wtforms.widgets import TextInput

from portal.foundation.digits import is_digits

# Amounts are bounded so the exact Decimal working never runs past its 28 digits.
LARGEST = Decimal("10000000")
MOST_PLACES = 6


class DecimalInput(TextInput):
    """A text box that brings up the number pad on a tablet but keeps what was typed."""

    def __call__(self, field, **kwargs):
        kwargs.setdefault("inputmode", "decimal")
        kwargs.setdefault("autocomplete", "off")
        return super().__call__(field, **kwargs)


class AmountField(Field):
    """A Decimal typed by a person: "2.5", "0.125", "1,250" (commas ignored).

    Leaves `data` None when the box is empty: pair with DataRequired/InputRequired or Optional.
    """

    widget = DecimalInput()

    def __init__(self, label=None, validators=None, allow_zero=False, **kwargs):
        super().__init__(label, validators, **kwargs)
        self.allow_zero = allow_zero

    def _value(self):
        if self.raw_data:
            return self.raw_data[0]
        if self.data is None:
            return ""
        return format(self.data.normalize(), "f")

    def process_formdata(self, valuelist):
        self.data = None
        if not valuelist or not (valuelist[0] or "").strip():
            return
        text = valuelist[0].strip().replace(",", "")
        try:
            value = Decimal(text)
        except InvalidOperation:
            raise ValueError(
                _("“%(typed)s” is not a number. Type it like 2.5.", typed=valuelist[0].strip())
            )
        if not value.is_finite():
            raise ValueError(_("Type a number, like 2.5."))
        if value < 0 or (value == 0 and not self.allow_zero):
            raise ValueError(
                _("Must be more than zero.") if not self.allow_zero else _("Cannot be negative.")
            )
        if value > LARGEST:
            raise ValueError(
                _("That is more than %(largest)s — check the number.", largest=format(LARGEST, ","))
            )
        if value != value.quantize(Decimal(1).scaleb(-MOST_PLACES), rounding="ROUND_DOWN"):
            raise ValueError(_("At most %(places)s decimal places.", places=MOST_PLACES))
        self.data = value


def row_id(value) -> int | None:
    """A database id posted back in a form (hidden field, select value), or None when it is
    not plain ASCII digits of a sane length: a tampered value never reaches int() or SQL."""
    text = str(value or "").strip()
    if not is_digits(text) or len(text) > 12:
        return None
    return int(text)
