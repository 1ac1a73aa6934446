"""The biennial inventory of controlled substances (21 CFR 1304.11): a count session (date,
opening or close of business, signed by the pharmacist, then locked) and its lines (each
lot, its schedule, exact or estimated count, the balance on file and the count)."""

from peewee import *


def up(migrator, db):
    class User(Model):
        class Meta:
            database = db
            table_name = "user"

    class Lot(Model):
        class Meta:
            database = db
            table_name = "lot"

    class BiennialInventory(Model):
        taken_on = DateField()
        business_hours = CharField(max_length=8)
        status = CharField(max_length=8, default="open")
        started_by = ForeignKeyField(User, on_delete="RESTRICT")
        signed_by = ForeignKeyField(User, null=True, on_delete="RESTRICT")
        signed_at = DateTimeField(null=True)
        created_at = DateTimeField()

        class Meta:
            database = db
            table_name = "biennial_inventory"

    class BiennialLine(Model):
        inventory = ForeignKeyField(BiennialInventory, on_delete="CASCADE")
        lot = ForeignKeyField(Lot, on_delete="RESTRICT")
        description = CharField(max_length=200)
        schedule = CharField(max_length=1)
        count_kind = CharField(max_length=9)
        on_file = BigIntegerField()
        counted = BigIntegerField(null=True)
        counted_by = ForeignKeyField(User, null=True, on_delete="RESTRICT")
        note = TextField(default="")

        class Meta:
            database = db
            table_name = "biennial_line"

    db.create_tables([BiennialInventory, BiennialLine])


def down(migrator, db):
    db.execute_sql("DROP TABLE biennial_line")
    db.execute_sql("DROP TABLE biennial_inventory")
