"""Forms for the pharmacist's records of how a C-II arrived: a message per field."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import RadioField, SelectField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, ValidationError

from portal.foundation.forms import choices, plain_text, strip
from portal.patients.fields import DateText
from portal.prescriptions.controlled import rules
from portal.prescriptions.intake.forms import Quantity


class EmergencyOralForm(FlaskForm):
    """1306.11(d): the quantity for the emergency period, and the emergency in writing."""

    quantity = Quantity("Emergency quantity")
    note = TextAreaField(
        "The emergency, as the prescriber described it",
        validators=[
            DataRequired("Say what the emergency is, as the prescriber told it."),
            Length(max=1000, message="At most 1000 characters."),
            plain_text,
        ],
        filters=(strip,),
    )
    record_emergency = SubmitField("Record emergency oral order")

    def validate_quantity(self, field):
        if field.value is None:
            raise ValidationError("Enter the quantity for the emergency period.")


class FaxReasonForm(FlaskForm):
    reason = SelectField(
        "Why the fax serves as the original",
        choices=choices((("", "Choose…"), *rules.FAX_AS_ORIGINAL_REASONS)),
        validators=[InputRequired("Choose the reason.")],
    )
    record_reason = SubmitField("Record the reason")

    def validate_reason(self, field):
        if field.data not in dict(rules.FAX_AS_ORIGINAL_REASONS):
            raise ValidationError("Choose why the fax serves as the original.")


class OriginalReceivedForm(FlaskForm):
    received_on = DateText("Date the signed original was received")
    mark_received = SubmitField("Signed original received")

    def validate_received_on(self, field):
        if field.date is None:
            raise ValidationError("Enter the date the original was received, e.g. 03/02/2026.")


FOLLOW_UP_CHOICES = (
    (rules.FOLLOW_UP_RECEIVED, "Prescriber's written or electronic prescription received"),
    (rules.FOLLOW_UP_DEA_NOTIFIED, "Not received: DEA notified"),
)


class FollowUpForm(FlaskForm):
    outcome = RadioField(
        "Follow-up", choices=choices(FOLLOW_UP_CHOICES), validators=[InputRequired("Choose one.")]
    )
    happened_on = DateText("On (date)")
    close_follow_up = SubmitField("Record the follow-up")

    def validate_happened_on(self, field):
        if field.date is None:
            raise ValidationError("Enter the date, e.g. 03/02/2026.")


class PartialFillForm(FlaskForm):
    """Dispense less than prescribed (21 CFR 1306.13, 1306.23), with the reason."""

    quantity = Quantity("Quantity to dispense now")
    reason = SelectField(
        "Why less is dispensed",
        choices=choices((("", "Choose…"), *rules.PARTIAL_REASONS)),
    )
    record_partial = SubmitField("Record the partial fill")

    def validate_quantity(self, field):
        if field.value is None:
            raise ValidationError("Enter the quantity dispensed now.")

    def validate_reason(self, field):
        if field.data not in dict(rules.PARTIAL_REASONS):
            raise ValidationError("Choose why less than the prescribed quantity is dispensed.")


class RemainderForm(FlaskForm):
    quantity = Quantity("Quantity of the remainder to dispense")
    open_remainder = SubmitField("Send the remainder to the pharmacist")

    def validate_quantity(self, field):
        if field.value is None:
            raise ValidationError("Enter the quantity to dispense.")
