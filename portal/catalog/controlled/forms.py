"""Forms of the controlled-substance records: a message per field."""

from decimal import Decimal

from flask_wtf import FlaskForm
from wtforms import FieldList, FormField, SelectField, TextAreaField
from wtforms.validators import Length, Optional

from portal.catalog.controlled import rules
from portal.catalog.fields import DateText, NumberText, text_field
from portal.foundation.forms import choices, plain_text, strip, word_choices
from portal.foundation.i18n import lazy_gettext as _l

MAX_LINES = 5


def _text_area(label, max_length=1000):
    return TextAreaField(
        label,
        validators=[
            Optional(),
            Length(max=max_length, message=_l("At most %(max)d characters.")),
            plain_text,
        ],
        filters=(strip,),
    )


class CountForm(FlaskForm):
    lot_id = SelectField(_l("Lot counted"))
    counted = NumberText(
        _l("Counted on the shelf"), required=True, minimum=Decimal(0), what="count"
    )
    explanation = _text_area(_l("Pharmacist's explanation of any difference"))


class OrderLineForm(FlaskForm):
    class Meta:
        csrf = False  # inside the order form, which carries the token

    product_id = SelectField(_l("Product"), default="")
    quantity = NumberText(_l("Quantity ordered"), above_zero=True, what=_l("quantity ordered"))


class OrderForm(FlaskForm):
    order_form = SelectField(
        _l("Order form"), choices=word_choices(rules.ORDER_FORMS), default="222"
    )
    order_number = text_field(
        _l("Order form number"),
        20,
        required=True,
        message=_l("Enter the number printed on the form or the CSOS order."),
    )
    supplier = text_field(
        _l("Supplier"), 120, required=True, message=_l("Enter the supplier's name.")
    )
    supplier_dea = text_field(
        _l("Supplier's DEA number"),
        9,
        required=True,
        message=_l("Enter the supplier's DEA number."),
    )
    ordered_on = DateText(_l("Date ordered"))
    lines = FieldList(FormField(OrderLineForm), min_entries=MAX_LINES, max_entries=MAX_LINES)


class ReceiveLineForm(FlaskForm):
    quantity = NumberText(
        _l("Quantity received"), required=True, above_zero=True, what=_l("quantity received")
    )
    lot_number = text_field(
        _l("Lot number"), 40, required=True, message=_l("Enter the lot number from the package.")
    )
    expires_on = DateText(_l("Expiration date"), expiry=True)
    received_on = DateText(_l("Date received"))


class LossForm(FlaskForm):
    kind = SelectField(
        _l("What happened"),
        choices=choices(
            (
                ("theft_loss", _l("Theft or loss (DEA Form 106)")),
                ("destruction", _l("Destruction (DEA Form 41)")),
            )
        ),
    )
    lot_id = SelectField(_l("Lot"))
    quantity = NumberText(_l("Quantity"), required=True, above_zero=True, what="quantity")
    happened_on = DateText(_l("Date discovered or destroyed"))
    loss_kind = SelectField(
        _l("Type of theft or loss (Form 106)"),
        choices=word_choices((("", "—"), *rules.LOSS_KINDS)),
        default="",
    )
    police_report = text_field(_l("Police report number (Form 106)"), 40)
    method = SelectField(
        _l("Method of destruction (Form 41)"),
        choices=word_choices((("", "—"), *rules.DESTRUCTION_METHODS)),
        default="",
    )
    witnesses = text_field(_l("Two witnesses (Form 41), separated by a comma"), 200)
    circumstances = _text_area(_l("What happened, in full"))
