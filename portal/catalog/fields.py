"""Form fields and helpers shared by the inventory forms: numbers and dates typed as text,
with messages in words instead of WTForms' "Not a valid decimal value"."""

from datetime import date
from decimal import Decimal

from flask_babel import gettext as _
from wtforms import StringField
from wtforms.validators import DataRequired, Length, Optional, ValidationError

from portal.catalog.rules import normalize_ndc
from portal.catalog.stock import rules as stock_rules
from portal.foundation import dates
from portal.foundation.forms import plain_text, strip
from portal.foundation.i18n import lazy_gettext as _l


def text_field(label, max_length, required=False, message=None, **kwargs):
    """A trimmed text field with the column's length limit and no control characters."""
    first = DataRequired(message=message or _l("Fill this in.")) if required else Optional()
    too_long = Length(max=max_length, message=_l("At most %(max)d characters."))
    return StringField(label, validators=[first, too_long, plain_text], filters=(strip,), **kwargs)


def sentence(problem: str) -> str:
    return problem[:1].upper() + problem[1:].rstrip(".") + "."


class NumberText(StringField):
    """A number typed as text ("1,250.5", "$12.40"); ``.value`` holds the Decimal (or None).

    Messages in words instead of WTForms' "Not a valid decimal value".
    """

    def __init__(
        self,
        label=None,
        validators=None,
        *,
        required=False,
        minimum=None,
        maximum=None,
        places=4,
        above_zero=False,
        what=None,
        **kwargs,
    ):
        kwargs.setdefault("filters", (strip,))
        super().__init__(label, validators, **kwargs)
        self.required, self.minimum, self.maximum = required, minimum, maximum
        self.places, self.above_zero = places, above_zero
        self.what = what or (label or "").lower()
        self.value: Decimal | None = None

    def process_data(self, value):
        if isinstance(value, Decimal):
            shown = value.quantize(Decimal("0.01")) if self.places == 2 else value.normalize()
            value = format(shown, "f")
        self.data = "" if value is None else str(value)

    def pre_validate(self, form):
        self.value = None
        text = self.data or ""
        if not text:
            if self.required:
                raise ValidationError(_("Enter the %(what)s.", what=self.what))
            return
        if len(text) > 30:
            raise ValidationError(_("The %(what)s is too long to be a number.", what=self.what))
        try:
            value = stock_rules.parse_decimal(
                text, _("the %(what)s", what=self.what), minimum=self.minimum, places=self.places
            )
        except ValueError as error:
            raise ValidationError(sentence(str(error)))
        if self.above_zero and value <= 0:
            raise ValidationError(_("The %(what)s must be more than zero.", what=self.what))
        if self.maximum is not None and value > self.maximum:
            raise ValidationError(
                _(
                    "The %(what)s cannot be more than %(maximum)s.",
                    what=self.what,
                    maximum=self.maximum,
                )
            )
        self.value = value


class DateText(StringField):
    """A date typed as MM/DD/YYYY or YYYY-MM-DD (expiry also MM/YYYY); ``.date`` holds it."""

    def __init__(self, label=None, validators=None, *, required=True, expiry=False, **kwargs):
        kwargs.setdefault("filters", (strip,))
        super().__init__(label, validators, **kwargs)
        self.required, self.expiry = required, expiry
        self.date: date | None = None

    def process_data(self, value):
        self.data = value.strftime("%m/%d/%Y") if isinstance(value, date) else (value or "")

    def pre_validate(self, form):
        self.date = None
        text = self.data or ""
        if not text:
            if self.required:
                example = "03/2027 or 03/31/2027" if self.expiry else "03/31/2026"
                raise ValidationError(_("Enter the date, e.g. %(example)s.", example=example))
            return
        if len(text) > 20:
            raise ValidationError(_("Type the date as MM/DD/YYYY."))
        try:
            self.date = dates.parse_date(text, month_only_means_end=self.expiry)
        except ValueError as error:
            raise ValidationError(sentence(str(error)))
        if not 2000 <= self.date.year <= 2100:
            self.date = None
            raise ValidationError(_("Check the year: it should be between 2000 and 2100."))


def ndc_field(label, required):
    first = (
        DataRequired(message=_l("Enter the NDC as printed on the package."))
        if required
        else Optional()
    )
    return StringField(label, validators=[first], filters=(strip,))


def check_ndc(field) -> str | None:
    """Normalise an NDC field in place; a ValidationError says why it is not an NDC."""
    if not field.data:
        return None
    try:
        field.data = normalize_ndc(field.data[:40])
    except ValueError as error:
        raise ValidationError(sentence(str(error)))
    return field.data
