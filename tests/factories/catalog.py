"""Products, ingredients and lots."""

import itertools
from datetime import date, timedelta
from decimal import Decimal

from portal.catalog.models import Ingredient, Product, ProductIngredient
from portal.catalog.stock.models import Lot

__all__ = ["make_product", "make_ingredient", "make_lot", "make_c2_product"]

_numbers = itertools.count(1)


def make_ingredient(**fields) -> Ingredient:
    number = next(_numbers)
    values = {
        "name": f"Ketoprofen USP {number}",
        "allergen_classes": "",
        "potency": Decimal("0.99"),
        "unit": "g",
        "cost_per_unit": Decimal("1.2500"),
    }
    values.update(fields)
    return Ingredient.create(**values)


def make_product(ingredients=(), **fields) -> Product:
    """A product; ingredients: Ingredient rows (or (ingredient, strength) pairs) it contains."""
    number = next(_numbers)
    values = {
        "ndc": f"{50000 + number:05d}-{number % 10000:04d}-01",
        "name": f"Lisinopril {number}",
        "generic_name": "lisinopril",
        "strength": "10 mg",
        "dosage_form": "tablet",
        "package_size": Decimal(100),
        "package_unit": "each",
        "manufacturer": "Lupin Pharmaceuticals",
        "acquisition_cost": Decimal("4.20"),
    }
    values.update(fields)
    product = Product.create(**values)
    for entry in ingredients:
        ingredient, strength = entry if isinstance(entry, tuple) else (entry, "")
        ProductIngredient.create(product=product, ingredient=ingredient, strength=strength)
    return product


def make_lot(item=None, quantity=Decimal(100), expires_on=None, lot_number=None, **fields) -> Lot:
    """A lot received through Lot.receive (so its stock movement and audit exist)."""
    item = item or make_product()
    return Lot.receive(
        item,
        lot_number=lot_number or f"L{next(_numbers):05d}",
        expires_on=expires_on or date.today() + timedelta(days=365),
        quantity=Decimal(quantity),
        received_on=fields.pop("received_on", date.today()),
        **fields,
    )


def make_c2_product(name: str = "Oxycodone", **fields) -> Product:
    """A Schedule II product: oxycodone, its one active ingredient also Schedule II (one
    ingredient row however many products a test makes)."""
    oxycodone = Ingredient.get_or_none(
        Ingredient.name == "Oxycodone hydrochloride"
    ) or make_ingredient(name="Oxycodone hydrochloride", schedule="2")
    return make_product(ingredients=[oxycodone], name=name, schedule="2", **fields)
