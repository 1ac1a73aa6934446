"""Forms for the pharmacist's records of how a C-II arrived: a message per field."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_wtf import FlaskForm
from wtforms import RadioField, SelectField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, ValidationError

from portal.foundation.forms import choices, plain_text, strip, word_choices
from portal.foundation.i18n import N_
from portal.foundation.i18n import lazy_gettext as _l
from portal.patients.fields import DateText
from portal.prescriptions.controlled import rules
from portal.prescriptions.intake.forms import Quantity


class EmergencyOralForm(FlaskForm):
    """1306.11(d): the quantity for the emergency period, and the emergency in writing."""

    quantity = Quantity(_l("Emergency quantity"))
    note = TextAreaField(
        _l("The emergency, as the prescriber described it"),
        validators=[
            DataRequired(_l("Say what the emergency is, as the prescriber told it.")),
            Length(max=1000, message=_l("At most 1000 characters.")),
            plain_text,
        ],
        filters=(strip,),
    )
    record_emergency = SubmitField(_l("Record emergency oral order"))

    def validate_quantity(self, field):
        if field.value is None:
            raise ValidationError(_("Enter the quantity for the emergency period."))


class FaxReasonForm(FlaskForm):
    reason = SelectField(
        _l("Why the fax serves as the original"),
        choices=word_choices((("", N_("Choose…")), *rules.FAX_AS_ORIGINAL_REASONS)),
        validators=[InputRequired(_l("Choose the reason."))],
    )
    record_reason = SubmitField(_l("Record the reason"))

    def validate_reason(self, field):
        if field.data not in dict(rules.FAX_AS_ORIGINAL_REASONS):
            raise ValidationError(_("Choose why the fax serves as the original."))


class OriginalReceivedForm(FlaskForm):
    received_on = DateText(_l("Date the signed original was received"))
    mark_received = SubmitField(_l("Signed original received"))

    def validate_received_on(self, field):
        if field.date is None:
            raise ValidationError(_("Enter the date the original was received, e.g. 03/02/2026."))


FOLLOW_UP_CHOICES = (
    (rules.FOLLOW_UP_RECEIVED, _l("Prescriber's written or electronic prescription received")),
    (rules.FOLLOW_UP_DEA_NOTIFIED, _l("Not received: DEA notified")),
)


class FollowUpForm(FlaskForm):
    outcome = RadioField(
        _l("Follow-up"),
        choices=choices(FOLLOW_UP_CHOICES),
        validators=[InputRequired(_l("Choose one."))],
    )
    happened_on = DateText(_l("On (date)"))
    close_follow_up = SubmitField(_l("Record the follow-up"))

    def validate_happened_on(self, field):
        if field.date is None:
            raise ValidationError(_("Enter the date, e.g. 03/02/2026."))


class PartialFillForm(FlaskForm):
    """Dispense less than prescribed (21 CFR 1306.13, 1306.23), with the reason."""

    quantity = Quantity(_l("Quantity to dispense now"))
    reason = SelectField(
        _l("Why less is dispensed"),
        choices=word_choices((("", N_("Choose…")), *rules.PARTIAL_REASONS)),
    )
    record_partial = SubmitField(_l("Record the partial fill"))

    def validate_quantity(self, field):
        if field.value is None:
            raise ValidationError(_("Enter the quantity dispensed now."))

    def validate_reason(self, field):
        if field.data not in dict(rules.PARTIAL_REASONS):
            raise ValidationError(_("Choose why less than the prescribed quantity is dispensed."))


class RemainderForm(FlaskForm):
    quantity = Quantity(_l("Quantity of the remainder to dispense"))
    open_remainder = SubmitField(_l("Send the remainder to the pharmacist"))

    def validate_quantity(self, field):
        if field.value is None:
            raise ValidationError(_("Enter the quantity to dispense."))
