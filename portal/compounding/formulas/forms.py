"""The master formula form: the record's fields, its ingredient lines and quality checks."""

from decimal import Decimal

from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    FieldList,
    Form,
    FormField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    ValidationError,
)

from portal.catalog.formulas.rules import (
    BASIS_UNITS,
    LINE_UNITS,
    MAX_STABILITY_DAYS,
    PREPARATION_TYPES,
    QUALITY_CHECK_KINDS,
    QUALITY_CHECK_LABELS,
    ROUTES,
    preparation_type_warning,
    unit_fits_stock,
)
from portal.catalog.models import Ingredient, Product
from portal.compounding.fields import AmountField, row_id
from portal.foundation.forms import BoundedIntegerField, choices


def component_choices():
    """Active ingredients and products for a line's select, grouped, as "i:<id>"/"p:<id>"."""
    from wtforms.fields.choices import SelectChoice

    options = [SelectChoice("", "— choose —")]
    options += [
        SelectChoice(f"i:{item.id}", f"{item.name} ({item.unit})", optgroup="Bulk ingredients")
        for item in Ingredient.listing()
    ]
    options += [
        SelectChoice(
            f"p:{item.id}",
            f"{item.description} — NDC {item.ndc} ({item.package_unit})",
            optgroup="Manufactured products",
        )
        for item in Product.listing()
    ]
    return options


def find_component(value: str):
    """The Ingredient or Product a line's select value names, or None."""
    kind, _, number = (value or "").partition(":")
    if row_id(number) is None:
        return None
    model = {"i": Ingredient, "p": Product}.get(kind)
    return model.get_or_none(model.id == row_id(number)) if model else None


def component_value(line) -> str:
    return f"i:{line.ingredient_id}" if line.ingredient_id else f"p:{line.product_id}"


class FormulaLineForm(Form):
    component = SelectField("Ingredient or product", validate_choice=False)
    amount = AmountField("Amount per batch basis", validators=[Optional()])
    unit = SelectField("Unit", choices=choices(LINE_UNITS), default="g")
    is_active = BooleanField("Active ingredient")
    salt_factor = AmountField("Salt factor", validators=[Optional()])


class QualityCheckForm(Form):
    kind = SelectField(
        "Check", choices=choices([("", "— none —")] + list(QUALITY_CHECK_KINDS)), default=""
    )
    name = StringField("Name", validators=[Optional(), Length(max=120)])
    expected = StringField("Expected", validators=[Optional(), Length(max=300)])
    minimum = AmountField("Low", validators=[Optional()], allow_zero=True)
    maximum = AmountField("High", validators=[Optional()], allow_zero=True)
    tolerance_percent = AmountField("± %", validators=[Optional()])


class FormulaForm(FlaskForm):
    name = StringField(
        "Name", validators=[DataRequired(message="Name the preparation."), Length(max=120)]
    )
    strength = StringField("Strength", validators=[Optional(), Length(max=60)])
    dosage_form = StringField(
        "Dosage form",
        validators=[DataRequired(message="Give the dosage form, e.g. cream."), Length(max=60)],
    )
    route = SelectField("Route", choices=choices(ROUTES), default="topical")
    basis_quantity = AmountField(
        "The formula makes",
        validators=[InputRequired(message="Say how much the formula makes, e.g. 100.")],
    )
    basis_unit = SelectField("Unit", choices=choices(BASIS_UNITS), default="g")
    preparation_type = SelectField(
        "Preparation type (for the BUD)", choices=choices(PREPARATION_TYPES), default="aqueous"
    )
    preserved = BooleanField("Contains an antimicrobial preservative")
    confirm_nonaqueous = BooleanField(
        "It is made without water (anhydrous): keep it nonaqueous", default=False
    )
    container = StringField("Container-closure", validators=[Optional(), Length(max=200)])
    equipment = TextAreaField("Equipment", validators=[Optional(), Length(max=4000)])
    method = TextAreaField("Method of preparation", validators=[Optional(), Length(max=20000)])
    description = TextAreaField(
        "Description of the finished preparation", validators=[Optional(), Length(max=2000)]
    )
    storage = StringField("Storage", validators=[Optional(), Length(max=200)])
    auxiliary_labels = TextAreaField("Auxiliary labels", validators=[Optional(), Length(max=2000)])
    stability_days = BoundedIntegerField(
        "Stability-supported BUD (days)",
        validators=[
            Optional(),
            NumberRange(
                min=1,
                max=MAX_STABILITY_DAYS,
                message=f"USP <795> allows 1 to {MAX_STABILITY_DAYS} days, even with a study.",
            ),
        ],
    )
    bud_reference = StringField("Reference for the BUD", validators=[Optional(), Length(max=300)])
    weighing_tolerance_percent = AmountField(
        "Weighing tolerance (± %)",
        validators=[InputRequired(message="Give the weighing tolerance, e.g. 5.")],
    )
    notes = TextAreaField("Notes", validators=[Optional(), Length(max=4000)])
    lines = FieldList(FormField(FormulaLineForm), min_entries=4, max_entries=40)
    checks = FieldList(FormField(QualityCheckForm), min_entries=3, max_entries=20)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.set_component_choices()

    def set_component_choices(self):
        options = component_choices()
        for entry in self.lines:
            entry.form.component.choices = options

    def validate_weighing_tolerance_percent(self, field):
        if field.data is not None and not Decimal("0.1") <= field.data <= Decimal(20):
            raise ValidationError("Between 0.1% and 20%.")

    def validate(self, extra_validators=None):
        ok = super().validate(extra_validators)
        ok = self._check_stability() and ok
        ok = self._check_preparation_type() and ok
        ok = all([self._check_line(entry.form) for entry in self.lines]) and ok
        ok = all([self._check_quality(entry.form) for entry in self.checks]) and ok
        return ok

    def _check_preparation_type(self) -> bool:
        """A cream, gel, emulsion, solution or suspension classed nonaqueous is queried."""
        warning = preparation_type_warning(
            self.dosage_form.data or "", self.preparation_type.data or ""
        )
        if warning and not self.confirm_nonaqueous.data:
            self.preparation_type.errors.append(warning)
            return False
        return True

    def _check_stability(self) -> bool:
        days, reference = self.stability_days.data, (self.bud_reference.data or "").strip()
        if days is not None and not reference:
            self.bud_reference.errors.append("Cite the stability study that supports the BUD.")
            return False
        if days is None and reference and not self.stability_days.errors:
            self.stability_days.errors.append(
                "Give the days the study supports, or clear the reference."
            )
            return False
        return True

    def _check_line(self, line) -> bool:
        chosen, amount = line.component.data, line.amount.data
        if not chosen and amount is None:
            return True
        if not chosen:
            line.component.errors.append("Choose the ingredient.")
            return False
        item = find_component(chosen)
        if item is None:
            line.component.errors.append("That ingredient is not in the catalog.")
            return False
        ok = True
        if amount is None and not line.amount.errors:
            line.amount.errors.append("Enter the amount.")
            ok = False
        if not unit_fits_stock(line.unit.data, item.stock_unit):
            line.unit.errors.append(
                f"Stocked in {item.stock_unit}: measure it in a unit of that kind."
            )
            ok = False
        factor = line.salt_factor.data
        if factor is not None and factor < 1:
            line.salt_factor.errors.append("A salt factor is 1 or more (MW salt ÷ MW base).")
            ok = False
        return ok

    def _check_quality(self, check) -> bool:
        kind = check.kind.data
        if not kind:
            return True
        if kind not in QUALITY_CHECK_LABELS:  # a tampered or stale form
            check.kind.errors[:] = ["Choose a check from the list."]
            return False
        if not (check.name.data or "").strip():
            check.name.data = QUALITY_CHECK_LABELS[kind].split(" within")[0]
        if kind == "ph":
            low, high = check.minimum.data, check.maximum.data
            if low is None or high is None:
                check.minimum.errors.append("Give the low and the high pH.")
                return False
            if not (0 <= low <= high <= 14):
                check.minimum.errors.append("pH runs 0 to 14, low no higher than high.")
                return False
        if kind in ("appearance", "other") and not (check.expected.data or "").strip():
            check.expected.errors.append("Say what is expected.")
            return False
        return True
