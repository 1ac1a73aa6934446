"""Prescriptions and fills: the Rx number counter (one row, never reused), prescriptions
(product now; the compounding area adds a nullable formula), scans of originals, fills with
the user and time of each workflow step, fill events, pharmacist verifications and
prescriber clarifications.

Quantities are BIGINT ten-thousandths (portal.catalog.models.QuantityField). The index
(status, queue_rank, created_at, id) on fill serves each queue tab's count and its keyset
pages. Models here are frozen copies; Python-side defaults (timestamps) live in the app.
"""

from peewee import *


def up(migrator, db):
    class Lot(Model):
        class Meta:
            database = db
            table_name = "lot"

    class Patient(Model):
        class Meta:
            database = db
            table_name = "patient"

    class Prescriber(Model):
        class Meta:
            database = db
            table_name = "prescriber"

    class Product(Model):
        class Meta:
            database = db
            table_name = "product"

    class User(Model):
        class Meta:
            database = db
            table_name = "user"

    class Prescription(Model):
        rx_number = BigIntegerField(unique=True)
        patient = ForeignKeyField(Patient, on_delete="RESTRICT")
        prescriber = ForeignKeyField(Prescriber, null=True, on_delete="RESTRICT")
        product = ForeignKeyField(Product, null=True, on_delete="RESTRICT")
        sig = CharField(max_length=500, default="")
        directions = TextField(default="")
        quantity = BigIntegerField(default=0)
        quantity_unit = CharField(max_length=8, default="each")
        days_supply = IntegerField(default=0)
        refills_authorized = IntegerField(default=0)
        daw = CharField(max_length=1, default="0")
        written_on = DateField(null=True)
        expires_on = DateField(null=True)
        origin = CharField(max_length=12, default="written")
        schedule = CharField(null=True, max_length=1)
        notes = TextField(default="")
        status = CharField(max_length=10, default="active")
        created_by = ForeignKeyField(User, on_delete="RESTRICT")
        created_at = DateTimeField()
        updated_at = DateTimeField()

        class Meta:
            database = db
            table_name = "prescription"

    db.create_tables([Prescription])

    class Fill(Model):
        prescription = ForeignKeyField(Prescription, on_delete="RESTRICT")
        patient = ForeignKeyField(Patient, on_delete="RESTRICT")
        fill_number = IntegerField(default=0)
        status = CharField(max_length=16, default="intake")
        held_from = CharField(null=True, max_length=16)
        hold_reason = TextField(default="")
        priority = CharField(max_length=10, default="today")
        queue_rank = SmallIntegerField(default=2)
        return_reason = TextField(default="")
        quantity = BigIntegerField(default=0)
        days_supply = IntegerField(default=0)
        refills_remaining = IntegerField(default=0)
        filled_on = DateField(null=True)
        dispensed_ndc = CharField(max_length=13, default="")
        dispensed_lot = ForeignKeyField(Lot, null=True, on_delete="RESTRICT")
        created_by = ForeignKeyField(User, on_delete="RESTRICT")
        created_at = DateTimeField()
        entered_by = ForeignKeyField(User, null=True, on_delete="RESTRICT")
        entered_at = DateTimeField(null=True)
        data_verified_by = ForeignKeyField(User, null=True, on_delete="RESTRICT")
        data_verified_at = DateTimeField(null=True)
        filled_by = ForeignKeyField(User, null=True, on_delete="RESTRICT")
        filled_at = DateTimeField(null=True)
        final_verified_by = ForeignKeyField(User, null=True, on_delete="RESTRICT")
        final_verified_at = DateTimeField(null=True)
        handed_out_by = ForeignKeyField(User, null=True, on_delete="RESTRICT")
        picked_up_at = DateTimeField(null=True)
        picked_up_by = CharField(max_length=120, default="")
        picked_up_relationship = CharField(max_length=40, default="")
        counseling_offered = BooleanField(null=True)
        counseling_accepted = BooleanField(null=True)
        status_changed_at = DateTimeField()
        updated_at = DateTimeField()

        class Meta:
            database = db
            table_name = "fill"
            indexes = (
                (("prescription", "fill_number"), True),
                (("status", "queue_rank", "created_at", "id"), False),
                (("patient", "status"), False),
                (("entered_by", "status"), False),
            )

    db.create_tables([Fill])

    class Clarification(Model):
        prescription = ForeignKeyField(Prescription, on_delete="CASCADE")
        fill = ForeignKeyField(Fill, null=True, on_delete="SET NULL")
        question = TextField()
        asked_by = ForeignKeyField(User, on_delete="RESTRICT")
        asked_at = DateTimeField()
        answer = TextField(default="")
        answered_by_name = CharField(max_length=120, default="")
        answer_recorded_by = ForeignKeyField(User, null=True, on_delete="RESTRICT")
        answered_at = DateTimeField(null=True)

        class Meta:
            database = db
            table_name = "clarification"

    db.create_tables([Clarification])

    class FillEvent(Model):
        fill = ForeignKeyField(Fill, on_delete="CASCADE")
        from_status = CharField(max_length=16, default="")
        to_status = CharField(max_length=16)
        user = ForeignKeyField(User, on_delete="RESTRICT")
        at = DateTimeField()
        reason = TextField(default="")
        note = TextField(default="")

        class Meta:
            database = db
            table_name = "fill_event"
            indexes = ((("fill", "at"), False),)

    db.create_tables([FillEvent])

    class PrescriptionImage(Model):
        prescription = ForeignKeyField(Prescription, on_delete="CASCADE")
        stored_name = CharField(unique=True, max_length=80)
        original_name = CharField(max_length=200, default="")
        content_type = CharField(max_length=40)
        size_bytes = IntegerField()
        sha256 = CharField(max_length=64)
        uploaded_by = ForeignKeyField(User, on_delete="RESTRICT")
        uploaded_at = DateTimeField()

        class Meta:
            database = db
            table_name = "prescription_image"

    db.create_tables([PrescriptionImage])

    class RxCounter(Model):
        id = IntegerField(primary_key=True)
        last_issued = BigIntegerField(default=0)

        class Meta:
            database = db
            table_name = "rx_counter"

    db.create_tables([RxCounter])

    class Verification(Model):
        fill = ForeignKeyField(Fill, on_delete="CASCADE")
        stage = CharField(max_length=8)
        pharmacist = ForeignKeyField(User, on_delete="RESTRICT")
        outcome = CharField(max_length=10)
        reason = TextField(default="")
        checks = TextField(default="")
        block_override_reason = TextField(default="")
        own_entry_reason = TextField(default="")
        note = TextField(default="")
        at = DateTimeField()

        class Meta:
            database = db
            table_name = "verification"

    db.create_tables([Verification])


def down(migrator, db):
    migrator.migrate(migrator.drop_table("verification"))
    migrator.migrate(migrator.drop_table("rx_counter"))
    migrator.migrate(migrator.drop_table("prescription_image"))
    migrator.migrate(migrator.drop_table("fill_event"))
    migrator.migrate(migrator.drop_table("clarification"))
    migrator.migrate(migrator.drop_table("fill"))
    migrator.migrate(migrator.drop_table("prescription"))
