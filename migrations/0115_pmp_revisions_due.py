"""State PMP: dispensings already reported whose patient or prescriber was edited since,
queued for a revision record (ASAP 4.2A DSP01 "01") in the next daily file."""

from peewee import *


def up(migrator, db):
    class User(Model):
        class Meta:
            database = db
            table_name = "user"

    class PmpSubmission(Model):
        class Meta:
            database = db
            table_name = "pmp_submission"

    class PmpRevisionDue(Model):
        fill_id = IntegerField(index=True)
        reason = CharField(max_length=40)
        fields = TextField(default="")
        queued_by = ForeignKeyField(User, null=True, on_delete="RESTRICT")
        queued_at = DateTimeField()
        submission = ForeignKeyField(PmpSubmission, null=True, on_delete="CASCADE")

        class Meta:
            database = db
            table_name = "pmp_revision_due"
            indexes = ((("submission", "fill_id"), False),)

    db.create_tables([PmpRevisionDue])


def down(migrator, db):
    db.execute_sql("DROP TABLE pmp_revision_due")
