"""Patients: patient (with indexed name, date-of-birth and phone search keys), allergy,
payer and coverage.

Models here are frozen copies; Python-side defaults (timestamps) live in the app.
"""

from peewee import *


def up(migrator, db):
    class User(Model):
        class Meta:
            database = db
            table_name = "user"

    class Patient(Model):
        last_name = CharField(max_length=80)
        first_name = CharField(max_length=80)
        middle_name = CharField(max_length=80, default="")
        last_name_key = CharField(max_length=80)
        first_name_key = CharField(max_length=80)
        date_of_birth = DateField(index=True)
        sex = CharField(max_length=1, default="U")
        address_line1 = CharField(max_length=120, default="")
        address_line2 = CharField(max_length=120, default="")
        city = CharField(max_length=80, default="")
        state = CharField(max_length=2, default="")
        postal_code = CharField(max_length=10, default="")
        phone = CharField(max_length=20, default="")
        phone_digits = CharField(index=True, max_length=15, default="")
        alt_phone = CharField(max_length=20, default="")
        alt_phone_digits = CharField(index=True, max_length=15, default="")
        email = CharField(max_length=120, default="")
        preferred_language = CharField(max_length=40, default="English")
        notes = TextField(default="")
        allergy_status = CharField(max_length=16, default="not_asked")
        allergies_reviewed_at = DateTimeField(null=True)
        active = BooleanField(default=True)
        created_at = DateTimeField()
        updated_at = DateTimeField()

        class Meta:
            database = db
            table_name = "patient"
            indexes = ((("last_name_key", "first_name_key"), False),)

    db.create_tables([Patient])

    class Allergy(Model):
        patient = ForeignKeyField(Patient, on_delete="CASCADE")
        allergen = CharField(max_length=120)
        kind = CharField(max_length=12, default="text")
        reaction = CharField(max_length=200, default="")
        severity = CharField(max_length=10, default="unknown")
        recorded_at = DateTimeField()
        recorded_by = ForeignKeyField(User, null=True)

        class Meta:
            database = db
            table_name = "allergy"

    db.create_tables([Allergy])

    class Payer(Model):
        name = CharField(max_length=120)
        code = CharField(unique=True, max_length=12)
        bin = CharField(index=True, max_length=6)
        pcn = CharField(max_length=10, default="")
        processor = CharField(max_length=120, default="")
        phone = CharField(max_length=20, default="")
        active = BooleanField(default=True)
        created_at = DateTimeField()

        class Meta:
            database = db
            table_name = "payer"

    db.create_tables([Payer])

    class Coverage(Model):
        patient = ForeignKeyField(Patient, on_delete="CASCADE")
        payer = ForeignKeyField(Payer)
        bin = CharField(max_length=6)
        pcn = CharField(max_length=10, default="")
        group_number = CharField(max_length=15, default="")
        member_id = CharField(max_length=20)
        person_code = CharField(max_length=3, default="")
        relationship = CharField(max_length=1, default="1")
        effective_date = DateField(null=True)
        termination_date = DateField(null=True)
        rank = CharField(max_length=10, default="primary")
        active = BooleanField(default=True)
        created_at = DateTimeField()

        class Meta:
            database = db
            table_name = "coverage"

    db.create_tables([Coverage])


def down(migrator, db):
    migrator.migrate(migrator.drop_table("coverage"))
    migrator.migrate(migrator.drop_table("payer"))
    migrator.migrate(migrator.drop_table("allergy"))
    migrator.migrate(migrator.drop_table("patient"))
