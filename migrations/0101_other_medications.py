"""Other medications on the patient profile: drugs taken from elsewhere (another pharmacy,
over the counter), screened for interactions and duplication like active fills."""

from peewee import *


def up(migrator, db):
    class User(Model):
        class Meta:
            database = db
            table_name = "user"

    class Patient(Model):
        class Meta:
            database = db
            table_name = "patient"

    class OtherMedication(Model):
        patient = ForeignKeyField(Patient, on_delete="CASCADE")
        name = CharField(max_length=120)
        note = CharField(max_length=200, default="")
        recorded_at = DateTimeField()
        recorded_by = ForeignKeyField(User, null=True)

        class Meta:
            database = db
            table_name = "other_medication"

    db.create_tables([OtherMedication])


def down(migrator, db):
    migrator.migrate(migrator.drop_table("other_medication"))
