"""Claims that reconcile with remittances.

- claim.adjudicated: the plan amount the payer said it pays; claim.contractual: CAS group CO
  (never outstanding). claim.adjustments keeps only the other (OA/PI) adjustments.
- remittance.status and held_reason: a payment reusing a known trace number with another
  amount, date or payer is held for a person, so (payer, trace) is no longer unique.
- remittance_line.candidates: the claims a person chooses from in the matching queue.
- remittance_adjustment: each PLB provider-level adjustment and the claim it names.

Existing claims keep their amounts: where the payer's allowed amount is known the plan amount
is allowed - patient pay and the contractual part billed - other payer - allowed; a paid claim
without one was paid what the plan owed.
"""

from peewee import *


def up(migrator, db):
    migrator.migrate(
        migrator.add_column("claim", "adjudicated", BigIntegerField(null=True)),
        migrator.add_column("claim", "contractual", BigIntegerField(default=0)),
        migrator.add_column("remittance", "status", CharField(max_length=8, default="posted")),
        migrator.add_column("remittance", "held_reason", TextField(default="")),
        migrator.add_column("remittance_line", "candidates", TextField(default="")),
        migrator.drop_index("remittance", "remittance_payer_id_trace_number"),
        migrator.add_index("remittance", ("payer_id", "trace_number"), False),
    )
    db.execute_sql(
        "UPDATE claim SET adjudicated = allowed - patient_pay, "
        "contractual = CASE WHEN billed - other_payer_paid - allowed > 0 "
        "THEN billed - other_payer_paid - allowed ELSE 0 END "
        "WHERE allowed IS NOT NULL"
    )
    db.execute_sql(
        "UPDATE claim SET adjustments = CASE WHEN adjustments - contractual > 0 "
        "THEN adjustments - contractual ELSE 0 END"
    )
    db.execute_sql(
        "UPDATE claim SET adjudicated = paid WHERE adjudicated IS NULL AND status = 'paid'"
    )

    class Remittance(Model):
        class Meta:
            database = db
            table_name = "remittance"

    class Claim(Model):
        class Meta:
            database = db
            table_name = "claim"

    class ClaimEvent(Model):
        class Meta:
            database = db
            table_name = "claim_event"

    class RemittanceAdjustment(Model):
        remittance = ForeignKeyField(Remittance, on_delete="CASCADE")
        position = IntegerField()
        provider_id = CharField(max_length=50, default="")
        reason = CharField(max_length=3)
        reference = CharField(max_length=50, default="")
        amount = BigIntegerField()
        claim = ForeignKeyField(Claim, null=True)
        event = ForeignKeyField(ClaimEvent, null=True, on_delete="SET NULL")

        class Meta:
            database = db
            table_name = "remittance_adjustment"

    db.create_tables([RemittanceAdjustment])


def down(migrator, db):
    migrator.migrate(migrator.drop_table("remittance_adjustment"))
    db.execute_sql("UPDATE claim SET adjustments = adjustments + contractual")
    migrator.migrate(
        migrator.drop_index("remittance", "remittance_payer_id_trace_number"),
        migrator.add_index("remittance", ("payer_id", "trace_number"), True),
        migrator.drop_column("remittance_line", "candidates"),
        migrator.drop_column("remittance", "held_reason"),
        migrator.drop_column("remittance", "status"),
        migrator.drop_column("claim", "contractual"),
        migrator.drop_column("claim", "adjudicated"),
    )
