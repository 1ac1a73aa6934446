"""Stock forms: receiving a lot, taking stock out or putting it back, a physical count,
destruction, and correcting a lot's details."""

from datetime import date, timedelta
from decimal import Decimal

from flask_wtf import FlaskForm
from wtforms import BooleanField, SelectField, TextAreaField
from wtforms.validators import Length, Optional, ValidationError

from portal.catalog.fields import DateText, NumberText, text_field
from portal.catalog.models import Product
from portal.catalog.safety import ReasonForChange
from portal.catalog.stock import rules as stock_rules
from portal.foundation.forms import choices, plain_text, strip


class ReceiveForm(FlaskForm):
    """Stock arriving: a new lot, or more of a lot already on file."""

    lot_number = text_field(
        "Lot number", 40, required=True, message="Enter the lot number from the package."
    )
    expires_on = DateText("Expiration date", expiry=True)
    quantity = NumberText(
        "Quantity received",
        required=True,
        above_zero=True,
        maximum=Decimal(10_000_000),
        what="quantity received",
    )
    count_in = SelectField("Counted in", choices=choices([("units", "units")]), default="units")
    received_on = DateText("Date received")
    supplier = text_field("Supplier", 120)
    note = text_field("Note", 500)

    def __init__(self, *args, item=None, today: date | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.item, self.today = item, today or date.today()
        unit = item.stock_unit if item is not None else "units"
        options = [("units", unit)]
        if isinstance(item, Product):
            size = stock_rules.plain_quantity(item.package_size, item.package_unit)
            options.append(("packages", f"packages of {size}"))
        self.count_in.choices = choices(options)
        if not self.is_submitted():
            self.received_on.data = self.today.strftime("%m/%d/%Y")

    def validate_expires_on(self, field):
        if field.date is not None and field.date < self.today:
            raise ValidationError(
                f"This lot expired on {field.date:%m/%d/%Y}; do not receive expired stock."
            )

    def validate_received_on(self, field):
        if field.date is not None and field.date > self.today:
            raise ValidationError("The date received cannot be in the future.")
        if field.date is not None and field.date < self.today - timedelta(days=366):
            raise ValidationError("The date received is more than a year ago; check the year.")

    def units_received(self) -> Decimal:
        if self.count_in.data == "packages" and isinstance(self.item, Product):
            return self.quantity.value * self.item.package_size
        return self.quantity.value


MOVE_REASONS = [
    ("dispensed", "Dispensed (take out)"),
    ("compounded", "Used in compounding (take out)"),
    ("returned", "Returned to stock (put back)"),
    ("expired", "Removed as expired (take out)"),
    ("destroyed", "Destroyed (take out)"),
]


class MoveForm(FlaskForm):
    """Stock going out of or back into a lot by hand."""

    reason = SelectField("What happened", choices=choices(MOVE_REASONS), default="dispensed")
    quantity = NumberText("Quantity", required=True, above_zero=True, maximum=Decimal(10_000_000))
    note = text_field("Note", 500)
    allow_negative = BooleanField("Allow the lot to go below zero (pharmacist or manager)")
    override_reason = text_field("Why it may go below zero", 300)

    def validate(self, extra_validators=None):
        # Checks that depend on other fields: Optional() on an empty field would stop a
        # validate_<field> method from running at all.
        valid = super().validate(extra_validators)
        if self.reason.data in stock_rules.NOTE_REQUIRED and not self.note.data:
            self.note.errors.append("Say why the stock was destroyed and who witnessed it.")
            valid = False
        if self.allow_negative.data and not self.override_reason.data:
            self.override_reason.errors.append("Say why the lot may go below zero.")
            valid = False
        return valid


class CountForm(FlaskForm):
    """A physical count: the difference from the computer's count becomes an adjustment."""

    counted = NumberText(
        "Counted on the shelf",
        required=True,
        minimum=0,
        maximum=Decimal(10_000_000),
        what="quantity counted",
    )
    note = text_field(
        "Why it differs",
        500,
        required=True,
        message="Say why the count differs (e.g. broken bottle, miscount on receipt).",
    )


class DestroyForm(FlaskForm):
    """Taking everything left in an expired lot off the shelf."""

    note = text_field(
        "How and by whom",
        500,
        required=True,
        message="Say how it was destroyed or returned, and who witnessed it.",
    )


class LotForm(ReasonForChange, FlaskForm):
    """Correcting what was typed on receipt (a new expiry needs a pharmacist and a reason)."""

    lot_number = text_field("Lot number", 40, required=True, message="Enter the lot number.")
    expires_on = DateText("Expiration date", expiry=True)
    supplier = text_field("Supplier", 120)
    notes = TextAreaField(
        "Notes",
        validators=[Optional(), Length(max=2000, message="At most 2000 characters."), plain_text],
        filters=(strip,),
    )
