"""Claims: claim (one per fill per coverage, money as whole cents), claim events, reject
codes, compound lines, prior authorizations, imported 835 remittances and their lines.

Money columns are BIGINT cents (portal.claims.claims.fields.MoneyField) and quantities BIGINT
ten-thousandths (portal.catalog.models.QuantityField), so SQL sums are exact on SQLite.
Indexes serve the dashboard and the work queue: (state, date_of_service) for aging,
(payer, state), (date_of_service, payer) for date-range filters, follow_up_on for overdue.
Models here are frozen copies; Python-side defaults (timestamps) live in the app.
"""

from peewee import *


def up(migrator, db):
    class Coverage(Model):
        class Meta:
            database = db
            table_name = "coverage"

    class Patient(Model):
        class Meta:
            database = db
            table_name = "patient"

    class Payer(Model):
        class Meta:
            database = db
            table_name = "payer"

    class User(Model):
        class Meta:
            database = db
            table_name = "user"

    class Claim(Model):
        claim_reference = CharField(unique=True, max_length=38)
        patient = ForeignKeyField(Patient, on_delete="RESTRICT")
        coverage = ForeignKeyField(Coverage, on_delete="RESTRICT")
        payer = ForeignKeyField(Payer, on_delete="RESTRICT")
        primary_claim = ForeignKeyField("self", null=True)
        rx_number = CharField(max_length=12)
        fill_number = IntegerField(default=0)
        product_id = CharField(max_length=13, default="")
        product_description = CharField(max_length=200, default="")
        quantity = BigIntegerField(default=0)
        quantity_unit = CharField(max_length=8, default="each")
        days_supply = IntegerField(default=0)
        is_compound = BooleanField(default=False)
        submission_clarification_code = CharField(max_length=2, default="")
        daw = CharField(max_length=1, default="0")
        date_of_service = DateField()
        ingredient_cost = BigIntegerField(default=0)
        dispensing_fee = BigIntegerField(default=0)
        compounding_fee = BigIntegerField(default=0)
        billed = BigIntegerField(default=0)
        other_coverage_code = CharField(max_length=1, default="")
        other_payer_paid = BigIntegerField(default=0)
        allowed = BigIntegerField(null=True)
        paid = BigIntegerField(default=0)
        patient_pay = BigIntegerField(default=0)
        adjustments = BigIntegerField(default=0)
        written_off = BigIntegerField(default=0)
        payer_claim_number = CharField(max_length=50, default="")
        state = CharField(max_length=16, default="draft")
        times_rejected = IntegerField(default=0)
        assigned_to = ForeignKeyField(User, null=True)
        follow_up_on = DateField(index=True, null=True)
        submitted_at = DateTimeField(null=True)
        responded_at = DateTimeField(null=True)
        paid_at = DateTimeField(null=True)
        days_to_payment = IntegerField(null=True)
        created_by = ForeignKeyField(User)
        created_at = DateTimeField()
        updated_at = DateTimeField()

        class Meta:
            database = db
            table_name = "claim"
            indexes = (
                (("state", "date_of_service"), False),
                (("payer", "state"), False),
                (("date_of_service", "payer"), False),
                (("rx_number", "fill_number"), False),
            )

    db.create_tables([Claim])

    class ClaimCompoundLine(Model):
        claim = ForeignKeyField(Claim, on_delete="CASCADE")
        position = IntegerField()
        ingredient_name = CharField(max_length=120)
        ndc = CharField(max_length=13, default="")
        quantity = BigIntegerField()
        unit = CharField(max_length=8, default="g")
        cost = BigIntegerField()

        class Meta:
            database = db
            table_name = "claim_compound_line"

    db.create_tables([ClaimCompoundLine])

    class ClaimEvent(Model):
        claim = ForeignKeyField(Claim, on_delete="CASCADE")
        kind = CharField(max_length=12, default="transition")
        from_state = CharField(max_length=16, default="")
        to_state = CharField(max_length=16, default="")
        user = ForeignKeyField(User, null=True)
        at = DateTimeField(index=True)
        note = TextField(default="")
        allowed = BigIntegerField(null=True)
        paid = BigIntegerField(null=True)
        patient_pay = BigIntegerField(null=True)
        adjustments = BigIntegerField(null=True)

        class Meta:
            database = db
            table_name = "claim_event"

    db.create_tables([ClaimEvent])

    class ClaimReject(Model):
        claim = ForeignKeyField(Claim, on_delete="CASCADE")
        event = ForeignKeyField(ClaimEvent, on_delete="CASCADE")
        position = IntegerField(default=1)
        code = CharField(index=True, max_length=3)
        rejected_at = DateTimeField()

        class Meta:
            database = db
            table_name = "claim_reject"

    db.create_tables([ClaimReject])

    class PriorAuthorization(Model):
        claim = ForeignKeyField(Claim, on_delete="CASCADE")
        status = CharField(max_length=10, default="requested")
        requested_on = DateField()
        prescriber_contacted = CharField(max_length=200)
        pa_number = CharField(max_length=40, default="")
        approved_on = DateField(null=True)
        expires_on = DateField(null=True)
        notes = TextField(default="")
        created_by = ForeignKeyField(User)
        created_at = DateTimeField()
        updated_at = DateTimeField()

        class Meta:
            database = db
            table_name = "prior_authorization"

    db.create_tables([PriorAuthorization])

    class Remittance(Model):
        payer_id = CharField(max_length=50, default="")
        trace_number = CharField(max_length=50)
        payer_name = CharField(max_length=120, default="")
        payee_name = CharField(max_length=120, default="")
        payment_amount = BigIntegerField()
        payment_date = DateField()
        payment_method = CharField(max_length=3, default="")
        provider_adjustments = BigIntegerField(default=0)
        file_name = CharField(max_length=200, default="")
        raw_text = TextField()
        imported_by = ForeignKeyField(User)
        imported_at = DateTimeField()

        class Meta:
            database = db
            table_name = "remittance"
            indexes = ((("payer_id", "trace_number"), True),)

    db.create_tables([Remittance])

    class RemittanceLine(Model):
        remittance = ForeignKeyField(Remittance, on_delete="CASCADE")
        position = IntegerField()
        claim = ForeignKeyField(Claim, null=True)
        claim_reference = CharField(max_length=38)
        status_code = CharField(max_length=2)
        charge = BigIntegerField()
        paid = BigIntegerField()
        patient_responsibility = BigIntegerField()
        adjustments = TextField(default="[]")
        payer_claim_number = CharField(max_length=50, default="")
        patient_name = CharField(max_length=120, default="")
        service_date = DateField(null=True)
        outcome = CharField(index=True, max_length=12, default="unmatched")
        outcome_note = TextField(default="")
        event = ForeignKeyField(ClaimEvent, null=True, on_delete="SET NULL")
        matched_by = ForeignKeyField(User, null=True)
        matched_at = DateTimeField(null=True)

        class Meta:
            database = db
            table_name = "remittance_line"

    db.create_tables([RemittanceLine])


def down(migrator, db):
    migrator.migrate(migrator.drop_table("remittance_line"))
    migrator.migrate(migrator.drop_table("remittance"))
    migrator.migrate(migrator.drop_table("prior_authorization"))
    migrator.migrate(migrator.drop_table("claim_reject"))
    migrator.migrate(migrator.drop_table("claim_event"))
    migrator.migrate(migrator.drop_table("claim_compound_line"))
    migrator.migrate(migrator.drop_table("claim"))
