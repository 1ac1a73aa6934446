"""Forms of the calculations page: one per calculation, each read into exact Decimals."""

from flask_babel import gettext as _
from flask_wtf import FlaskForm
from wtforms import FieldList, Form, FormField, RadioField, SelectField, StringField
from wtforms.validators import InputRequired, Length, NumberRange, Optional

from portal.compounding.fields import AmountField
from portal.foundation.forms import BoundedIntegerField, choices
from portal.foundation.i18n import lazy_gettext as _l

MASS_UNITS = [
    ("g", "g"),
    ("mg", "mg"),
    ("mcg", "mcg"),
    ("kg", "kg"),
    ("gr", _l("grains (gr)")),
    ("lb", _l("pounds (lb)")),
]
VOLUME_UNITS = [("mL", "mL"), ("L", "L")]
ALL_UNITS = MASS_UNITS + VOLUME_UNITS
PERCENT_KINDS = [
    ("w/w", _l("w/w — g in 100 g")),
    ("w/v", _l("w/v — g in 100 mL")),
    ("v/v", _l("v/v — mL in 100 mL")),
]


def required(what: str):
    return [InputRequired(message=_l("Enter the %(what)s.", what=what))]


SCALE_UNITS = ALL_UNITS + [("each", "each")]


class ScaleLineForm(Form):
    """One ingredient line of a formula typed in for scaling."""

    name = StringField(_l("Ingredient"), validators=[Optional(), Length(max=200)])
    amount = AmountField(_l("Amount per basis"), validators=[Optional()])
    unit = SelectField(_l("Unit"), choices=choices(SCALE_UNITS), default="g")
    potency = AmountField(_l("Potency %"), validators=[Optional()])
    salt_factor = AmountField(_l("Salt factor"), validators=[Optional()])


class ScaleForm(FlaskForm):
    basis_quantity = AmountField(
        _l("Formula makes"), validators=required(_l("quantity the formula makes"))
    )
    basis_unit = SelectField(_l("Unit"), choices=choices(SCALE_UNITS), default="g")
    prescribed_quantity = AmountField(
        _l("Quantity to make"), validators=required(_l("quantity to make"))
    )
    prescribed_unit = SelectField(_l("Unit"), choices=choices(SCALE_UNITS), default="g")
    lines = FieldList(FormField(ScaleLineForm), min_entries=5, max_entries=20)

    def validate(self, extra_validators=None):
        ok = super().validate(extra_validators)
        filled = [line for line in self.lines if line.form.name.data or line.form.amount.data]
        for line in filled:
            if not line.form.name.data:
                line.form.name.errors.append(_("Name this ingredient."))
                ok = False
            if line.form.amount.data is None and not line.form.amount.errors:
                line.form.amount.errors.append(_("Enter the amount."))
                ok = False
        if not filled:
            self.lines.entries[0].form.name.errors.append(_("Enter at least one ingredient."))
            ok = False
        return ok


class PercentForm(FlaskForm):
    find = RadioField(
        _l("Find"),
        choices=choices(
            [
                ("active", _l("Amount of active in a preparation")),
                ("strength", _l("Percent strength")),
            ]
        ),
        default="active",
    )
    kind = SelectField(_l("Kind of percent"), choices=choices(PERCENT_KINDS), default="w/w")
    total_quantity = AmountField(_l("Total quantity"), validators=required(_l("total quantity")))
    total_unit = SelectField(_l("Unit"), choices=choices(ALL_UNITS), default="g")
    percent = AmountField("Strength (%)", validators=[Optional()])
    active_amount = AmountField(_l("Amount of active"), validators=[Optional()])
    active_unit = SelectField(_l("Unit"), choices=choices(ALL_UNITS), default="g")

    def validate(self, extra_validators=None):
        ok = super().validate(extra_validators)
        if self.find.data == "active" and self.percent.data is None and not self.percent.errors:
            self.percent.errors.append(_("Enter the strength in percent."))
            ok = False
        if (
            self.find.data == "strength"
            and self.active_amount.data is None
            and not self.active_amount.errors
        ):
            self.active_amount.errors.append(_("Enter the amount of active."))
            ok = False
        return ok


class RatioForm(FlaskForm):
    find = RadioField(
        _l("Find"),
        choices=choices(
            [
                ("percent", _l("Percent from a ratio (1:1000 → %)")),
                ("ratio", _l("Ratio from a percent (% → 1:X)")),
                ("active", _l("Amount of active in a ratio-strength preparation")),
            ]
        ),
        default="percent",
    )
    ratio = StringField(_l("Ratio strength"), validators=[Optional(), Length(max=40)])
    percent = AmountField("Strength (%)", validators=[Optional()])
    kind = SelectField(_l("Kind"), choices=choices(PERCENT_KINDS), default="w/v")
    total_quantity = AmountField(_l("Total quantity"), validators=[Optional()])
    total_unit = SelectField(_l("Unit"), choices=choices(ALL_UNITS), default=_l("mL"))

    def validate(self, extra_validators=None):
        ok = super().validate(extra_validators)
        needs = {
            "percent": [("ratio", _("Enter the ratio, like 1:1000."))],
            "ratio": [("percent", _("Enter the strength in percent."))],
            "active": [
                ("ratio", _("Enter the ratio, like 1:1000.")),
                ("total_quantity", _("Enter the total quantity.")),
            ],
        }.get(self.find.data, [])
        for name, message in needs:
            field = getattr(self, name)
            if field.data in (None, "") and not field.errors:
                field.errors.append(message)
                ok = False
        return ok


class DilutionForm(FlaskForm):
    initial_strength = AmountField(_l("Stock strength (C1)"), validators=[Optional()])
    initial_quantity = AmountField(_l("Stock quantity (Q1)"), validators=[Optional()])
    final_strength = AmountField(_l("Final strength (C2)"), validators=[Optional()])
    final_quantity = AmountField(_l("Final quantity (Q2)"), validators=[Optional()])
    strength_unit = SelectField(
        _l("Strength in"),
        choices=choices([("%", "%"), ("mg/mL", "mg/mL"), ("mg/g", "mg/g")]),
        default="%",
    )
    quantity_unit = SelectField(_l("Quantities in"), choices=choices(ALL_UNITS), default=_l("mL"))

    TERMS = ("initial_strength", "initial_quantity", "final_strength", "final_quantity")

    def validate(self, extra_validators=None):
        ok = super().validate(extra_validators)
        if not ok:
            return False
        blank = [name for name in self.TERMS if getattr(self, name).data is None]
        if len(blank) != 1:
            self.final_quantity.errors.append(
                _("Fill in three of the four boxes and leave empty the one to work out.")
            )
            return False
        return True


class AlligationForm(FlaskForm):
    higher_strength = AmountField(
        _l("Higher strength (%)"), validators=required(_l("higher strength"))
    )
    lower_strength = AmountField(
        _l("Lower strength (%)"),
        validators=required(_l("lower strength (0 for a diluent)")),
        allow_zero=True,
    )
    desired_strength = AmountField(
        _l("Desired strength (%)"), validators=required(_l("desired strength"))
    )
    total_quantity = AmountField(_l("Total to make (optional)"), validators=[Optional()])
    quantity_unit = SelectField(_l("Unit"), choices=choices(ALL_UNITS), default="g")


class ConvertForm(FlaskForm):
    amount = AmountField(_l("Amount"), validators=required("amount"))
    from_unit = SelectField(_l("From"), choices=choices(ALL_UNITS), default="gr")
    to_unit = SelectField(_l("To"), choices=choices(ALL_UNITS), default="mg")


class DoseForm(FlaskForm):
    mg_per_kg = AmountField(_l("Dose (mg/kg)"), validators=required(_l("dose in mg/kg")))
    per = RadioField(
        _l("The mg/kg is"),
        choices=choices([("dose", _l("per dose")), ("day", _l("per day, divided"))]),
        default="dose",
    )
    weight = AmountField(_l("Patient's weight"), validators=required(_l("patient's weight")))
    weight_unit = SelectField(
        _l("Unit"), choices=choices([("kg", "kg"), ("lb", "lb"), ("g", "g")]), default="kg"
    )
    doses_per_day = BoundedIntegerField(
        _l("Doses per day"),
        default=1,
        validators=[
            InputRequired(message=_l("Enter how many doses a day.")),
            NumberRange(min=1, max=24, message=_l("Between 1 and 24 doses a day.")),
        ],
    )
    max_dose_mg = AmountField(_l("Maximum single dose (mg, optional)"), validators=[Optional()])
    max_daily_mg = AmountField(_l("Maximum daily dose (mg, optional)"), validators=[Optional()])


class SaltForm(FlaskForm):
    find = RadioField(
        _l("Find"),
        choices=choices(
            [
                ("salt", _l("Salt to weigh for an amount of base")),
                ("base", _l("Base in an amount of salt")),
            ]
        ),
        default="salt",
    )
    amount = AmountField(_l("Amount"), validators=required("amount"))
    unit = SelectField(_l("Unit"), choices=choices(MASS_UNITS), default="mg")
    factor = AmountField(_l("Salt factor (MW salt ÷ MW base)"), validators=[Optional()])
    salt_molecular_weight = AmountField(_l("Molecular weight of the salt"), validators=[Optional()])
    base_molecular_weight = AmountField(_l("Molecular weight of the base"), validators=[Optional()])

    def validate(self, extra_validators=None):
        ok = super().validate(extra_validators)
        if not ok:
            return False
        has_factor = self.factor.data is not None
        weights = (self.salt_molecular_weight.data, self.base_molecular_weight.data)
        if has_factor and any(w is not None for w in weights):
            self.factor.errors.append(
                _("Give the salt factor or the two molecular weights, not both.")
            )
            return False
        if not has_factor and None in weights:
            self.factor.errors.append(_("Give the salt factor, or both molecular weights."))
            return False
        return True


class PotencyForm(FlaskForm):
    required_amount = AmountField(_l("Amount the formula calls for"), validators=required("amount"))
    unit = SelectField(_l("Unit"), choices=choices(MASS_UNITS + VOLUME_UNITS), default="g")
    potency = AmountField(_l("Potency or purity (%)"), validators=required("potency"))


def scale_data_from(formula) -> dict:
    """The scaling form filled from a master formula (its lines, potency and salt factors)."""
    lines = [
        {
            "name": line.component_name,
            "amount": line.amount,
            "unit": line.unit,
            "potency": line.potency_percent if line.potency_percent != 100 else None,
            "salt_factor": line.salt_factor,
        }
        for line in formula.lines()
    ]
    lines += [{} for _ in range(max(0, 5 - len(lines)))]
    return {
        "basis_quantity": formula.basis_quantity,
        "basis_unit": formula.basis_unit,
        "prescribed_quantity": formula.basis_quantity,
        "prescribed_unit": formula.basis_unit,
        "lines": lines,
    }
