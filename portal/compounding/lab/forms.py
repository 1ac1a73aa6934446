"""Forms of the lab logs: a cleaning, a balance check."""

from flask_wtf import FlaskForm
from wtforms import SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Optional, ValidationError

from portal.compounding.fields import AmountField
from portal.compounding.lab.models import BALANCE_UNITS, CLEANING_TARGETS
from portal.foundation.forms import choices

CLEANING_AGENTS = (
    "70% isopropyl alcohol",
    "Detergent, then 70% isopropyl alcohol",
    "Purified water, then 70% isopropyl alcohol",
    "Sporicidal agent",
)


class CleaningForm(FlaskForm):
    target = SelectField(
        "What was cleaned",
        choices=choices(CLEANING_TARGETS.items()),
        default="work_surfaces",
    )
    equipment = StringField("Which equipment", validators=[Length(max=120)])
    agent = StringField(
        "Cleaning agent",
        validators=[DataRequired(message="Name the cleaning agent used."), Length(max=120)],
    )
    notes = TextAreaField("Notes", validators=[Optional(), Length(max=2000)])

    def validate_equipment(self, field):
        if self.target.data == "equipment" and not (field.data or "").strip():
            raise ValidationError("Name the equipment cleaned, e.g. “Mortar and pestle 2”.")


class BalanceCheckForm(FlaskForm):
    balance = StringField(
        "Balance",
        validators=[DataRequired(message="Name the balance checked."), Length(max=40)],
    )
    standard_weight = AmountField(
        "Standard weight", validators=[InputRequired(message="Enter the standard weight.")]
    )
    unit = SelectField("Unit", choices=choices((u, u) for u in BALANCE_UNITS), default="g")
    reading = AmountField(
        "Balance reading",
        validators=[InputRequired(message="Enter what the balance read.")],
        allow_zero=True,
    )
    notes = TextAreaField("Notes", validators=[Optional(), Length(max=2000)])
