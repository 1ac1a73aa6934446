"""Forms of the lab logs: a cleaning, a balance check."""

from flask_babel import gettext as _
from flask_wtf import FlaskForm
from wtforms import SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Optional, ValidationError

from portal.compounding.fields import AmountField
from portal.compounding.lab.models import BALANCE_UNITS, CLEANING_TARGETS
from portal.foundation.forms import choices, word_choices
from portal.foundation.i18n import N_
from portal.foundation.i18n import lazy_gettext as _l

CLEANING_AGENTS = (
    N_("70% isopropyl alcohol"),
    N_("Detergent, then 70% isopropyl alcohol"),
    N_("Purified water, then 70% isopropyl alcohol"),
    N_("Sporicidal agent"),
)


class CleaningForm(FlaskForm):
    target = SelectField(
        _l("What was cleaned"),
        choices=word_choices(CLEANING_TARGETS.items()),
        default="work_surfaces",
    )
    equipment = StringField(_l("Which equipment"), validators=[Length(max=120)])
    agent = StringField(
        _l("Cleaning agent"),
        validators=[DataRequired(message=_l("Name the cleaning agent used.")), Length(max=120)],
    )
    notes = TextAreaField(_l("Notes"), validators=[Optional(), Length(max=2000)])

    def validate_equipment(self, field):
        if self.target.data == "equipment" and not (field.data or "").strip():
            raise ValidationError(_("Name the equipment cleaned, e.g. “Mortar and pestle 2”."))


class BalanceCheckForm(FlaskForm):
    balance = StringField(
        _l("Balance"),
        validators=[DataRequired(message=_l("Name the balance checked.")), Length(max=40)],
    )
    standard_weight = AmountField(
        _l("Standard weight"), validators=[InputRequired(message=_l("Enter the standard weight."))]
    )
    unit = SelectField(_l("Unit"), choices=choices((u, u) for u in BALANCE_UNITS), default="g")
    reading = AmountField(
        _l("Balance reading"),
        validators=[InputRequired(message=_l("Enter what the balance read."))],
        allow_zero=True,
    )
    notes = TextAreaField(_l("Notes"), validators=[Optional(), Length(max=2000)])
