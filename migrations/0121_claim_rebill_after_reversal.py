"""A reversed claim no longer blocks billing its fill to the same payer again (NCPDP D.0 B2
then a new B1): the claim reference is unique among claims that are not reversed only.
Existing claims are untouched; their references were all unique already."""

from peewee import *


def up(migrator, db):
    migrator.migrate(
        migrator.drop_index("claim", "claim_claim_reference"),
        migrator.add_index("claim", ("claim_reference",), False),
    )
    db.execute_sql(
        "CREATE UNIQUE INDEX claim_open_reference ON claim (claim_reference) "
        "WHERE status <> 'reversed'"
    )


def down(migrator, db):
    # Refused by the database while a fill has a reversed claim and its rebill.
    db.execute_sql("DROP INDEX claim_open_reference")
    migrator.migrate(
        migrator.drop_index("claim", "claim_claim_reference"),
        migrator.add_index("claim", ("claim_reference",), True),
    )
