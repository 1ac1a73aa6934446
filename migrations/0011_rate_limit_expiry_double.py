"""Rate-limit expiry as DOUBLE PRECISION: PostgreSQL's REAL (4 bytes) rounds an epoch time
to about two minutes, so one-minute windows reset early. SQLite's REAL is already 8 bytes.
"""

from peewee import *
from playhouse.migrate import PostgresqlMigrator


def up(migrator, db):
    if isinstance(migrator, PostgresqlMigrator):
        migrator.migrate(
            migrator.alter_column_type("rate_limit_counter", "expires_at", DoubleField())
        )


def down(migrator, db):
    if isinstance(migrator, PostgresqlMigrator):
        migrator.migrate(
            migrator.alter_column_type("rate_limit_counter", "expires_at", FloatField())
        )
