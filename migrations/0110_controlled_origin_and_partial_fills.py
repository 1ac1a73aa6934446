"""Controlled substances: the pharmacist's record of how a C-II arrived (emergency oral
order and its follow-up, fax as the original, the signed original received: 21 CFR
1306.11), and partial fills (21 CFR 1306.13, 1306.23): the reason, the follow-on fill of
the remainder, and when a lapsed remainder was voided. Existing fills are whole fills.

Models here are frozen copies; quantities are BIGINT ten-thousandths.
"""

from peewee import *


def up(migrator, db):
    class User(Model):
        class Meta:
            database = db
            table_name = "user"

    class Prescription(Model):
        class Meta:
            database = db
            table_name = "prescription"

    class Fill(Model):
        class Meta:
            database = db
            table_name = "fill"

    class ControlledOrigin(Model):
        prescription = ForeignKeyField(Prescription, unique=True, on_delete="CASCADE")
        emergency_quantity = BigIntegerField(null=True)
        emergency_note = TextField(default="")
        emergency_recorded_by = ForeignKeyField(User, null=True, on_delete="RESTRICT")
        emergency_recorded_at = DateTimeField(null=True)
        follow_up_due = DateField(null=True)
        follow_up_state = CharField(max_length=12, default="")
        follow_up_on = DateField(null=True)
        follow_up_by = ForeignKeyField(User, null=True, on_delete="RESTRICT")
        fax_reason = CharField(max_length=16, default="")
        fax_reason_by = ForeignKeyField(User, null=True, on_delete="RESTRICT")
        original_received_on = DateField(null=True)
        original_received_by = ForeignKeyField(User, null=True, on_delete="RESTRICT")
        updated_at = DateTimeField()

        class Meta:
            database = db
            table_name = "controlled_origin"
            indexes = ((("follow_up_state", "follow_up_due"), False),)

    db.create_tables([ControlledOrigin])
    migrator.migrate(
        migrator.add_column("fill", "partial_reason", CharField(max_length=16, default="")),
        migrator.add_column(
            "fill",
            "remainder_of_id",
            ForeignKeyField(Fill, field=Fill.id, null=True, on_delete="RESTRICT"),
        ),
        migrator.add_column("fill", "remainder_voided_at", DateTimeField(null=True)),
    )


def down(migrator, db):
    migrator.migrate(
        migrator.drop_index("fill", "fill_remainder_of_id"),
        migrator.drop_column("fill", "remainder_voided_at"),
        migrator.drop_column("fill", "remainder_of_id"),
        migrator.drop_column("fill", "partial_reason"),
    )
    db.execute_sql("DROP TABLE controlled_origin")
