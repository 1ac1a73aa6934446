"""Compounding records get a history: compounding_record_event, one row per move of a record
(from, to, who, when, note), like fill_event and claim_event.

Records made before this migration get ONE row each, for the status they are in now, dated
and signed by what the record itself keeps (approved_at/approved_by, rejected_at/rejected_by,
completed_at/compounded_by, else started_at/started_by) and noted "history starts here";
their earlier steps stay in the audit trail. The timestamp defaults in the app (utcnow).
"""

from peewee import *


def up(migrator, db):
    class User(Model):
        class Meta:
            database = db
            table_name = "user"

    class CompoundingRecord(Model):
        class Meta:
            database = db
            table_name = "compounding_record"

    class CompoundingRecordEvent(Model):
        record = ForeignKeyField(CompoundingRecord, on_delete="CASCADE")
        from_status = CharField(max_length=12, default="")
        to_status = CharField(max_length=12)
        user = ForeignKeyField(User, null=True, on_delete="RESTRICT")
        at = DateTimeField()
        note = TextField(default="")

        class Meta:
            database = db
            table_name = "compounding_record_event"
            indexes = ((("record", "at"), False),)

    db.create_tables([CompoundingRecordEvent])

    # Data: one row per existing record, for its current status.
    db.execute_sql(
        "INSERT INTO compounding_record_event (record_id, from_status, to_status, user_id, at, note) "
        "SELECT id, '', status, "
        "CASE status WHEN 'approved' THEN approved_by_id WHEN 'rejected' THEN rejected_by_id "
        "WHEN 'completed' THEN compounded_by_id ELSE started_by_id END, "
        "COALESCE(CASE status WHEN 'approved' THEN approved_at WHEN 'rejected' THEN rejected_at "
        "WHEN 'completed' THEN completed_at END, started_at), "
        "'history starts here; earlier steps are in the audit trail' "
        "FROM compounding_record ORDER BY id"
    )


def down(migrator, db):
    migrator.migrate(migrator.drop_table("compounding_record_event"))
