"""Forms of the controlled-substance records: a message per field."""

from decimal import Decimal

from flask_wtf import FlaskForm
from wtforms import FieldList, FormField, SelectField, TextAreaField
from wtforms.validators import Length, Optional

from portal.catalog.controlled import rules
from portal.catalog.fields import DateText, NumberText, text_field
from portal.foundation.forms import choices, plain_text, strip

MAX_LINES = 5


def _text_area(label, max_length=1000):
    return TextAreaField(
        label,
        validators=[
            Optional(),
            Length(max=max_length, message=f"At most {max_length} characters."),
            plain_text,
        ],
        filters=(strip,),
    )


class CountForm(FlaskForm):
    lot_id = SelectField("Lot counted")
    counted = NumberText("Counted on the shelf", required=True, minimum=Decimal(0), what="count")
    explanation = _text_area("Pharmacist's explanation of any difference")


class OrderLineForm(FlaskForm):
    class Meta:
        csrf = False  # inside the order form, which carries the token

    product_id = SelectField("Product", default="")
    quantity = NumberText("Quantity ordered", above_zero=True, what="quantity ordered")


class OrderForm(FlaskForm):
    order_form = SelectField("Order form", choices=choices(rules.ORDER_FORMS), default="222")
    order_number = text_field(
        "Order form number",
        20,
        required=True,
        message="Enter the number printed on the form or the CSOS order.",
    )
    supplier = text_field("Supplier", 120, required=True, message="Enter the supplier's name.")
    supplier_dea = text_field(
        "Supplier's DEA number", 9, required=True, message="Enter the supplier's DEA number."
    )
    ordered_on = DateText("Date ordered")
    lines = FieldList(FormField(OrderLineForm), min_entries=MAX_LINES, max_entries=MAX_LINES)


class ReceiveLineForm(FlaskForm):
    quantity = NumberText(
        "Quantity received", required=True, above_zero=True, what="quantity received"
    )
    lot_number = text_field(
        "Lot number", 40, required=True, message="Enter the lot number from the package."
    )
    expires_on = DateText("Expiration date", expiry=True)
    received_on = DateText("Date received")


class LossForm(FlaskForm):
    kind = SelectField(
        "What happened",
        choices=choices(
            (
                ("theft_loss", "Theft or loss (DEA Form 106)"),
                ("destruction", "Destruction (DEA Form 41)"),
            )
        ),
    )
    lot_id = SelectField("Lot")
    quantity = NumberText("Quantity", required=True, above_zero=True, what="quantity")
    happened_on = DateText("Date discovered or destroyed")
    loss_kind = SelectField(
        "Type of theft or loss (Form 106)",
        choices=choices((("", "—"), *rules.LOSS_KINDS)),
        default="",
    )
    police_report = text_field("Police report number (Form 106)", 40)
    method = SelectField(
        "Method of destruction (Form 41)",
        choices=choices((("", "—"), *rules.DESTRUCTION_METHODS)),
        default="",
    )
    witnesses = text_field("Two witnesses (Form 41), separated by a comma", 200)
    circumstances = _text_area("What happened, in full")
