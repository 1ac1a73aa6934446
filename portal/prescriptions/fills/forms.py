"""Forms for the steps after intake: verification, filling, holds, clarifications and pickup
(the counter's "is it ready?" lookup, which the patient reads, is in ready_form.py)."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    RadioField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, Optional, ValidationError

from portal.foundation.forms import choices, plain_text, strip, word_choices
from portal.foundation.i18n import N_
from portal.foundation.i18n import lazy_gettext as _l
from portal.foundation.states import US_STATES
from portal.prescriptions import policy

STRIP = (strip,)


def _reason(label, required=False, message=None, max_length=1000):
    first = DataRequired(message=message or _l("Say why.")) if required else Optional()
    return TextAreaField(
        label,
        validators=[
            first,
            Length(max=max_length, message=_l("At most %(count)s characters.", count=max_length)),
            plain_text,
        ],
        filters=STRIP,
    )


class DataVerifyForm(FlaskForm):
    """Approve the entered data, or return it to the technician with a reason."""

    override_reason = _reason(_l("Reason for overriding the blocking check"))
    acknowledge = BooleanField(_l("I have read the warnings and judge this fill safe to go ahead"))
    own_entry_reason = _reason(_l("Reason for verifying your own entry"))
    return_reason = _reason(_l("What the technician must correct"))
    approve = SubmitField(_l("Approve"))
    send_back = SubmitField(_l("Return to technician"))

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        if self.send_back.data and not self.return_reason.data and not self.return_reason.errors:
            self.return_reason.errors = [_("Say what the technician must correct.")]
            valid = False
        return valid


class FinalVerifyForm(FlaskForm):
    """Check the product against the label (scan), then approve or send back."""

    scan = StringField(
        _l("Scan the package barcode (or type its NDC)"),
        validators=[Optional(), Length(max=60, message=_l("At most 60 characters.")), plain_text],
        filters=STRIP,
    )
    override_reason = _reason(_l("Reason for overriding the new blocking alert"))
    acknowledge = BooleanField(
        _l("I have read the new warnings and judge this fill safe to go ahead")
    )
    return_reason = _reason(_l("What must be redone"))
    approve = SubmitField(_l("Approve — ready for pickup"))
    send_back = SubmitField(_l("Send back"))

    def ask_for_internal_id(self) -> None:
        """A compound has no package barcode: its label's internal ID is checked instead."""
        self.scan.label.text = _("Scan or type the internal ID on the preparation's label")

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        if self.send_back.data and not self.return_reason.data and not self.return_reason.errors:
            self.return_reason.errors = [_("Say what must be redone.")]
            valid = False
        return valid


class FillForm(FlaskForm):
    """The technician's filling step: scan the stock bottle and choose its lot."""

    scan = StringField(
        _l("Scan the stock bottle's barcode (or type its NDC)"),
        validators=[
            DataRequired(message=_l("Scan the barcode on the stock bottle, or type its NDC.")),
            Length(max=60, message=_l("At most 60 characters.")),
            plain_text,
        ],
        filters=STRIP,
    )
    lot_id = SelectField(_l("Lot"), choices=[], validate_choice=False)


class ReasonForm(FlaskForm):
    """A hold or a cancellation: the reason is required."""

    reason = _reason(_l("Reason"), required=True, message=_l("Say why."))


class ClarificationForm(FlaskForm):
    question = _reason(
        _l("Question for the prescriber"),
        required=True,
        message=_l("Write the question the prescriber must answer."),
        max_length=2000,
    )


class AnswerForm(FlaskForm):
    answer = _reason(
        _l("Prescriber's answer"),
        required=True,
        message=_l("Write down the answer."),
        max_length=2000,
    )
    answered_by_name = StringField(
        _l("Answered by"),
        validators=[
            DataRequired(message=_l("Who gave the answer (the prescriber or their agent)?")),
            Length(max=120, message=_l("At most 120 characters.")),
            plain_text,
        ],
        filters=STRIP,
    )
    resume = BooleanField(_l("Take the fill off hold now"), default=True)


class PickupForm(FlaskForm):
    """Hand-out at the counter. Its defaults (the patient, counseling offered and declined)
    are the usual pickup, so the common case is one key; a C-II also asks for the collector's
    photo ID (needs_id, set by the view from policy.pickup_needs_id)."""

    needs_id = False
    # A controlled fill (policy.pickup_names_whom): someone else's last and first name and
    # coded relationship, as the PMP report carries them, in place of one name and free text.
    names_whom = False

    who = RadioField(
        _l("Picked up by"),
        choices=choices([("patient", _l("The patient")), ("representative", _l("Someone else"))]),
        default="patient",
    )
    representative_name = StringField(
        _l("Their name"),
        validators=[Length(max=120, message=_l("At most 120 characters.")), plain_text],
        filters=STRIP,
    )
    relationship = StringField(
        _l("Relationship to the patient"),
        validators=[Length(max=40, message=_l("At most 40 characters.")), plain_text],
        filters=STRIP,
    )
    representative_last = StringField(
        "Their last name",
        validators=[Length(max=80, message="At most 80 characters."), plain_text],
        filters=STRIP,
    )
    representative_first = StringField(
        "Their first name",
        validators=[Length(max=80, message="At most 80 characters."), plain_text],
        filters=STRIP,
    )
    relationship_code = SelectField(
        "Relationship to the patient",
        choices=choices([("", "Choose…"), *policy.PICKUP_RELATIONSHIPS]),
        default="",
    )
    counseling = RadioField(
        _l("Offer to counsel"),
        choices=word_choices(policy.COUNSELING_ANSWERS),
        default="declined",
        validators=[DataRequired(message=_l("Say whether the patient accepted or declined it."))],
    )
    id_type = SelectField(
        _l("ID shown"),
        choices=word_choices([("", N_("Choose the ID…")), *policy.PICKUP_ID_TYPES]),
        default="",
    )
    id_state = SelectField(
        _l("State that issued the ID"),
        choices=choices([("", _l("Choose the state…")), *((s, s) for s in US_STATES)]),
        default="",
    )
    id_number = StringField(
        _l("ID number"),
        validators=[Length(max=30, message=_l("At most 30 characters.")), plain_text],
        filters=STRIP,
    )

    def _someone_else(self, controlled: bool) -> bool:
        return self.who.data == "representative" and self.names_whom == controlled

    def validate_representative_name(self, field):
        if self._someone_else(False) and not field.data:
            raise ValidationError(_("Write the name of the person picking up."))

    def validate_relationship(self, field):
        if self._someone_else(False) and not field.data:
            raise ValidationError(_("Say how they are related to the patient, e.g. spouse."))

    def validate_representative_last(self, field):
        if self._someone_else(True) and not field.data:
            raise ValidationError(_("Write the last name of the person picking up."))

    def validate_representative_first(self, field):
        if self._someone_else(True) and not field.data:
            raise ValidationError(_("Write the first name of the person picking up."))

    def validate_relationship_code(self, field):
        if self._someone_else(True) and not field.data:
            raise ValidationError(_("Choose how they are related to the patient."))

    def collector(self, patient) -> dict:
        """Who took it, as hand_out records it: name and relationship in words and, for a
        controlled fill, last and first name and the coded relationship (ASAP AIR06-08)."""
        if self.who.data == "patient":
            found = {"picked_up_by": patient.full_name, "relationship": "patient"}
            if self.names_whom:
                found.update(
                    last_name=patient.last_name,
                    first_name=patient.first_name,
                    relationship_code="patient",
                )
            return found
        if not self.names_whom:
            return {
                "picked_up_by": self.representative_name.data,
                "relationship": self.relationship.data,
            }
        code = self.relationship_code.data
        return {
            "picked_up_by": f"{self.representative_first.data} {self.representative_last.data}",
            "relationship": policy.label(policy.PICKUP_RELATIONSHIPS, code).lower(),
            "last_name": self.representative_last.data,
            "first_name": self.representative_first.data,
            "relationship_code": code,
        }

    def validate_id_type(self, field):
        if self.needs_id and not field.data:
            raise ValidationError(
                _("A C-II is handed out only against a photo ID: choose its type.")
            )

    def validate_id_state(self, field):
        if self.needs_id and policy.id_needs_state(self.id_type.data) and not field.data:
            raise ValidationError(
                _l("Choose the state that issued the ID: the state's PMP report carries it.")
            )

    def validate_id_number(self, field):
        if self.needs_id and not field.data:
            raise ValidationError(_("Type the number on the ID."))
