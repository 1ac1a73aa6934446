"""Prescription intake and refill forms: a message per field, nothing saved when wrong.

The forms for verification, filling, holds, clarifications and pickup are in
fills/forms.py.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal, InvalidOperation

from flask_babel import gettext as _
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import SelectField, StringField, SubmitField, TextAreaField
from wtforms.validators import Length, NumberRange, Optional, StopValidation, ValidationError

from portal.catalog.formulas.models import Formula
from portal.catalog.models import Product
from portal.foundation.dates import today as pharmacy_today
from portal.foundation.forms import BoundedIntegerField, plain_text, strip, word_choices
from portal.foundation.i18n import lazy_gettext as _l
from portal.patients.fields import DateText
from portal.patients.models import Patient
from portal.prescribers.models import Prescriber
from portal.prescriptions import policy
from portal.prescriptions.intake.days_supply import proposed_days_supply

STRIP = (strip,)
_DRUG = re.compile(r"^(product|formula):([0-9]{1,12})$")


class WholeNumber(BoundedIntegerField):
    """A whole number with a message in words when something else is typed."""

    def __init__(self, label=None, validators=None, message=None, **kwargs):
        super().__init__(label, validators, **kwargs)
        self.message = message or _l("Enter a whole number using digits only, e.g. 30.")

    def process_formdata(self, valuelist):
        if not valuelist or not valuelist[0].strip():
            self.data = None
            return
        text = valuelist[0].strip()
        if not re.fullmatch(r"[0-9]{1,6}", text):
            self.data = None
            raise ValueError(self.message)
        self.data = int(text)

    def pre_validate(self, form):
        if self.process_errors:
            raise StopValidation()  # the message is already there; no second one


class Quantity(StringField):
    """A quantity typed as 30, 2.5 or 0.5; `.value` holds the Decimal."""

    def __init__(self, label=None, validators=None, **kwargs):
        kwargs.setdefault("filters", STRIP)
        super().__init__(label, validators, **kwargs)
        self.value: Decimal | None = None

    def process_data(self, value):
        if isinstance(value, Decimal):
            self.data = format(value.normalize(), "f")
        else:
            self.data = "" if value is None else str(value)

    def pre_validate(self, form):
        self.value = None
        text = (self.data or "").replace(",", "")
        if not text:
            return
        try:
            number = Decimal(text)
        except InvalidOperation:
            number = None
        shaped = re.fullmatch(r"[0-9]{0,7}(\.[0-9]{0,4})?", text)
        if number is None or not number.is_finite() or not shaped:
            raise StopValidation(_("Enter the quantity as a number, e.g. 30 or 2.5."))
        if number <= 0:
            raise StopValidation(_("The quantity must be more than zero."))
        self.value = number


def _text_area(label, max_length, **kwargs):
    return TextAreaField(
        label,
        validators=[
            Optional(),
            Length(max=max_length, message=_l("At most %(count)s characters.", count=max_length)),
            plain_text,
        ],
        filters=STRIP,
        **kwargs,
    )


class IntakeForm(FlaskForm):
    """One screen to take a prescription in. Saving for later needs only the patient;
    sending it to the pharmacist needs everything."""

    patient_id = WholeNumber(
        _l("Patient"), message=_l("Enter a patient using digits only, e.g. 30.")
    )
    prescriber_id = WholeNumber(
        _l("Prescriber"), message=_l("Enter a prescriber using digits only, e.g. 30.")
    )
    drug = StringField(_l("Drug"), filters=STRIP)  # "product:12" or "formula:3"
    sig = StringField(
        _l("Directions (sig codes)"),
        validators=[Length(max=500, message=_l("At most 500 characters.")), plain_text],
        filters=STRIP,
    )
    quantity = Quantity(_l("Quantity"))
    quantity_unit = SelectField(
        _l("Unit"), choices=word_choices(policy.QUANTITY_UNITS), default="tab"
    )
    days_supply = WholeNumber(
        _l("Days supply"),
        validators=[Optional(), NumberRange(min=1, max=365, message=_l("Between 1 and 365 days."))],
        message=_l("Enter the days supply using digits only, e.g. 30."),
    )
    refills_authorized = WholeNumber(
        _l("Refills authorized"),
        validators=[Optional(), NumberRange(min=0, max=99, message=_l("Between 0 and 99."))],
        message=_l("Enter the number of refills using digits only, e.g. 30."),
        default=0,
    )
    daw = SelectField(_l("DAW code"), choices=word_choices(policy.DAW_CODES), default="0")
    written_on = DateText(_l("Date written"))
    origin = SelectField(_l("Received as"), choices=word_choices(policy.ORIGINS), default="written")
    priority = SelectField(_l("Priority"), choices=word_choices(policy.PRIORITIES), default="today")
    notes = _text_area("Notes", 2000)
    image = FileField(_l("Scan or photo of the original"))
    send = SubmitField(_l("Send to pharmacist"))
    save = SubmitField(_l("Save for later"))

    def __init__(self, *args, today: date | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today or pharmacy_today()
        self.patient: Patient | None = None
        self.prescriber: Prescriber | None = None
        self.product: Product | None = None
        self.formula = None

    @property
    def sending(self) -> bool:
        return bool(self.send.data)

    def validate_patient_id(self, field):
        if field.data is None:
            raise ValidationError(_("Find and choose the patient."))
        self.patient = Patient.get_or_none(Patient.id == field.data)
        if self.patient is None or not self.patient.active:
            raise ValidationError(_("That patient is not on file or is inactive; choose again."))

    def validate_prescriber_id(self, field):
        if field.data is None:
            return
        self.prescriber = Prescriber.get_or_none(Prescriber.id == field.data)
        if self.prescriber is None or not self.prescriber.active:
            raise ValidationError(_("That prescriber is not on file or is inactive; choose again."))

    def validate_drug(self, field):
        if not field.data:
            return
        match = _DRUG.match(field.data)
        if match is None:
            raise ValidationError(_("Choose the drug from the list."))
        kind, number = match.group(1), int(match.group(2))
        if kind == "product":
            self.product = Product.get_or_none((Product.id == number) & (Product.active == True))  # noqa: E712
            if self.product is None:
                raise ValidationError(
                    _("That product is not on file or is inactive; choose again.")
                )
        else:
            self.formula = dispensable_formula(number)
            if self.formula is None:
                raise ValidationError(
                    _("That formula is not approved for dispensing; choose again.")
                )

    def validate_written_on(self, field):
        written = field.date
        if written is not None and written > self.today:
            raise ValidationError(_("The date written is in the future."))

    def validate(self, extra_validators=None) -> bool:
        """Field checks, then, when sending to the pharmacist, that nothing is missing."""
        valid = super().validate(extra_validators)
        if self.days_supply.data is None and not self.days_supply.errors:
            # Left blank: the days supply the directions and quantity give (shown in the preview).
            self.days_supply.data = proposed_days_supply(self.sig.data, self.quantity.value)
        if not self.sending:
            return valid
        needed = {
            self.prescriber_id: _("Find and choose the prescriber."),
            self.drug: _("Find and choose the drug."),
            self.sig: _("Type the directions."),
            self.quantity: _("Enter the quantity."),
            self.days_supply: _("Enter the days supply."),
            self.written_on: _("Enter the date written, e.g. 01/15/2026."),
        }
        for field, message in needed.items():
            if not field.errors and field.data in (None, ""):
                field.errors = [*field.errors, message]
                valid = False
        if self.refills_authorized.data is None and not self.refills_authorized.errors:
            self.refills_authorized.errors = [_("Enter the refills authorized (0 for none).")]
            valid = False
        return valid

    def values(self) -> dict:
        """Prescription columns from the form (after validate).

        A prescription names either a product or a master formula, never both: choosing
        one clears the other, so a compound chosen here is what is checked and made.
        """
        return {
            "prescriber": self.prescriber,
            "product": self.product,
            "formula": self.formula,
            "sig": self.sig.data or "",
            "quantity": self.quantity.value or Decimal(0),
            "quantity_unit": self.quantity_unit.data,
            "days_supply": self.days_supply.data or 0,
            "refills_authorized": self.refills_authorized.data or 0,
            "daw": self.daw.data,
            "written_on": self.written_on.date,
            "origin": self.origin.data,
            "notes": self.notes.data or "",
        }


def dispensable_formula(formula_id: int):
    """An approved master formula (the version in force), or None."""
    return Formula.get_or_none((Formula.id == formula_id) & (Formula.status == "approved"))


class RefillForm(FlaskForm):
    """A new fill from the refills left; quantity and days supply may be less (a partial)."""

    quantity = Quantity(_l("Quantity"))
    days_supply = WholeNumber(
        _l("Days supply"),
        validators=[Optional(), NumberRange(min=1, max=365, message=_l("Between 1 and 365 days."))],
        message=_l("Enter the days supply using digits only, e.g. 30."),
    )
    priority = SelectField(_l("Priority"), choices=word_choices(policy.PRIORITIES), default="today")

    def validate_quantity(self, field):
        if field.value is None and not field.errors:
            raise ValidationError(_("Enter the quantity."))

    def validate_days_supply(self, field):
        if field.data is None:
            raise ValidationError(_("Enter the days supply."))
