"""The master formula form: the record's fields, its ingredient lines and quality checks."""

from decimal import Decimal

from flask_babel import gettext as _
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
from portal.foundation.forms import BoundedIntegerField, choices, word_choices
from portal.foundation.i18n import N_
from portal.foundation.i18n import lazy_gettext as _l


def component_choices():
    """Active ingredients and products for a line's select, grouped, as "i:<id>"/"p:<id>"."""
    from wtforms.fields.choices import SelectChoice

    options = [SelectChoice("", "— choose —")]
    options += [
        SelectChoice(f"i:{item.id}", f"{item.name} ({item.unit})", optgroup=_("Bulk ingredients"))
        for item in Ingredient.listing()
    ]
    options += [
        SelectChoice(
            f"p:{item.id}",
            _(
                "%(description)s — NDC %(ndc)s (%(package_unit)s)",
                description=item.description,
                ndc=item.ndc,
                package_unit=item.package_unit,
            ),
            optgroup=_("Manufactured products"),
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
    component = SelectField(_l("Ingredient or product"), validate_choice=False)
    amount = AmountField(_l("Amount per batch basis"), validators=[Optional()])
    unit = SelectField(_l("Unit"), choices=choices(LINE_UNITS), default="g")
    is_active = BooleanField(_l("Active ingredient"))
    salt_factor = AmountField(_l("Salt factor"), validators=[Optional()])


class QualityCheckForm(Form):
    kind = SelectField(
        _l("Check"),
        choices=word_choices([("", N_("— none —")), *QUALITY_CHECK_KINDS]),
        default="",
    )
    name = StringField(_l("Name"), validators=[Optional(), Length(max=120)])
    expected = StringField(_l("Expected"), validators=[Optional(), Length(max=300)])
    minimum = AmountField(_l("Low"), validators=[Optional()], allow_zero=True)
    maximum = AmountField(_l("High"), validators=[Optional()], allow_zero=True)
    tolerance_percent = AmountField("± %", validators=[Optional()])


class FormulaForm(FlaskForm):
    name = StringField(
        _l("Name"), validators=[DataRequired(message=_l("Name the preparation.")), Length(max=120)]
    )
    strength = StringField(_l("Strength"), validators=[Optional(), Length(max=60)])
    dosage_form = StringField(
        _l("Dosage form"),
        validators=[DataRequired(message=_l("Give the dosage form, e.g. cream.")), Length(max=60)],
    )
    route = SelectField(_l("Route"), choices=choices(ROUTES), default="topical")
    basis_quantity = AmountField(
        _l("The formula makes"),
        validators=[InputRequired(message=_l("Say how much the formula makes, e.g. 100."))],
    )
    basis_unit = SelectField(_l("Unit"), choices=word_choices(BASIS_UNITS), default="g")
    preparation_type = SelectField(
        _l("Preparation type (for the BUD)"),
        choices=word_choices(PREPARATION_TYPES),
        default="aqueous",
    )
    preserved = BooleanField(_l("Contains an antimicrobial preservative"))
    confirm_nonaqueous = BooleanField(
        _l("It is made without water (anhydrous): keep it nonaqueous"), default=False
    )
    container = StringField("Container-closure", validators=[Optional(), Length(max=200)])
    equipment = TextAreaField(_l("Equipment"), validators=[Optional(), Length(max=4000)])
    method = TextAreaField(_l("Method of preparation"), validators=[Optional(), Length(max=20000)])
    description = TextAreaField(
        _l("Description of the finished preparation"), validators=[Optional(), Length(max=2000)]
    )
    storage = StringField(_l("Storage"), validators=[Optional(), Length(max=200)])
    auxiliary_labels = TextAreaField(
        _l("Auxiliary labels"), validators=[Optional(), Length(max=2000)]
    )
    stability_days = BoundedIntegerField(
        _l("Stability-supported BUD (days)"),
        validators=[
            Optional(),
            NumberRange(
                min=1,
                max=MAX_STABILITY_DAYS,
                message=_l("USP <795> allows 1 to %(max)s days, even with a study."),
            ),
        ],
    )
    bud_reference = StringField(
        _l("Reference for the BUD"), validators=[Optional(), Length(max=300)]
    )
    weighing_tolerance_percent = AmountField(
        _l("Weighing tolerance (± %)"),
        validators=[InputRequired(message=_l("Give the weighing tolerance, e.g. 5."))],
    )
    notes = TextAreaField(_l("Notes"), validators=[Optional(), Length(max=4000)])
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
            raise ValidationError(_("Between 0.1% and 20%."))

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
            self.bud_reference.errors.append(_("Cite the stability study that supports the BUD."))
            return False
        if days is None and reference and not self.stability_days.errors:
            self.stability_days.errors.append(
                _("Give the days the study supports, or clear the reference.")
            )
            return False
        return True

    def _check_line(self, line) -> bool:
        chosen, amount = line.component.data, line.amount.data
        if not chosen and amount is None:
            return True
        if not chosen:
            line.component.errors.append(_("Choose the ingredient."))
            return False
        item = find_component(chosen)
        if item is None:
            line.component.errors.append(_("That ingredient is not in the catalog."))
            return False
        ok = True
        if amount is None and not line.amount.errors:
            line.amount.errors.append(_("Enter the amount."))
            ok = False
        if not unit_fits_stock(line.unit.data, item.stock_unit):
            line.unit.errors.append(
                _(
                    "Stocked in %(stock_unit)s: measure it in a unit of that kind.",
                    stock_unit=item.stock_unit,
                )
            )
            ok = False
        factor = line.salt_factor.data
        if factor is not None and factor < 1:
            line.salt_factor.errors.append(_("A salt factor is 1 or more (MW salt ÷ MW base)."))
            ok = False
        return ok

    def _check_quality(self, check) -> bool:
        kind = check.kind.data
        if not kind:
            return True
        if kind not in QUALITY_CHECK_LABELS:  # a tampered or stale form
            check.kind.errors[:] = [_("Choose a check from the list.")]
            return False
        if not (check.name.data or "").strip():
            check.name.data = QUALITY_CHECK_LABELS[kind].split(" within")[0]
        if kind == "ph":
            low, high = check.minimum.data, check.maximum.data
            if low is None or high is None:
                check.minimum.errors.append(_("Give the low and the high pH."))
                return False
            if not (0 <= low <= high <= 14):
                check.minimum.errors.append(_("pH runs 0 to 14, low no higher than high."))
                return False
        if kind in ("appearance", "other") and not (check.expected.data or "").strip():
            check.expected.errors.append(_("Say what is expected."))
            return False
        return True
