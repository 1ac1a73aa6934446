"""Master formulation records (in the catalog): versioned formulas, their ingredient lines
(a bulk ingredient or a manufactured product each) and quality checks.

A line names exactly one of ingredient or product (a CHECK constraint, added by hand).
Timestamps default in the app (utcnow); the frozen models leave that out.
"""

import decimal

from peewee import *


def up(migrator, db):
    class Ingredient(Model):
        class Meta:
            database = db
            table_name = "ingredient"

    class Product(Model):
        class Meta:
            database = db
            table_name = "product"

    class User(Model):
        class Meta:
            database = db
            table_name = "user"

    class Formula(Model):
        family_id = IntegerField(index=True, null=True)
        version = IntegerField(default=1)
        status = CharField(index=True, max_length=10, default="draft")
        name = CharField(max_length=120)
        strength = CharField(max_length=60, default="")
        dosage_form = CharField(max_length=60)
        route = CharField(max_length=20)
        basis_quantity = DecimalField(max_digits=14, decimal_places=4)
        basis_unit = CharField(max_length=8)
        preparation_type = CharField(max_length=30)
        preserved = BooleanField(default=False)
        container = CharField(max_length=200, default="")
        equipment = TextField(default="")
        method = TextField(default="")
        description = TextField(default="")
        storage = CharField(max_length=200, default="")
        auxiliary_labels = TextField(default="")
        stability_days = IntegerField(null=True)
        bud_reference = CharField(max_length=300, default="")
        notes = TextField(default="")
        weighing_tolerance_percent = DecimalField(
            max_digits=5, decimal_places=2, default=decimal.Decimal("5")
        )
        created_by = ForeignKeyField(User, null=True, on_delete="RESTRICT")
        created_at = DateTimeField()
        updated_at = DateTimeField()
        approved_by = ForeignKeyField(User, null=True, on_delete="RESTRICT")
        approved_at = DateTimeField(null=True)
        retired_at = DateTimeField(null=True)

        class Meta:
            database = db
            table_name = "formula"
            indexes = ((("family_id", "version"), True),)

    db.create_tables([Formula])

    class FormulaIngredient(Model):
        formula = ForeignKeyField(Formula, on_delete="CASCADE")
        position = IntegerField(default=0)
        ingredient = ForeignKeyField(Ingredient, null=True)
        product = ForeignKeyField(Product, null=True)
        amount = DecimalField(max_digits=14, decimal_places=6)
        unit = CharField(max_length=8)
        is_active = BooleanField(default=False)
        salt_factor = DecimalField(null=True, max_digits=7, decimal_places=4)

        class Meta:
            database = db
            table_name = "formula_ingredient"
            constraints = [
                Check(
                    "(ingredient_id IS NULL) <> (product_id IS NULL)",
                    name="formula_ingredient_one_item",
                )
            ]

    db.create_tables([FormulaIngredient])

    class FormulaQualityCheck(Model):
        formula = ForeignKeyField(Formula, on_delete="CASCADE")
        position = IntegerField(default=0)
        kind = CharField(max_length=20)
        name = CharField(max_length=120)
        expected = CharField(max_length=300, default="")
        minimum = DecimalField(null=True, decimal_places=3)
        maximum = DecimalField(null=True, decimal_places=3)
        tolerance_percent = DecimalField(null=True, max_digits=5, decimal_places=2)

        class Meta:
            database = db
            table_name = "formula_quality_check"

    db.create_tables([FormulaQualityCheck])


def down(migrator, db):
    migrator.migrate(migrator.drop_table("formula_quality_check"))
    migrator.migrate(migrator.drop_table("formula_ingredient"))
    migrator.migrate(migrator.drop_table("formula"))
