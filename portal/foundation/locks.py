"""PostgreSQL advisory locks the portal takes, named in one place so no two uses collide.

SQLite needs none: BEGIN IMMEDIATE (portal.foundation.db.write_transaction) already lets
one writer in at a time.
"""

from portal.foundation.db import db, is_sqlite

# Appending to the audit hash chain (and anything that must be ordered with it).
AUDIT_CHAIN = 7401


def hold_for_transaction(key: int) -> None:
    """Wait for, then hold until commit or rollback, the advisory lock ``key``."""
    if not is_sqlite():
        db.execute_sql("SELECT pg_advisory_xact_lock(%s)", (key,))
