"""Prescribers: names, credentials, NPI (unique), DEA number (unique when present) with the
schedules it covers, state license, contact details and address.

Models here are frozen copies; Python-side defaults (timestamps) live in the app.
"""

from peewee import *


def up(migrator, db):
    class Prescriber(Model):
        last_name = CharField(max_length=80)
        first_name = CharField(max_length=80)
        middle_name = CharField(max_length=80, default="")
        credentials = CharField(max_length=20, default="")
        practice_name = CharField(max_length=120, default="")
        npi = CharField(unique=True, max_length=10)
        dea = CharField(unique=True, null=True, max_length=9)
        dea_schedules = CharField(max_length=20, default="")
        license_number = CharField(max_length=30, default="")
        license_state = CharField(max_length=2, default="")
        phone = CharField(max_length=20, default="")
        fax = CharField(max_length=20, default="")
        address_line1 = CharField(max_length=120, default="")
        address_line2 = CharField(max_length=120, default="")
        city = CharField(max_length=80, default="")
        state = CharField(max_length=2, default="")
        postal_code = CharField(max_length=10, default="")
        active = BooleanField(default=True)
        created_at = DateTimeField()
        updated_at = DateTimeField()

        class Meta:
            database = db
            table_name = "prescriber"
            indexes = ((("last_name", "first_name"), False),)

    db.create_tables([Prescriber])


def down(migrator, db):
    migrator.migrate(migrator.drop_table("prescriber"))
