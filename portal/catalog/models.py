"""The catalog: manufactured products (by NDC), compounding ingredients, and which
ingredients each product contains. Lots and stock movements are in stock/models.py.

Why products link to Ingredient rows (ProductIngredient) rather than carry their own
"active ingredients" text: an ingredient's allergen classes and schedule are then written
once, and the allergy check reads the same facts whether the patient gets a manufactured
sulfamethoxazole tablet or a compound made from sulfamethoxazole powder.
"""

from datetime import date
from decimal import ROUND_HALF_EVEN, Decimal

from peewee import (
    JOIN,
    BigIntegerField,
    BooleanField,
    CharField,
    DateTimeField,
    DecimalField,
    ForeignKeyField,
    fn,
)

from portal.catalog.stock.rules import QUANTITY_PLACES, parse_allergen_classes, schedule_label
from portal.foundation.dates import utcnow
from portal.foundation.db import BaseModel
from portal.foundation.digits import is_digits


class QuantityField(BigIntegerField):
    """A stock quantity: a Decimal with four places, stored as whole ten-thousandths.

    Integers, not DECIMAL: SQLite keeps DECIMAL columns as binary floats, so SQL sums and
    "quantity - 0.2 >= 0" guards would drift by 1e-17. Four places suit a balance in grams.
    """

    SCALE = Decimal(10000)

    def db_value(self, value):
        if value is None:
            return None
        if isinstance(value, float):
            value = str(value)
        return int((Decimal(value) * self.SCALE).to_integral_value(ROUND_HALF_EVEN))

    def python_value(self, value):
        return from_stored_quantity(value)


def from_stored_quantity(value) -> Decimal | None:
    """A raw stored quantity (e.g. a SUM over a QuantityField) back to a Decimal."""
    if value is None:
        return None
    return (Decimal(int(value)) / QuantityField.SCALE).quantize(QUANTITY_PLACES)


class CatalogItem:
    """What products and ingredients share (a mixin: each model declares its own columns,
    schedule, reorder_point, active, created_at, updated_at)."""

    def save(self, *args, **kwargs):
        self.updated_at = utcnow()
        return super().save(*args, **kwargs)

    @property
    def schedule_label(self) -> str:
        return schedule_label(self.schedule)

    def on_hand(self, on_date: date | None = None) -> Decimal:
        """Quantity on hand across lots; with a date, unexpired lots only."""
        lots = self.lots.model  # the backref: stock/models.py builds on this module
        query = lots.select(fn.SUM(lots.quantity_on_hand).coerce(False)).where(
            lots.item_condition(self)
        )
        if on_date is not None:
            query = query.where(lots.expires_on >= on_date)
        return from_stored_quantity(query.scalar() or 0)


class Ingredient(CatalogItem, BaseModel):
    """A bulk chemical or excipient used in compounding, or an active substance of a product."""

    name = CharField(max_length=120, unique=True)
    # Stored as "NSAIDs, parabens" (stock_rules.allergen_classes_text);
    # read as a tuple with .allergen_class_tuple.
    allergen_classes = CharField(max_length=250, default="")
    # Purity/potency from the certificate of analysis (0.98 = 98 %), and the salt-to-base
    # factor when the formula is written as the base (e.g. 1.12 for a hydrochloride).
    potency = DecimalField(max_digits=7, decimal_places=4, default=Decimal(1))
    salt_factor = DecimalField(max_digits=7, decimal_places=4, null=True)
    unit = CharField(max_length=8, default="g")  # stock_rules.UNITS
    # Per g / mL / each: four places, because bulk powders cost fractions of a cent per gram.
    cost_per_unit = DecimalField(max_digits=12, decimal_places=4, null=True)
    bulk_ndc = CharField(max_length=13, null=True, index=True)  # NNNNN-NNNN-NN of the bulk package
    schedule = CharField(max_length=1, null=True)  # stock_rules.SCHEDULES; None: not controlled
    reorder_point = QuantityField(default=0)  # in the stock unit; 0: never reorder
    active = BooleanField(default=True)
    created_at = DateTimeField(default=utcnow)
    updated_at = DateTimeField(default=utcnow)

    class Meta:
        table_name = "ingredient"

    @property
    def allergen_class_tuple(self) -> tuple[str, ...]:
        return parse_allergen_classes(self.allergen_classes)

    @property
    def stock_unit(self) -> str:
        return self.unit

    @property
    def kind(self) -> str:
        return "ingredient"

    @classmethod
    def by_name(cls, name: str):
        """The ingredient with this name, ignoring case and surrounding spaces."""
        return cls.get_or_none(fn.LOWER(cls.name) == (name or "").strip().lower())

    @classmethod
    def listing(cls, text: str = "", include_inactive: bool = False):
        query = cls.select()
        if not include_inactive:
            query = query.where(cls.active == True)  # noqa: E712
        if text.strip():
            query = query.where(cls.name.contains(text.strip()))
        return query.order_by(cls.name)

    def __str__(self) -> str:
        return self.name


class Product(CatalogItem, BaseModel):
    """A manufactured drug package, known by its NDC (stored in the 11-digit billing form)."""

    ndc = CharField(max_length=13, unique=True)  # NNNNN-NNNN-NN (rules.normalize_ndc)
    name = CharField(max_length=120)  # as labelled: "Oxycodone Hydrochloride" or a brand
    generic_name = CharField(max_length=200, default="")  # nonproprietary name
    strength = CharField(max_length=60, default="")  # "5 mg", "250 mg/5 mL"
    dosage_form = CharField(max_length=60)  # "tablet", "oral suspension"
    package_size = QuantityField()  # in package_unit: 100 (each), 473 (mL)
    package_unit = CharField(max_length=8, default="each")  # stock_rules.UNITS
    manufacturer = CharField(max_length=120, default="")
    acquisition_cost = DecimalField(max_digits=12, decimal_places=2, null=True)  # per package
    schedule = CharField(max_length=1, null=True)  # stock_rules.SCHEDULES; None: not controlled
    reorder_point = QuantityField(default=0)  # in the stock unit; 0: never reorder
    active = BooleanField(default=True)
    created_at = DateTimeField(default=utcnow)
    updated_at = DateTimeField(default=utcnow)

    class Meta:
        table_name = "product"
        indexes = ((("name",), False),)

    @property
    def stock_unit(self) -> str:
        return self.package_unit

    @property
    def kind(self) -> str:
        return "product"

    @property
    def description(self) -> str:
        """Name, strength and form: "Oxycodone Hydrochloride 5 mg tablet"."""
        return " ".join(p for p in (self.name, self.strength, self.dosage_form) if p)

    @property
    def cost_per_unit(self) -> Decimal | None:
        if self.acquisition_cost is None or not self.package_size:
            return None
        return self.acquisition_cost / self.package_size

    def active_ingredients(self) -> list[Ingredient]:
        """The product's active ingredients (with their allergen classes and schedules)."""
        return [link.ingredient for link in self.ingredient_links()]

    def ingredients_text(self) -> str:
        """ "Acetaminophen 325 mg; Hydrocodone Bitartrate 5 mg": for lists and the audit trail."""
        return ingredients_text(
            (link.ingredient, link.strength) for link in self.ingredient_links()
        )

    def set_ingredients(
        self,
        pairs: list[tuple[str, str]],
        *,
        user=None,
        known: dict[str, Ingredient] | None = None,
        new_product: bool = False,
    ) -> list[Ingredient]:
        """Link the product to its active ingredients, given as (name, strength) pairs.

        Names are matched to ingredients on file ignoring case (``known``, lower-case name
        -> Ingredient, saves a query per name in a long import); a name not on file becomes
        a new ingredient (with the product's schedule when it is the only one), returned so
        the caller can ask for its allergen classes. Call inside a write transaction. A
        change is audited as an update of the product, except for a ``new_product``, whose
        create event should carry ``ingredients_text()`` instead.
        """
        from portal.audit import log as audit

        before = "" if new_product else self.ingredients_text()
        created: list[Ingredient] = []
        links: list[tuple[Ingredient, str]] = []
        for name, strength in pairs:
            key = name.strip().lower()
            ingredient = known.get(key) if known is not None else Ingredient.by_name(name)
            if ingredient is None:
                schedule = self.schedule if len(pairs) == 1 else None
                ingredient = Ingredient.create(name=name.strip(), schedule=schedule, unit="g")
                audit.record(
                    "create",
                    "ingredient",
                    ingredient.id,
                    after=audit.snapshot(ingredient),
                    user=user,
                )
                created.append(ingredient)
                if known is not None:
                    known[key] = ingredient
            links.append((ingredient, strength.strip()))
        if not new_product:
            ProductIngredient.delete().where(ProductIngredient.product == self).execute()
        if links:
            ProductIngredient.insert_many(
                [{"product": self.id, "ingredient": i.id, "strength": s} for i, s in links]
            ).execute()
        after = ingredients_text(links)
        if not new_product and after != before:
            audit.record(
                "update",
                "product",
                self.id,
                before={"active_ingredients": before},
                after={"active_ingredients": after},
                user=user,
            )
        return created

    def ingredient_links(self):
        return (
            ProductIngredient.select(ProductIngredient, Ingredient)
            .join(Ingredient)
            .where(ProductIngredient.product == self)
            .order_by(Ingredient.name)
        )

    @classmethod
    def listing(cls, text: str = "", include_inactive: bool = False):
        """Products by name, generic name or NDC digits typed in any shape."""
        query = cls.select()
        if not include_inactive:
            query = query.where(cls.active == True)  # noqa: E712
        text = text.strip()
        if text:
            digits = text.replace("-", "")
            condition = cls.name.contains(text) | cls.generic_name.contains(text)
            if is_digits(digits):
                condition |= fn.REPLACE(cls.ndc, "-", "").contains(digits)
            query = query.where(condition)
        return query.order_by(cls.name, cls.strength)

    @classmethod
    def containing(cls, ingredient: Ingredient):
        """Products with this active ingredient."""
        return (
            cls.select()
            .join(ProductIngredient)
            .where(ProductIngredient.ingredient == ingredient)
            .order_by(cls.name, cls.strength)
        )

    @classmethod
    def ingredient_texts(cls, products) -> dict[int, str]:
        """{product id: ingredients_text()} for many products in one query per 500."""
        ids = [p.id for p in products]
        pairs: dict[int, list] = {}
        for start in range(0, len(ids), 500):
            links = (
                ProductIngredient.select(ProductIngredient, Ingredient)
                .join(Ingredient)
                .where(ProductIngredient.product.in_(ids[start : start + 500]))
            )
            for link in links:
                pairs.setdefault(link.product_id, []).append((link.ingredient, link.strength))
        return {product_id: ingredients_text(found) for product_id, found in pairs.items()}

    @classmethod
    def with_ingredients(cls, products):
        """{product id: [Ingredient, ...]} for many products in one query."""
        ids = [p.id for p in products]
        found: dict[int, list[Ingredient]] = {i: [] for i in ids}
        if not ids:
            return found
        links = (
            ProductIngredient.select(ProductIngredient, Ingredient)
            .join(Ingredient, JOIN.INNER)
            .where(ProductIngredient.product.in_(ids))
            .order_by(Ingredient.name)
        )
        for link in links:
            found[link.product_id].append(link.ingredient)
        return found

    def __str__(self) -> str:
        return self.description


def ingredients_text(pairs) -> str:
    """Ingredient and strength pairs as one line, by name: the same text however it was built."""
    parts = sorted((f"{i.name} {strength}".strip() for i, strength in pairs), key=str.lower)
    return "; ".join(parts)


class ProductIngredient(BaseModel):
    """One active ingredient of a product, with its strength as labelled."""

    product = ForeignKeyField(Product, backref="ingredients", on_delete="CASCADE")
    ingredient = ForeignKeyField(Ingredient, backref="products")
    strength = CharField(max_length=60, default="")

    class Meta:
        table_name = "product_ingredient"
        indexes = ((("product", "ingredient"), True),)


def allergen_names() -> list[str]:
    """Ingredient names and their allergen classes, for the allergy form's suggestions."""
    names = []
    for row in Ingredient.select().order_by(Ingredient.name).limit(1000):
        names.append(row.name)
        names.extend(row.allergen_class_tuple)
    return names
