"""Claims dashboard: claim_day_total (the claims' sums per date of service and payer, kept
in step by Claim.save), the claim's date of service and payer copied onto claim_reject with
an index (date_of_service, payer_id, code), a covering index on claim (date_of_service,
payer_id, state and the summed columns) for recomputing a day, and (follow_up_on, state,
payer_id) for overdue follow-ups. Existing reject rows and day totals are filled in from the claims.
Money columns are BIGINT cents.
"""

from peewee import *


def up(migrator, db):
    class Payer(Model):
        class Meta:
            database = db
            table_name = "payer"

    class ClaimDayTotal(Model):
        date_of_service = DateField()
        payer = ForeignKeyField(Payer, on_delete="CASCADE")
        claims = IntegerField(default=0)
        sent = IntegerField(default=0)
        rejected = IntegerField(default=0)
        billed = BigIntegerField(default=0)
        paid = BigIntegerField(default=0)
        written_off = BigIntegerField(default=0)
        write_offs = IntegerField(default=0)
        days_total = IntegerField(default=0)
        days_count = IntegerField(default=0)
        outstanding = IntegerField(default=0)
        outstanding_amount = BigIntegerField(default=0)

        class Meta:
            database = db
            table_name = "claim_day_total"
            indexes = ((("date_of_service", "payer"), True),)

    db.create_tables([ClaimDayTotal])

    migrator.migrate(migrator.drop_index("claim", "claim_date_of_service_payer_id"))
    migrator.migrate(migrator.drop_index("claim", "claim_follow_up_on"))
    migrator.migrate(migrator.drop_index("claim_reject", "claimreject_code"))
    migrator.migrate(migrator.add_column("claim_reject", "date_of_service", DateField(null=True)))
    migrator.migrate(
        migrator.add_column(
            "claim_reject", "payer_id", ForeignKeyField(Payer, field=Payer.id, null=True)
        )
    )
    migrator.migrate(
        migrator.add_index(
            "claim",
            (
                "date_of_service",
                "payer_id",
                "state",
                "times_rejected",
                "primary_claim_id",
                "billed",
                "other_payer_paid",
                "paid",
                "written_off",
                "days_to_payment",
            ),
        )
    )
    migrator.migrate(migrator.add_index("claim", ("follow_up_on", "state", "payer_id")))
    migrator.migrate(migrator.add_index("claim_reject", ("date_of_service", "payer_id", "code")))

    # Data: copy each reject's claim date and payer; sum the claims already recorded.
    db.execute_sql(
        "UPDATE claim_reject SET "
        "date_of_service = (SELECT c.date_of_service FROM claim c WHERE c.id = claim_reject.claim_id), "
        "payer_id = (SELECT c.payer_id FROM claim c WHERE c.id = claim_reject.claim_id)"
    )
    outstanding = "state IN ('submitted', 'appealed', 'rejected', 'partially_paid')"
    db.execute_sql(
        "INSERT INTO claim_day_total (date_of_service, payer_id, claims, sent, rejected, billed, "
        "paid, written_off, write_offs, days_total, days_count, outstanding, outstanding_amount) "
        "SELECT date_of_service, payer_id, COUNT(id), "
        "SUM(CASE WHEN state != 'draft' THEN 1 ELSE 0 END), "
        "SUM(CASE WHEN times_rejected > 0 THEN 1 ELSE 0 END), "
        "SUM(CASE WHEN primary_claim_id IS NULL AND state NOT IN ('draft', 'reversed') "
        "THEN billed ELSE 0 END), "
        "COALESCE(SUM(paid), 0), COALESCE(SUM(written_off), 0), "
        "SUM(CASE WHEN written_off > 0 THEN 1 ELSE 0 END), "
        "COALESCE(SUM(days_to_payment), 0), COUNT(days_to_payment), "
        f"SUM(CASE WHEN {outstanding} THEN 1 ELSE 0 END), "
        f"SUM(CASE WHEN {outstanding} THEN billed - other_payer_paid - paid - written_off "
        "ELSE 0 END) "
        "FROM claim GROUP BY date_of_service, payer_id"
    )


def down(migrator, db):
    migrator.migrate(migrator.drop_index("claim_reject", "claim_reject_payer_id"))
    migrator.migrate(
        migrator.drop_index("claim_reject", "claim_reject_date_of_service_payer_id_code")
    )
    migrator.migrate(migrator.drop_index("claim", "claim_follow_up_on_state_payer_id"))
    migrator.migrate(
        migrator.drop_index(
            "claim", "claim_date_of_service_payer_id_state_times_rejected_prim_2d28aad"
        )
    )
    migrator.migrate(migrator.drop_column("claim_reject", "payer_id"))
    migrator.migrate(migrator.drop_column("claim_reject", "date_of_service"))
    migrator.migrate(migrator.add_index("claim_reject", ("code",), name="claimreject_code"))
    migrator.migrate(migrator.add_index("claim", ("follow_up_on",)))
    migrator.migrate(migrator.add_index("claim", ("date_of_service", "payer_id")))
    migrator.migrate(migrator.drop_table("claim_day_total"))
