"""Compounding records: each making of a preparation from an approved master formula version
(anticipatory batches now; the link to a fill is added when fills exist), its scaled lines
with the lot used and amount measured, and its quality-check results.

Timestamps default in the app (utcnow); the frozen models leave that out.
"""

from peewee import *
import decimal


def up(migrator, db):
    class Formula(Model):
        class Meta:
            database = db
            table_name = "formula"

    class FormulaIngredient(Model):
        class Meta:
            database = db
            table_name = "formula_ingredient"

    class FormulaQualityCheck(Model):
        class Meta:
            database = db
            table_name = "formula_quality_check"

    class Lot(Model):
        class Meta:
            database = db
            table_name = "lot"

    class User(Model):
        class Meta:
            database = db
            table_name = "user"

    class CompoundingRecord(Model):
        batch_number = CharField(unique=True, null=True, max_length=20)
        formula = ForeignKeyField(Formula, on_delete="RESTRICT")
        quantity = DecimalField(max_digits=14, decimal_places=4)
        unit = CharField(max_length=8)
        status = CharField(index=True, max_length=12, default="in_progress")
        scale_factor = DecimalField(max_digits=16, decimal_places=8)
        scaling_steps = TextField(default="")
        tolerance_percent = DecimalField(max_digits=5, decimal_places=2)
        bud_table = CharField(max_length=10, default="usp2023")
        started_by = ForeignKeyField(User, on_delete="RESTRICT")
        started_at = DateTimeField()
        compounded_by = ForeignKeyField(User, null=True, on_delete="RESTRICT")
        compounded_on = DateField(null=True)
        completed_at = DateTimeField(null=True)
        beyond_use_date = DateField(null=True)
        bud_explanation = TextField(default="")
        storage = CharField(max_length=200, default="")
        approved_by = ForeignKeyField(User, null=True, on_delete="RESTRICT")
        approved_at = DateTimeField(null=True)
        rejected_by = ForeignKeyField(User, null=True, on_delete="RESTRICT")
        rejected_at = DateTimeField(null=True)
        rejection_reason = TextField(default="")
        notes = TextField(default="")

        class Meta:
            database = db
            table_name = "compounding_record"

    db.create_tables([CompoundingRecord])

    class CompoundingLine(Model):
        record = ForeignKeyField(CompoundingRecord, on_delete="CASCADE")
        formula_line = ForeignKeyField(FormulaIngredient, on_delete="RESTRICT")
        position = IntegerField(default=0)
        name = CharField(max_length=200)
        is_active = BooleanField(default=False)
        unit = CharField(max_length=8)
        formula_amount = DecimalField(max_digits=14, decimal_places=6)
        scaled_amount = DecimalField(max_digits=16, decimal_places=6)
        required_amount = DecimalField(max_digits=16, decimal_places=6)
        potency_percent = DecimalField(
            max_digits=7, decimal_places=3, default=decimal.Decimal("100")
        )
        salt_factor = DecimalField(null=True, max_digits=7, decimal_places=4)
        steps = TextField(default="")
        lot = ForeignKeyField(Lot, null=True, on_delete="RESTRICT")
        measured_amount = DecimalField(null=True, max_digits=16, decimal_places=6)
        deviation_percent = DecimalField(null=True, max_digits=12, decimal_places=4)
        flagged = BooleanField(default=False)
        pharmacist_note = TextField(default="")
        noted_by = ForeignKeyField(User, null=True, on_delete="RESTRICT")
        noted_at = DateTimeField(null=True)

        class Meta:
            database = db
            table_name = "compounding_line"

    db.create_tables([CompoundingLine])

    class QualityResult(Model):
        record = ForeignKeyField(CompoundingRecord, on_delete="CASCADE")
        check = ForeignKeyField(FormulaQualityCheck, on_delete="RESTRICT")
        position = IntegerField(default=0)
        measured = DecimalField(null=True, max_digits=14, decimal_places=4)
        observed = CharField(max_length=300, default="")
        passed = BooleanField(null=True)
        recorded_by = ForeignKeyField(User, null=True, on_delete="RESTRICT")
        recorded_at = DateTimeField(null=True)

        class Meta:
            database = db
            table_name = "quality_result"

    db.create_tables([QualityResult])


def down(migrator, db):
    migrator.migrate(migrator.drop_table("quality_result"))
    migrator.migrate(migrator.drop_table("compounding_line"))
    migrator.migrate(migrator.drop_table("compounding_record"))
