"""`flask restore BACKUP`: asks first, keeps the current database, and leaves an audit trail
that verifies (the restore itself recorded in it)."""

import os
import sqlite3
import stat

import pytest

from portal.audit import anchor
from portal.audit import log as audit
from portal.audit.models import AuditEvent
from portal.auth.models import User
from portal.foundation.db import is_sqlite, write_transaction
from tests.factories import make_user


@pytest.fixture
def sqlite_only(app):
    if not is_sqlite():
        pytest.skip("flask restore restores SQLite; PostgreSQL uses pg_restore")


def _add_user(username):
    with write_transaction():
        user = make_user(username=username)
        audit.record("create", "user", user.id, after={"username": username})


def _backup(runner, tmp_path):
    target = tmp_path / "backups" / "nightly.db"
    result = runner.invoke(args=["backup", str(target)])
    assert result.exit_code == 0, result.output
    return target


def _usernames():
    return {user.username for user in User.select()}


def test_restore_asks_and_a_no_changes_nothing(app, runner, tmp_path, sqlite_only):
    _add_user("before")
    backup = _backup(runner, tmp_path)
    _add_user("after")
    result = runner.invoke(args=["restore", str(backup)], input="n\n")
    assert result.exit_code == 1
    assert "Replace the database with this backup?" in result.output
    assert {"before", "after"} <= _usernames()
    assert not (tmp_path / "instance" / "backups").exists()


def test_restore_brings_the_backup_back_and_keeps_the_current_database(
    app, runner, tmp_path, sqlite_only
):
    _add_user("before")
    backup = _backup(runner, tmp_path)
    _add_user("after")
    assert runner.invoke(args=["audit", "verify"]).exit_code == 0  # a checkpoint past the backup

    result = runner.invoke(args=["restore", str(backup)], input="y\n")
    assert result.exit_code == 0, result.output
    assert "before" in _usernames() and "after" not in _usernames()

    (kept,) = (tmp_path / "instance" / "backups").glob("pre-restore-*.db")
    assert stat.S_IMODE(os.stat(kept).st_mode) == 0o600
    copy = sqlite3.connect(kept)
    names = {row[0] for row in copy.execute("SELECT username FROM user")}
    copy.close()
    assert "after" in names

    last = AuditEvent.select().order_by(AuditEvent.id.desc()).first()
    assert last.action == "start_over" and "restored from nightly.db" in last.note
    assert list(anchor.folder().glob("checkpoint-before-*.json"))  # the old anchor is kept
    verified = runner.invoke(args=["audit", "verify"])
    assert verified.exit_code == 0, verified.output


def test_a_backup_cut_short_after_it_was_taken_is_reported(app, runner, tmp_path, sqlite_only):
    for number in range(5):
        _add_user(f"user{number}")
    backup = _backup(runner, tmp_path)
    copy = sqlite3.connect(backup)  # the last events deleted from the backup file
    with copy:
        copy.execute("DELETE FROM audit_event WHERE id > (SELECT MAX(id) - 3 FROM audit_event)")
    copy.close()
    asked = runner.invoke(args=["restore", str(backup)], input="n\n")
    assert "does not match the checkpoint kept with it" in asked.output
    result = runner.invoke(args=["restore", "--yes", str(backup)])
    assert result.exit_code == 1
    assert "restored audit trail is broken" in result.output
    assert "events were deleted" in result.output


def test_a_file_that_is_not_a_backup_is_refused(app, runner, tmp_path, sqlite_only):
    _add_user("stays")
    junk = tmp_path / "notes.db"
    junk.write_text("not a database at all " * 100)
    result = runner.invoke(args=["restore", "--yes", str(junk)])
    assert result.exit_code != 0
    assert "is not a Mortar database" in result.output
    assert "stays" in _usernames()


def test_postgresql_restores_with_pg_restore(app, runner, tmp_path, postgres_only):
    backup = tmp_path / "x.db"
    backup.write_text("x")
    result = runner.invoke(args=["restore", "--yes", str(backup)])
    assert result.exit_code != 0
    assert "pg_restore" in result.output


def test_after_a_pg_restore_start_over_anchors_the_restored_trail(app, runner):
    for number in range(6):
        _add_user(f"user{number}")
    assert runner.invoke(args=["audit", "verify"]).exit_code == 0
    # What restoring an older dump looks like to the checkpoint: the newest events are gone.
    newest = [row.id for row in AuditEvent.select().order_by(AuditEvent.id.desc()).limit(3)]
    AuditEvent.delete().where(AuditEvent.id.in_(newest)).execute()
    assert runner.invoke(args=["audit", "verify"]).exit_code == 1
    refused = runner.invoke(args=["audit", "start-over"], input="n\n")
    assert refused.exit_code == 1 and anchor.last_checkpoint().count == 6
    result = runner.invoke(args=["audit", "start-over"], input="y\n")
    assert result.exit_code == 0, result.output
    assert AuditEvent.select().order_by(AuditEvent.id.desc()).first().action == "start_over"
    assert list(anchor.folder().glob("checkpoint-before-*.json"))
    assert runner.invoke(args=["audit", "verify"]).exit_code == 0
