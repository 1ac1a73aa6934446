"""Database behaviour: SQLite pragmas, concurrent read-then-write, online backup."""

import sqlite3
import threading

import pytest
from peewee import SqliteDatabase

from portal.foundation.db import db, make_database, write_transaction
from portal.foundation.settings import Setting
from tests.security.concurrency import at_once


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


def test_the_servers_writers_take_turns_on_a_lock_of_its_own(app, sqlite_only):
    """Eight threads of one server writing at once, through write_transaction, as the counter
    does: each waits its turn on the process's lock (not SQLite's sleeping busy handler),
    none fails, none loses another's write."""
    Setting.create(key="counter", value="0")
    db.close()
    rounds, inside, most_inside = 20, [0], [0]
    count = threading.Lock()

    def writer():
        for _ in range(rounds):
            with write_transaction():
                with count:
                    inside[0] += 1
                    most_inside[0] = max(most_inside[0], inside[0])
                row = Setting.get(Setting.key == "counter")
                row.value = str(int(row.value) + 1)
                row.save()
                with count:
                    inside[0] -= 1

    at_once([writer] * 8)
    assert most_inside == [1]
    assert Setting.get(Setting.key == "counter").value == str(8 * rounds)


def test_a_write_inside_a_write_is_a_savepoint_of_it(app, sqlite_only):
    with write_transaction():
        Setting.create(key="outer", value="1")
        with pytest.raises(ValueError), write_transaction():
            Setting.create(key="inner", value="1")
            raise ValueError("the inner part fails")
    assert Setting.get_or_none(Setting.key == "outer") is not None
    assert Setting.get_or_none(Setting.key == "inner") is None


def test_a_writer_kept_waiting_past_busy_timeout_fails_as_sqlite_would(
    app, sqlite_only, monkeypatch
):
    from portal.foundation import db as database

    monkeypatch.setitem(database.SQLITE_PRAGMAS, "busy_timeout", 50)
    entered, leave, failures = threading.Event(), threading.Event(), []

    def holder():
        with write_transaction():
            entered.set()
            leave.wait(5)
        db.close()

    thread = threading.Thread(target=holder)
    thread.start()
    entered.wait(5)
    try:
        with write_transaction():
            pass
    except Exception as error:  # noqa: BLE001 - what the waiting writer met
        failures.append(error)
    leave.set()
    thread.join()
    assert [str(error) for error in failures] == ["database is locked"]
    with write_transaction():  # the lock was let go
        Setting.create(key="after", value="1")


def test_backup_command_copies_the_live_database(app, runner, tmp_path, sqlite_only):
    Setting.create(key="marker", value='"kept"')
    target = tmp_path / "backup.db"
    result = runner.invoke(args=["backup", str(target)])
    assert result.exit_code == 0, result.output
    copy = sqlite3.connect(target)
    assert copy.execute("SELECT value FROM setting WHERE key='marker'").fetchone() == ('"kept"',)
    again = runner.invoke(args=["backup", str(target)])
    assert again.exit_code != 0 and "exists" in again.output
