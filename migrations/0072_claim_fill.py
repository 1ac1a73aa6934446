"""Claims: the fill a claim bills (claim.fill_id, nullable for claims recorded without one)."""

from peewee import *


def up(migrator, db):
    class Fill(Model):
        class Meta:
            database = db
            table_name = "fill"

    migrator.migrate(
        migrator.add_column(
            "claim",
            "fill_id",
            ForeignKeyField(Fill, field=Fill.id, null=True, on_delete="RESTRICT"),
        )
    )


def down(migrator, db):
    migrator.migrate(migrator.drop_index("claim", "claim_fill_id"))
    migrator.migrate(migrator.drop_column("claim", "fill_id"))
