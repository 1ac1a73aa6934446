"""Product, ingredient and import forms: a message per field, nothing saved when something
is wrong, numbers as Decimal. Stock forms are in stock/forms.py."""

from decimal import Decimal

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

SCHEDULE_CHOICES = choices([("", "Not controlled")] + list(stock_rules.SCHEDULES))
UNIT_CHOICES = choices(stock_rules.UNITS)


class ProductForm(ReasonForChange, FlaskForm):
    ndc = ndc_field("NDC", required=True)
    name = text_field("Name as labelled", 120, required=True, message="Enter the product name.")
    generic_name = text_field("Generic name", 200)
    strength = text_field("Strength", 60)
    dosage_form = text_field(
        "Dosage form", 60, required=True, message="Enter the dosage form, e.g. tablet."
    )
    package_size = NumberText("Package size", required=True, above_zero=True)
    package_unit = SelectField("Package unit", choices=UNIT_CHOICES, default="each")
    schedule = SelectField("DEA schedule", choices=SCHEDULE_CHOICES, default="")
    manufacturer = text_field("Manufacturer", 120)
    acquisition_cost = NumberText(
        "Acquisition cost per package", minimum=0, places=2, maximum=Decimal("9999999")
    )
    reorder_point = NumberText("Reorder point", minimum=0, what="reorder point")
    active_ingredients = TextAreaField(
        "Active ingredients",
        validators=[Optional(), Length(max=2000, message="At most 2000 characters."), plain_text],
        filters=(strip,),
    )
    active = BooleanField("Active (can be chosen on new prescriptions)", default=True)

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
            raise ValidationError(f"NDC {ndc} is already on file for {other.description}.")

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
                raise ValidationError(f"“{line[:40]}” is too long for an ingredient and strength.")
            self.ingredient_lines.append((name, strength))
        names = [name.lower() for name, _ in self.ingredient_lines]
        if len(set(names)) != len(names):
            raise ValidationError("An ingredient is listed twice.")

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
    name = text_field("Name", 120, required=True, message="Enter the ingredient's name.")
    schedule = SelectField("DEA schedule", choices=SCHEDULE_CHOICES, default="")
    allergen_classes = text_field("Allergen classes", 250)
    potency = NumberText(
        "Potency / purity factor",
        required=True,
        above_zero=True,
        maximum=Decimal("1.5"),
        what="potency factor",
    )
    salt_factor = NumberText(
        "Salt-to-base factor", above_zero=True, maximum=Decimal(10), what="salt-to-base factor"
    )
    unit = SelectField("Stock unit", choices=UNIT_CHOICES, default="g")
    cost_per_unit = NumberText(
        "Cost per unit", minimum=0, maximum=Decimal("99999999"), what="cost per unit"
    )
    reorder_point = NumberText("Reorder point", minimum=0, what="reorder point")
    bulk_ndc = ndc_field("NDC of the bulk package", required=False)
    active = BooleanField("Active (can be used in formulas)", default=True)

    def __init__(self, *args, ingredient: Ingredient | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.ingredient = ingredient

    def validate_name(self, field):
        other = Ingredient.by_name(field.data or "")
        if other is not None and (self.ingredient is None or other.id != self.ingredient.id):
            raise ValidationError(f"{other.name} is already on file.")

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
    file = FileField("CSV or FDA product file")
    package_file = FileField("FDA package file (package.txt), if importing FDA products")


class ImportConfirmForm(ReasonForChange, FlaskForm):
    """Confirming an import; one that changes safety facts needs a reason and a pharmacist."""
