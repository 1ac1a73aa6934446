"""A claim's secondary claims, from an index of the claims that have a primary.

Almost every claim is a primary one (primary_claim_id NULL); with the planner's statistics
the plain foreign-key index looks useless and the claim page read every claim to find a
claim's secondaries (3x slower at 200k claims). The same remedy as 0155.
"""

from peewee import *


def up(migrator, db):
    db.execute_sql(
        "CREATE INDEX claim_primary_present ON claim (primary_claim_id) "
        "WHERE primary_claim_id IS NOT NULL"
    )


def down(migrator, db):
    db.execute_sql("DROP INDEX claim_primary_present")
