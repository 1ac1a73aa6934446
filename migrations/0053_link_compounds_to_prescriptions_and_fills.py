"""A prescription may name a master formula (a compound) instead of a product, and a
compounding record may belong to the fill it was made for (batches have none).
"""

from peewee import *


def up(migrator, db):
    class Fill(Model):
        class Meta:
            database = db
            table_name = "fill"

    class Formula(Model):
        class Meta:
            database = db
            table_name = "formula"

    migrator.migrate(
        migrator.add_column(
            "prescription",
            "formula_id",
            ForeignKeyField(Formula, field=Formula.id, null=True, on_delete="RESTRICT"),
        )
    )
    migrator.migrate(
        migrator.add_column(
            "compounding_record",
            "fill_id",
            ForeignKeyField(Fill, field=Fill.id, null=True, on_delete="RESTRICT"),
        )
    )


def down(migrator, db):
    migrator.migrate(migrator.drop_index("compounding_record", "compounding_record_fill_id"))
    migrator.migrate(migrator.drop_index("prescription", "prescription_formula_id"))
    migrator.migrate(migrator.drop_column("compounding_record", "fill_id"))
    migrator.migrate(migrator.drop_column("prescription", "formula_id"))
