"""Catalog and inventory: ingredients, products (by 11-digit NDC) and their active
ingredients, lots (of exactly one product or ingredient; unique lot number per item) and
stock movements.

Stock quantities (reorder points, package sizes, lot quantities, movement deltas) are
BIGINT ten-thousandths (portal.catalog.models.QuantityField), so sums are exact on SQLite.
Models here are frozen copies; Python-side defaults (timestamps) live in the app.
"""

import decimal

from peewee import *


def up(migrator, db):
    class User(Model):
        class Meta:
            database = db
            table_name = "user"

    class Ingredient(Model):
        name = CharField(unique=True, max_length=120)
        allergen_classes = CharField(max_length=250, default="")
        potency = DecimalField(max_digits=7, decimal_places=4, default=decimal.Decimal("1"))
        salt_factor = DecimalField(null=True, max_digits=7, decimal_places=4)
        unit = CharField(max_length=8, default="g")
        cost_per_unit = DecimalField(null=True, max_digits=12, decimal_places=4)
        bulk_ndc = CharField(index=True, null=True, max_length=13)
        schedule = CharField(null=True, max_length=1)
        reorder_point = BigIntegerField(default=0)
        active = BooleanField(default=True)
        created_at = DateTimeField()
        updated_at = DateTimeField()

        class Meta:
            database = db
            table_name = "ingredient"

    db.create_tables([Ingredient])

    class Product(Model):
        ndc = CharField(unique=True, max_length=13)
        name = CharField(max_length=120)
        generic_name = CharField(max_length=200, default="")
        strength = CharField(max_length=60, default="")
        dosage_form = CharField(max_length=60)
        package_size = BigIntegerField()
        package_unit = CharField(max_length=8, default="each")
        manufacturer = CharField(max_length=120, default="")
        acquisition_cost = DecimalField(null=True, max_digits=12, decimal_places=2)
        schedule = CharField(null=True, max_length=1)
        reorder_point = BigIntegerField(default=0)
        active = BooleanField(default=True)
        created_at = DateTimeField()
        updated_at = DateTimeField()

        class Meta:
            database = db
            table_name = "product"
            indexes = ((("name",), False),)

    db.create_tables([Product])

    class Lot(Model):
        product = ForeignKeyField(Product, null=True)
        ingredient = ForeignKeyField(Ingredient, null=True)
        lot_number = CharField(max_length=40)
        supplier = CharField(max_length=120, default="")
        expires_on = DateField(index=True)
        received_on = DateField()
        unit = CharField(max_length=8)
        quantity_on_hand = BigIntegerField(default=0)
        notes = TextField(default="")
        created_at = DateTimeField()

        class Meta:
            database = db
            table_name = "lot"
            constraints = [
                Check("(product_id IS NULL) <> (ingredient_id IS NULL)", name="lot_one_item")
            ]
            indexes = ((("product", "lot_number"), True), (("ingredient", "lot_number"), True))

    db.create_tables([Lot])

    class ProductIngredient(Model):
        product = ForeignKeyField(Product, on_delete="CASCADE")
        ingredient = ForeignKeyField(Ingredient)
        strength = CharField(max_length=60, default="")

        class Meta:
            database = db
            table_name = "product_ingredient"
            indexes = ((("product", "ingredient"), True),)

    db.create_tables([ProductIngredient])

    class StockMovement(Model):
        lot = ForeignKeyField(Lot)
        delta = BigIntegerField()
        reason = CharField(max_length=12)
        note = TextField(default="")
        user = ForeignKeyField(User, null=True)
        at = DateTimeField(index=True)
        balance_after = BigIntegerField()
        override = BooleanField(default=False)
        fill_id = IntegerField(index=True, null=True)
        compounding_record_id = IntegerField(index=True, null=True)

        class Meta:
            database = db
            table_name = "stock_movement"

    db.create_tables([StockMovement])


def down(migrator, db):
    migrator.migrate(migrator.drop_table("stock_movement"))
    migrator.migrate(migrator.drop_table("product_ingredient"))
    migrator.migrate(migrator.drop_table("lot"))
    migrator.migrate(migrator.drop_table("product"))
    migrator.migrate(migrator.drop_table("ingredient"))
