"""Database behaviour: SQLite pragmas, concurrent read-then-write, online backup."""

import sqlite3
import threading

import pytest
from peewee import SqliteDatabase

from portal.foundation.db import db, make_database, write_transaction
from portal.foundation.settings import Setting


@pytest.fixture
def sqlite_only(app):
    if not isinstance(db.obj, SqliteDatabase):
        pytest.skip("SQLite behaviour")


def test_sqlite_pragmas(sqlite_only):
    assert db.execute_sql("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert db.execute_sql("PRAGMA foreign_keys").fetchone()[0] == 1
    assert db.execute_sql("PRAGMA busy_timeout").fetchone()[0] == 5000
    assert db.execute_sql("PRAGMA synchronous").fetchone()[0] == 2  # FULL


def test_concurrent_read_then_write_does_not_fail_with_database_locked(app, sqlite_only):
    """Two workers each read a counter then write it back; IMMEDIATE serialises them."""
    url = app.config["DATABASE_URL"]
    Setting.create(key="counter", value="0")
    db.close()
    errors, rounds = [], 25

    def worker():
        own = make_database(url)  # a worker process's own connection
        for _ in range(rounds):
            try:
                with own.atomic(lock_type="IMMEDIATE"):
                    (value,) = own.execute_sql(
                        "SELECT value FROM setting WHERE key = 'counter'"
                    ).fetchone()
                    own.execute_sql(
                        "UPDATE setting SET value = ? WHERE key = 'counter'", (str(int(value) + 1),)
                    )
            except Exception as error:  # noqa: BLE001 - collected for the assertion
                errors.append(error)
        own.close()

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert Setting.get(Setting.key == "counter").value == str(4 * rounds)


def test_write_transaction_takes_the_write_lock_up_front(app, sqlite_only):
    with write_transaction():
        other = sqlite3.connect(app.config["DATABASE_URL"].removeprefix("sqlite:///"), timeout=0)
        with pytest.raises(sqlite3.OperationalError, match="locked"):
            other.execute("BEGIN IMMEDIATE")
        other.close()


def test_backup_command_copies_the_live_database(app, runner, tmp_path, sqlite_only):
    Setting.create(key="marker", value='"kept"')
    target = tmp_path / "backup.db"
    result = runner.invoke(args=["backup", str(target)])
    assert result.exit_code == 0, result.output
    copy = sqlite3.connect(target)
    assert copy.execute("SELECT value FROM setting WHERE key='marker'").fetchone() == ('"kept"',)
    again = runner.invoke(args=["backup", str(target)])
    assert again.exit_code != 0 and "exists" in again.output
