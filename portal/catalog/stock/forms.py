"""Stock forms: receiving a lot, taking stock out or putting it back, a physical count,
destruction, and correcting a lot's details."""

from datetime import date, timedelta
from decimal import Decimal

from flask_babel import gettext as _
from flask_wtf import FlaskForm
from wtforms import BooleanField, SelectField, TextAreaField
from wtforms.validators import Length, Optional, ValidationError

from portal.catalog.fields import DateText, NumberText, text_field
from portal.catalog.models import Product
from portal.catalog.safety import ReasonForChange
from portal.catalog.stock import rules as stock_rules
from portal.foundation.dates import today as pharmacy_today
from portal.foundation.forms import choices, plain_text, strip
from portal.foundation.i18n import lazy_gettext as _l


class ReceiveForm(FlaskForm):
    """Stock arriving: a new lot, or more of a lot already on file."""

    lot_number = text_field(
        _l("Lot number"), 40, required=True, message=_l("Enter the lot number from the package.")
    )
    expires_on = DateText(_l("Expiration date"), expiry=True)
    quantity = NumberText(
        _l("Quantity received"),
        required=True,
        above_zero=True,
        maximum=Decimal(10_000_000),
        what=_l("quantity received"),
    )
    count_in = SelectField(
        _l("Counted in"), choices=choices([("units", _l("units"))]), default="units"
    )
    received_on = DateText(_l("Date received"))
    supplier = text_field(_l("Supplier"), 120)
    note = text_field(_l("Note"), 500)

    def __init__(self, *args, item=None, today: date | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.item, self.today = item, today or pharmacy_today()
        unit = item.stock_unit if item is not None else "units"
        options = [("units", unit)]
        if isinstance(item, Product):
            size = stock_rules.plain_quantity(item.package_size, item.package_unit)
            options.append(("packages", _("packages of %(size)s", size=size)))
        self.count_in.choices = choices(options)
        if not self.is_submitted():
            self.received_on.data = self.today.strftime("%m/%d/%Y")

    def validate_expires_on(self, field):
        if field.date is not None and field.date < self.today:
            raise ValidationError(
                _(
                    "This lot expired on %(date)s; do not receive expired stock.",
                    date=field.date.strftime("%m/%d/%Y"),
                )
            )

    def validate_received_on(self, field):
        if field.date is not None and field.date > self.today:
            raise ValidationError(_("The date received cannot be in the future."))
        if field.date is not None and field.date < self.today - timedelta(days=366):
            raise ValidationError(_("The date received is more than a year ago; check the year."))

    def units_received(self) -> Decimal:
        if self.count_in.data == "packages" and isinstance(self.item, Product):
            return self.quantity.value * self.item.package_size
        return self.quantity.value


MOVE_REASONS = [
    ("dispensed", _l("Dispensed (take out)")),
    ("compounded", _l("Used in compounding (take out)")),
    ("returned", _l("Returned to stock (put back)")),
    ("expired", _l("Removed as expired (take out)")),
    ("destroyed", _l("Destroyed (take out)")),
]


class MoveForm(FlaskForm):
    """Stock going out of or back into a lot by hand."""

    reason = SelectField(_l("What happened"), choices=choices(MOVE_REASONS), default="dispensed")
    quantity = NumberText(
        _l("Quantity"), required=True, above_zero=True, maximum=Decimal(10_000_000)
    )
    note = text_field(_l("Note"), 500)
    allow_negative = BooleanField(_l("Allow the lot to go below zero (pharmacist or manager)"))
    override_reason = text_field(_l("Why it may go below zero"), 300)

    def validate(self, extra_validators=None):
        # Checks that depend on other fields: Optional() on an empty field would stop a
        # validate_<field> method from running at all.
        valid = super().validate(extra_validators)
        if self.reason.data in stock_rules.NOTE_REQUIRED and not self.note.data:
            self.note.errors.append(_("Say why the stock was destroyed and who witnessed it."))
            valid = False
        if self.allow_negative.data and not self.override_reason.data:
            self.override_reason.errors.append(_("Say why the lot may go below zero."))
            valid = False
        return valid


class CountForm(FlaskForm):
    """A physical count: the difference from the computer's count becomes an adjustment."""

    counted = NumberText(
        _l("Counted on the shelf"),
        required=True,
        minimum=0,
        maximum=Decimal(10_000_000),
        what=_l("quantity counted"),
    )
    note = text_field(
        _l("Why it differs"),
        500,
        required=True,
        message=_l("Say why the count differs (e.g. broken bottle, miscount on receipt)."),
    )


class DestroyForm(FlaskForm):
    """Taking everything left in an expired lot off the shelf."""

    note = text_field(
        _l("How and by whom"),
        500,
        required=True,
        message=_l("Say how it was destroyed or returned, and who witnessed it."),
    )


class LotForm(ReasonForChange, FlaskForm):
    """Correcting what was typed on receipt (a new expiry needs a pharmacist and a reason)."""

    lot_number = text_field(
        _l("Lot number"), 40, required=True, message=_l("Enter the lot number.")
    )
    expires_on = DateText(_l("Expiration date"), expiry=True)
    supplier = text_field(_l("Supplier"), 120)
    notes = TextAreaField(
        _l("Notes"),
        validators=[
            Optional(),
            Length(max=2000, message=_l("At most 2000 characters.")),
            plain_text,
        ],
        filters=(strip,),
    )
