"""The peewee database: declared here, initialised by the app factory from DATABASE_URL."""

import threading
from collections.abc import Callable
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from flask import Flask
from peewee import DatabaseProxy, Model, OperationalError, SqliteDatabase
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


# Connections kept open between requests (per server, not per thread): waitress runs 8
# threads, CLI work and the label pool add a few. A connection idle this long is reopened.
POOL_SIZE = 32
POOL_STALE_SECONDS = 600


# Statements run in this context: the access log's SQL count (reset as a request starts).
# Counted here rather than through peewee's DEBUG logger, which builds a log record for
# every statement (about 16 us each, some 5% of a light page).
statements_run: ContextVar[int] = ContextVar("statements_run", default=0)
# And of them, those that are not a plain SELECT (writes, transactions, savepoints): a page
# that ran any is not kept rendered (portal.foundation.page_cache).
others_run: ContextVar[int] = ContextVar("others_run", default=0)


def _counted(database):
    """database, its statements counted in statements_run (and others_run)."""
    execute_sql = database.execute_sql

    def counted(sql, params=None, *args, **kwargs):
        statements_run.set(statements_run.get() + 1)
        if sql.lstrip()[:6].upper() != "SELECT":
            others_run.set(others_run.get() + 1)
        return execute_sql(sql, params, *args, **kwargs)

    database.execute_sql = counted
    return database


def make_database(url: str, pooled: bool = False):
    """Open a peewee database for a URL (sqlite:///path or postgresql://...).

    pooled: closing hands the connection back for the next request instead of ending it.
    Opening one costs 3-6 ms on SQLite (the pragmas) and about 10 ms on PostgreSQL, a fifth
    to a third of a light page.
    """
    options = {"pragmas": SQLITE_PRAGMAS} if url.startswith("sqlite") else {}
    if pooled:
        scheme, rest = url.split("://", 1)
        url = f"{scheme}+pool://{rest}"
        options |= {"max_connections": POOL_SIZE, "stale_timeout": POOL_STALE_SECONDS}
        if url.startswith("sqlite"):
            # A pooled connection serves one request at a time but not always on the thread
            # that opened it; sqlite3 refuses that unless told (safe: never two at once).
            options["check_same_thread"] = False
    return _counted(connect(url, **options))


class Prepared:
    """A select that (nearly) every request runs, its SQL built once per kind of database.

    Peewee turns a query into SQL afresh at every call: for the terminal and its acting user
    (30 columns, a join) that takes longer than SQLite takes to answer it. Here the query is
    built once, with a marker in place of each value, and later calls run the same SQL with
    their own values, the rows made into models by peewee as usual.

    build(*values) returns the query; the values must be text (they stand in a CharField
    comparison), as many as rows() is given.
    """

    MARKER = "\x00prepared-value-{}\x00"

    def __init__(self, build: Callable[..., Any]):
        self.build = build
        # The SQL depends on the database's kind (placeholders, quoting), never on the file.
        self._compiled: dict[type, tuple[Any, str, list[tuple[bool, Any]]]] = {}

    def _compile(self, database, count: int):
        markers = [self.MARKER.format(n) for n in range(count)]
        query = self.build(*markers)
        sql, params = query.sql()
        slots = [
            (True, markers.index(value)) if value in markers else (False, value) for value in params
        ]
        if sum(is_value for is_value, _ in slots) != count:
            raise ValueError("each value of a prepared query must appear once in its SQL")
        compiled = self._compiled[type(database)] = (query, sql, slots)
        return compiled

    def rows(self, *values: str) -> list:
        """Every row (as models) for these values."""
        database = db.obj
        compiled = self._compiled.get(type(database)) or self._compile(database, len(values))
        query, sql, slots = compiled
        params = [values[slot] if is_value else slot for is_value, slot in slots]
        cursor = database.execute_sql(sql, params)
        # Read to the end, so SQLite finishes the statement and lets its snapshot go.
        return list(query._get_cursor_wrapper(cursor))

    def first(self, *values: str):
        """The first row for these values, or None."""
        found = self.rows(*values)
        return found[0] if found else None


def is_sqlite() -> bool:
    return isinstance(db.obj, SqliteDatabase)


@contextmanager
def write_transaction():
    """A transaction for read-then-write work.

    On SQLite a plain BEGIN takes the write lock only at the first write, so two workers
    that both read first can deadlock and one fails with "database is locked"; BEGIN
    IMMEDIATE takes the lock up front and the other waits out busy_timeout instead.

    The server's threads also queue for it on a lock of this process's: SQLite's busy
    handler sleeps between tries, up to 100 ms a time, and lets whoever tries at the right
    moment in first, so under a full counter one writer waited 0.5-2 s while others came
    and went (bench.counter_day, 1M fills: hold and resume p99 760 ms). Other processes
    (commands, backups) still meet SQLite's own lock. Nested in a transaction already open,
    it is a savepoint and takes nothing.
    """
    if not is_sqlite() or db.in_transaction():
        with db.atomic():
            yield
        return
    if not _sqlite_writer.acquire(timeout=SQLITE_PRAGMAS["busy_timeout"] / 1000):
        raise OperationalError("database is locked")
    try:
        with db.atomic(lock_type="IMMEDIATE"):
            yield
    finally:
        _sqlite_writer.release()


_sqlite_writer = threading.Lock()


# Rows ANALYZE reads per index on SQLite; 0 reads them all. A sampled run (1000) misjudged
# the fill table's size eightfold from one index to the next and sent the staff report
# through a foreign-key index (1.4 s against 2 ms at 200k fills); reading everything takes
# about 2 s at that size, once a day and on upgrade (sqlite.org/lang_analyze.html).
ANALYSIS_LIMIT = 0


def refresh_statistics(tables: tuple[str, ...] = ()) -> None:
    """Refresh the query planner's statistics, for every table or the ones named.

    Without them SQLite judges indexes by their shape alone and picked (status, date) over
    the claims queue's own index, reading every open claim; PostgreSQL's autovacuum catches
    up with a bulk import only later. Run by `db upgrade`, `db analyze` (daily) and after
    catalog imports.
    """
    targets = [f'"{table}"' for table in tables] or [""]
    if is_sqlite():
        db.execute_sql(f"PRAGMA analysis_limit={ANALYSIS_LIMIT}")
    for target in targets:
        db.execute_sql(f"ANALYZE {target}".strip())


@contextmanager
def connection():
    """Use the database outside a request (CLI commands, scripts)."""
    opened = db.connect(reuse_if_open=True)
    try:
        yield db
    finally:
        if opened:
            db.close()


def close_all() -> None:
    """End every connection the pool keeps (tests switching databases, shutdown)."""
    if not db.is_closed():
        db.close()
    if hasattr(db.obj, "close_all"):
        db.obj.close_all()


def init_app(app: Flask) -> None:
    """Bind the proxy to the configured database; hand the connection back after each request.

    The connection opens on the request's first query (peewee's autoconnect), so a request
    that needs no database, or reports its absence like /healthz, does not fail up front.
    Connections are pooled (DATABASE_POOL, on by default): a request left in a transaction
    is rolled back before its connection goes back.
    """
    database = make_database(app.config["DATABASE_URL"], pooled=app.config["DATABASE_POOL"])
    if isinstance(database, SqliteDatabase):
        secure_sqlite_file(database.database)  # owner-only, with its WAL
    db.initialize(database)
    app.extensions["database"] = database

    @app.teardown_request
    def _close(exc):
        if not db.is_closed():
            if db.in_transaction():
                db.rollback()
            db.close()
