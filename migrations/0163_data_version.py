"""One number that changes with every committed write: the data version the counter pages are
kept rendered under (portal.foundation.page_cache).

A trigger on every table adds one to data_version.n in the same transaction as the write, so
a rollback takes it back and a reader sees the new number exactly when it sees the new rows,
whatever wrote them (a request, a CLI command, a bulk import, a second server on PostgreSQL).
Left out: terminal_session (every request's activity record and idle lock; the page cache
keys on those columns itself), audit_event (read only by the audit trail and reports, which
are not kept; without it, a patient record opened at one terminal, which writes a "view" event,
would make every terminal render its pages again; tests/core/test_page_cache.py checks that
no kept page reads it) and the migrations' own table.

On PostgreSQL one statement-level trigger per table, run BEFORE the statement touches a row:
it takes the audit chain's advisory lock (portal.foundation.locks.AUDIT_CHAIN), then moves
the number. A transaction's first write thus takes that lock before any row lock, the order
the portal keeps everywhere (audited writes take it first too; a SELECT ... FOR UPDATE takes
it before the row: pins.locked_row). Run after the statement instead, it would come after
the statement's row locks, and two terminals saving at once could each hold what the other
waits for (seen as deadlocks when eight terminals took Rx numbers at once). SQLite lets one
writer in at a time.

A migration that creates a table adds the same triggers (watch() below);
tests/core/test_page_cache.py names any table without them.
"""

from peewee import *

AUDIT_CHAIN = 7401  # portal.foundation.locks.AUDIT_CHAIN
UNWATCHED = ("data_version", "terminal_session", "schema_migration", "audit_event")
EVENTS = ("insert", "update", "delete")


def _is_sqlite(db):
    return isinstance(db, SqliteDatabase)


def _tables(db) -> list[str]:
    if _is_sqlite(db):
        found = db.get_tables()
    else:  # the schema in use (tests run each in their own), not only "public"
        cursor = db.execute_sql(
            "SELECT tablename FROM pg_tables WHERE schemaname = current_schema()"
        )
        found = [name for (name,) in cursor.fetchall()]
    # Not SQLite's own tables (sqlite_stat1 from ANALYZE): it refuses triggers on them.
    return [t for t in found if t not in UNWATCHED and not t.startswith("sqlite_")]


def watch(db, table: str) -> None:
    """Triggers that move the data version on every write to table."""
    if _is_sqlite(db):
        for event in EVENTS:
            db.execute_sql(
                f'CREATE TRIGGER "data_version_{table}_{event}" AFTER {event.upper()} ON "{table}"'
                " BEGIN UPDATE data_version SET n = n + 1; END"
            )
    else:
        db.execute_sql(
            f'CREATE TRIGGER "data_version_{table}" BEFORE INSERT OR UPDATE OR DELETE OR TRUNCATE'
            f' ON "{table}" FOR EACH STATEMENT EXECUTE FUNCTION data_version_bump()'
        )


def unwatch(db, table: str) -> None:
    if _is_sqlite(db):
        for event in EVENTS:
            db.execute_sql(f'DROP TRIGGER IF EXISTS "data_version_{table}_{event}"')
    else:
        db.execute_sql(f'DROP TRIGGER IF EXISTS "data_version_{table}" ON "{table}"')


def up(migrator, db):
    db.execute_sql("CREATE TABLE data_version (id INTEGER PRIMARY KEY, n BIGINT NOT NULL)")
    db.execute_sql("INSERT INTO data_version (id, n) VALUES (1, 0)")
    if not _is_sqlite(db):
        db.execute_sql(f"""
            CREATE FUNCTION data_version_bump() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                PERFORM pg_advisory_xact_lock({AUDIT_CHAIN});
                UPDATE data_version SET n = n + 1;
                RETURN NULL;
            END
            $$""")
    for table in _tables(db):
        watch(db, table)


def down(migrator, db):
    for table in _tables(db):
        unwatch(db, table)
    if not _is_sqlite(db):
        db.execute_sql("DROP FUNCTION data_version_bump()")
    db.execute_sql("DROP TABLE data_version")
