"""A version number per table, in place of one for the whole database (0163_data_version.py).

With one number, a fill put on hold at the counter made the manager's claims dashboard render
again, though it reads no fill: under a full counter that was a dozen dashboard renderings a
second. Now each watched table has a row in table_version, moved by its own trigger in the
same transaction as the write; a kept page that names what it reads is kept under the sum of
those tables' numbers, any other under the sum of all (portal.foundation.page_cache). Committed
numbers only grow, so a sum moves exactly when one of its tables was written.

Left out as before: terminal_session, audit_event and the migrations' own table, and now
table_version itself. On PostgreSQL the statement-level trigger still takes the audit chain's
advisory lock before anything else (0163's note on lock order); TG_TABLE_NAME names the row.

A migration that creates a table adds its row and triggers with watch() below;
tests/core/test_page_cache.py names any table without them.
"""

from peewee import *

AUDIT_CHAIN = 7401  # portal.foundation.locks.AUDIT_CHAIN
UNWATCHED = ("data_version", "table_version", "terminal_session", "schema_migration", "audit_event")
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


def watch(db, table: str, start: int = 0) -> None:
    """table's row in table_version and the triggers that move it on every write."""
    db.execute_sql(
        "INSERT INTO table_version (name, n) VALUES (" + _marks(db) + ")", (table, start)
    )
    if _is_sqlite(db):
        for event in EVENTS:
            db.execute_sql(
                f'CREATE TRIGGER "table_version_{table}_{event}" AFTER {event.upper()} ON "{table}"'
                f" BEGIN UPDATE table_version SET n = n + 1 WHERE name = '{table}'; END"
            )
    else:
        db.execute_sql(
            f'CREATE TRIGGER "table_version_{table}" BEFORE INSERT OR UPDATE OR DELETE OR TRUNCATE'
            f' ON "{table}" FOR EACH STATEMENT EXECUTE FUNCTION table_version_bump()'
        )


def unwatch(db, table: str) -> None:
    _drop_triggers(db, table, "table_version")
    db.execute_sql("DELETE FROM table_version WHERE name = " + _marks(db, 1), (table,))


def _marks(db, count: int = 2) -> str:
    return ", ".join(["?" if _is_sqlite(db) else "%s"] * count)


def _drop_triggers(db, table: str, prefix: str) -> None:
    if _is_sqlite(db):
        for event in EVENTS:
            db.execute_sql(f'DROP TRIGGER IF EXISTS "{prefix}_{table}_{event}"')
    else:
        db.execute_sql(f'DROP TRIGGER IF EXISTS "{prefix}_{table}" ON "{table}"')


def _old_watch(db, table: str) -> None:
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


def up(migrator, db):
    db.execute_sql("CREATE TABLE table_version (name VARCHAR(255) PRIMARY KEY, n BIGINT NOT NULL)")
    if not _is_sqlite(db):
        db.execute_sql(f"""
            CREATE FUNCTION table_version_bump() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                PERFORM pg_advisory_xact_lock({AUDIT_CHAIN});
                UPDATE table_version SET n = n + 1 WHERE name = TG_TABLE_NAME;
                RETURN NULL;
            END
            $$""")
    # Every table starts at the old number, so no sum repeats one a server kept pages under.
    (start,) = db.execute_sql("SELECT n FROM data_version").fetchone()
    for table in _tables(db):
        _drop_triggers(db, table, "data_version")
        watch(db, table, start)
    if not _is_sqlite(db):
        db.execute_sql("DROP FUNCTION data_version_bump()")
    db.execute_sql("DROP TABLE data_version")


def down(migrator, db):
    (start,) = db.execute_sql("SELECT COALESCE(SUM(n), 0) FROM table_version").fetchone()
    db.execute_sql("CREATE TABLE data_version (id INTEGER PRIMARY KEY, n BIGINT NOT NULL)")
    db.execute_sql("INSERT INTO data_version (id, n) VALUES (1, " + _marks(db, 1) + ")", (start,))
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
        unwatch(db, table)
        _old_watch(db, table)
    if not _is_sqlite(db):
        db.execute_sql("DROP FUNCTION table_version_bump()")
    db.execute_sql("DROP TABLE table_version")
