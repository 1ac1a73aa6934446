"""The peewee database: declared here, initialised by the app factory from DATABASE_URL."""

from contextlib import contextmanager

from flask import Flask
from peewee import DatabaseProxy, Model, SqliteDatabase
from playhouse.db_url import connect

from portal.foundation.files import secure_sqlite_file

db = DatabaseProxy()

SQLITE_PRAGMAS = {
    "journal_mode": "wal",  # readers never block the one writer
    "foreign_keys": 1,
    "busy_timeout": 5000,  # ms to wait for another worker's write lock
    # FULL: fsync on every commit, so a verified fill survives a power cut. WAL + NORMAL
    # could lose the last commits on power loss; a pharmacy's write rate makes FULL cheap.
    "synchronous": "full",
}


class BaseModel(Model):
    """Every Mortar model: bound to the shared database, snake_case table names."""

    class Meta:
        database = db
        legacy_table_names = False


def make_database(url: str):
    """Open a peewee database for a URL (sqlite:///path or postgresql://...)."""
    if url.startswith("sqlite"):
        return connect(url, pragmas=SQLITE_PRAGMAS)
    return connect(url)


def is_sqlite() -> bool:
    return isinstance(db.obj, SqliteDatabase)


def write_transaction():
    """A transaction for read-then-write work.

    On SQLite a plain BEGIN takes the write lock only at the first write, so two workers
    that both read first can deadlock and one fails with "database is locked"; BEGIN
    IMMEDIATE takes the lock up front and the other waits out busy_timeout instead.
    """
    if is_sqlite():
        return db.atomic(lock_type="IMMEDIATE")
    return db.atomic()


@contextmanager
def connection():
    """Use the database outside a request (CLI commands, scripts)."""
    opened = db.connect(reuse_if_open=True)
    try:
        yield db
    finally:
        if opened:
            db.close()


def init_app(app: Flask) -> None:
    """Bind the proxy to the configured database; close the connection after each request.

    The connection opens on the request's first query (peewee's autoconnect), so a request
    that needs no database, or reports its absence like /healthz, does not fail up front.
    """
    database = make_database(app.config["DATABASE_URL"])
    if isinstance(database, SqliteDatabase):
        secure_sqlite_file(database.database)  # owner-only, with its WAL
    db.initialize(database)

    @app.teardown_request
    def _close(exc):
        if not db.is_closed():
            if db.in_transaction():
                db.rollback()
            db.close()
