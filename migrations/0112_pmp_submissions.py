"""State PMP reporting: each ASAP 4.2A file made (period, control number, record count,
SHA-256, the stored file's name, result) and the dispensing records it carried, so a
change is later sent as a revision and a reversal as a void."""

from peewee import *


def up(migrator, db):
    class User(Model):
        class Meta:
            database = db
            table_name = "user"

    class PmpSubmission(Model):
        period_start = DateField()
        period_end = DateField()
        control_number = CharField(max_length=12)
        record_count = IntegerField()
        sha256 = CharField(max_length=64)
        stored_name = CharField(max_length=80, unique=True)
        result = CharField(max_length=12, default="created")
        message = TextField(default="")
        created_by = ForeignKeyField(User, null=True, on_delete="RESTRICT")
        created_at = DateTimeField()

        class Meta:
            database = db
            table_name = "pmp_submission"
            indexes = ((("period_end", "id"), False),)

    class PmpRecord(Model):
        submission = ForeignKeyField(PmpSubmission, on_delete="CASCADE")
        fill_id = IntegerField(index=True)
        reporting_status = CharField(max_length=2)
        digest = CharField(max_length=64)
        sent = TextField()

        class Meta:
            database = db
            table_name = "pmp_record"

    db.create_tables([PmpSubmission, PmpRecord])


def down(migrator, db):
    db.execute_sql("DROP TABLE pmp_record")
    db.execute_sql("DROP TABLE pmp_submission")
