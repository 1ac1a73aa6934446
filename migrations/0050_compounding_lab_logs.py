"""Compounding lab logs: cleaning of the compounding area and equipment, balance checks.

Timestamps default in the app (utcnow); the frozen models leave that out.
"""

from peewee import *


def up(migrator, db):
    class User(Model):
        class Meta:
            database = db
            table_name = "user"

    class BalanceCheck(Model):
        balance = CharField(max_length=40)
        standard_weight = DecimalField(max_digits=12, decimal_places=4)
        unit = CharField(max_length=4, default="g")
        reading = DecimalField(max_digits=12, decimal_places=4)
        tolerance_percent = DecimalField(max_digits=6, decimal_places=3)
        deviation_percent = DecimalField(decimal_places=4)
        within_tolerance = BooleanField()
        notes = TextField(default="")
        checked_by = ForeignKeyField(User, on_delete="RESTRICT")
        checked_at = DateTimeField(index=True)

        class Meta:
            database = db
            table_name = "balance_check"

    db.create_tables([BalanceCheck])

    class CleaningLog(Model):
        target = CharField(max_length=20)
        equipment = CharField(max_length=120, default="")
        agent = CharField(max_length=120)
        notes = TextField(default="")
        cleaned_by = ForeignKeyField(User, on_delete="RESTRICT")
        cleaned_at = DateTimeField(index=True)

        class Meta:
            database = db
            table_name = "cleaning_log"

    db.create_tables([CleaningLog])


def down(migrator, db):
    migrator.migrate(migrator.drop_table("cleaning_log"))
    migrator.migrate(migrator.drop_table("balance_check"))
