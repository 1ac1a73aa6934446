"""Product, ingredient and import forms: a message per field, nothing saved when something
is wrong, numbers as Decimal. Stock forms are in stock/forms.py."""

from decimal import Decimal

from flask_babel import gettext as _
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import BooleanField, SelectField, TextAreaField
from wtforms.validators import Length, Optional, ValidationError

from portal.catalog.fields import NumberText, check_ndc, ndc_field, text_field
from portal.catalog.models import Ingredient, Product
from portal.catalog.safety import ReasonForChange
from portal.catalog.stock import rules as stock_rules
from portal.foundation.digits import is_digits
from portal.foundation.forms import choices, plain_text, strip
from portal.foundation.i18n import lazy_gettext as _l

SCHEDULE_CHOICES = choices([("", _l("Not controlled"))] + list(stock_rules.SCHEDULES))
UNIT_CHOICES = choices(stock_rules.UNITS)


class ProductForm(ReasonForChange, FlaskForm):
    ndc = ndc_field("NDC", required=True)
    name = text_field(
        _l("Name as labelled"), 120, required=True, message=_l("Enter the product name.")
    )
    generic_name = text_field(_l("Generic name"), 200)
    strength = text_field(_l("Strength"), 60)
    dosage_form = text_field(
        _l("Dosage form"), 60, required=True, message=_l("Enter the dosage form, e.g. tablet.")
    )
    package_size = NumberText(_l("Package size"), required=True, above_zero=True)
    package_unit = SelectField(_l("Package unit"), choices=UNIT_CHOICES, default="each")
    schedule = SelectField(_l("DEA schedule"), choices=SCHEDULE_CHOICES, default="")
    manufacturer = text_field(_l("Manufacturer"), 120)
    acquisition_cost = NumberText(
        _l("Acquisition cost per package"), minimum=0, places=2, maximum=Decimal("9999999")
    )
    reorder_point = NumberText(_l("Reorder point"), minimum=0, what=_l("reorder point"))
    active_ingredients = TextAreaField(
        _l("Active ingredients"),
        validators=[
            Optional(),
            Length(max=2000, message=_l("At most 2000 characters.")),
            plain_text,
        ],
        filters=(strip,),
    )
    active = BooleanField(_l("Active (can be chosen on new prescriptions)"), default=True)

    def __init__(self, *args, product: Product | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.product = product
        self.ingredient_lines: list[tuple[str, str]] = []
        if product is not None and not self.is_submitted():
            self.active_ingredients.data = "\n".join(
                f"{link.ingredient.name}, {link.strength}"
                if link.strength
                else link.ingredient.name
                for link in product.ingredient_links()
            )

    def validate_ndc(self, field):
        ndc = check_ndc(field)
        others = Product.select().where(Product.ndc == ndc)
        if self.product is not None:
            others = others.where(Product.id != self.product.id)
        if other := others.first():
            raise ValidationError(
                _(
                    "NDC %(ndc)s is already on file for %(description)s.",
                    ndc=ndc,
                    description=other.description,
                )
            )

    def validate_active_ingredients(self, field):
        self.ingredient_lines = []
        for line in (field.data or "").splitlines():
            line = line.strip()
            if not line:
                continue
            name, strength = line, ""
            head, comma, tail = line.rpartition(",")
            if comma and is_digits(tail.strip()[:1]):
                name, strength = head.strip(), tail.strip()
            if len(name) > 120 or len(strength) > 60:
                raise ValidationError(
                    _("“%(line)s” is too long for an ingredient and strength.", line=line[:40])
                )
            self.ingredient_lines.append((name, strength))
        names = [name.lower() for name, _strength in self.ingredient_lines]
        if len(set(names)) != len(names):
            raise ValidationError(_("An ingredient is listed twice."))

    def values(self) -> dict:
        data = {
            name: getattr(self, name).data or ""
            for name in ("ndc", "name", "generic_name", "strength", "dosage_form", "manufacturer")
        }
        data["package_size"] = self.package_size.value
        data["package_unit"] = self.package_unit.data
        data["schedule"] = self.schedule.data or None
        data["acquisition_cost"] = self.acquisition_cost.value
        data["reorder_point"] = self.reorder_point.value or Decimal(0)
        data["active"] = bool(self.active.data) if self.product is not None else True
        return data


class IngredientForm(ReasonForChange, FlaskForm):
    name = text_field(_l("Name"), 120, required=True, message=_l("Enter the ingredient's name."))
    schedule = SelectField(_l("DEA schedule"), choices=SCHEDULE_CHOICES, default="")
    allergen_classes = text_field(_l("Allergen classes"), 250)
    potency = NumberText(
        _l("Potency / purity factor"),
        required=True,
        above_zero=True,
        maximum=Decimal("1.5"),
        what=_l("potency factor"),
    )
    salt_factor = NumberText(
        _l("Salt-to-base factor"),
        above_zero=True,
        maximum=Decimal(10),
        what=_l("salt-to-base factor"),
    )
    unit = SelectField(_l("Stock unit"), choices=UNIT_CHOICES, default="g")
    cost_per_unit = NumberText(
        _l("Cost per unit"), minimum=0, maximum=Decimal("99999999"), what=_l("cost per unit")
    )
    reorder_point = NumberText(_l("Reorder point"), minimum=0, what=_l("reorder point"))
    bulk_ndc = ndc_field(_l("NDC of the bulk package"), required=False)
    active = BooleanField(_l("Active (can be used in formulas)"), default=True)

    def __init__(self, *args, ingredient: Ingredient | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.ingredient = ingredient

    def validate_name(self, field):
        other = Ingredient.by_name(field.data or "")
        if other is not None and (self.ingredient is None or other.id != self.ingredient.id):
            raise ValidationError(_("%(name)s is already on file.", name=other.name))

    def validate_bulk_ndc(self, field):
        check_ndc(field)

    def values(self) -> dict:
        return {
            "name": self.name.data,
            "schedule": self.schedule.data or None,
            "allergen_classes": stock_rules.allergen_classes_text(
                stock_rules.parse_allergen_classes(self.allergen_classes.data)
            ),
            "potency": self.potency.value,
            "salt_factor": self.salt_factor.value,
            "unit": self.unit.data,
            "cost_per_unit": self.cost_per_unit.value,
            "reorder_point": self.reorder_point.value or Decimal(0),
            "bulk_ndc": self.bulk_ndc.data or None,
            "active": bool(self.active.data) if self.ingredient is not None else True,
        }


class ImportForm(FlaskForm):
    file = FileField(_l("CSV or FDA product file"))
    package_file = FileField(_l("FDA package file (package.txt), if importing FDA products"))


class ImportConfirmForm(ReasonForChange, FlaskForm):
    """Confirming an import; one that changes safety facts needs a reason and a pharmacist."""
