"""A prescription the prescriber has stopped: when, by whom (the pharmacist who recorded it)
and why. Existing prescriptions keep their status; none is discontinued."""

from peewee import *


def up(migrator, db):
    class User(Model):
        class Meta:
            database = db
            table_name = "user"

    migrator.migrate(
        migrator.add_column("prescription", "discontinued_at", DateTimeField(null=True)),
        migrator.add_column(
            "prescription",
            "discontinued_by_id",
            ForeignKeyField(User, field=User.id, null=True, on_delete="RESTRICT"),
        ),
        migrator.add_column(
            "prescription", "discontinued_reason", CharField(max_length=1000, default="")
        ),
    )


def down(migrator, db):
    migrator.migrate(
        migrator.drop_index("prescription", "prescription_discontinued_by_id"),
        migrator.drop_column("prescription", "discontinued_reason"),
        migrator.drop_column("prescription", "discontinued_by_id"),
        migrator.drop_column("prescription", "discontinued_at"),
    )
