"""`db upgrade` copies an existing SQLite database before migrating it, keeping the newest
UPGRADE_BACKUPS_KEPT copies, and the copy restores with `restore`."""

import sqlite3
from pathlib import Path

import pytest

from portal import migrate
from portal.foundation.db import connection, is_sqlite
from portal.patients.models import Patient
from tests.factories import make_patient


@pytest.fixture
def one_behind(app):
    """A database holding a patient, with its newest migration undone (so one is pending)."""
    if not is_sqlite():
        pytest.skip("the automatic copy is of a SQLite database (PostgreSQL: pg_dump, README)")
    make_patient(last_name="Okonkwo", first_name="Adaeze")
    with connection():
        (undone,) = migrate.runner().down()
    return undone


def _copies(app) -> list[Path]:
    return sorted((Path(app.instance_path) / "backups").glob("pre-upgrade-*.db"))


def test_upgrade_copies_the_database_before_migrating(app, runner, one_behind):
    result = runner.invoke(args=["db", "upgrade"])
    assert result.exit_code == 0, result.output
    (copy,) = _copies(app)
    assert f"backed up to {copy} before upgrading" in result.output
    assert f"applied {one_behind}" in result.output
    assert copy.stat().st_mode & 0o077 == 0
    with sqlite3.connect(copy) as saved:
        assert saved.execute("SELECT last_name FROM patient").fetchall() == [("Okonkwo",)]
        applied = {name for (name,) in saved.execute("SELECT name FROM schema_migration")}
    assert one_behind not in applied  # the copy is the database as it was before


def test_only_the_newest_copies_are_kept(make_app, one_behind):
    app = make_app(UPGRADE_BACKUPS_KEPT=2)
    runner = app.test_cli_runner()
    with app.app_context():  # this app's settings, not the fixture's
        for _ in range(3):
            assert runner.invoke(args=["db", "upgrade"]).exit_code == 0
            with connection():
                migrate.runner().down()
    names = [copy.name for copy in _copies(app)]
    assert len(names) == 2
    assert names == sorted(names)


def test_nothing_is_copied_when_nothing_is_pending(app, runner):
    result = runner.invoke(args=["db", "upgrade"])
    assert "schema is up to date" in result.output
    assert not _copies(app)


def test_no_copy_when_switched_off(make_app, one_behind):
    app = make_app(UPGRADE_BACKUPS_KEPT=0)
    with app.app_context():
        assert app.test_cli_runner().invoke(args=["db", "upgrade"]).exit_code == 0
    assert not _copies(app)


def test_the_copy_restores(app, runner, one_behind):
    runner.invoke(args=["db", "upgrade"])
    (copy,) = _copies(app)
    make_patient(last_name="Laterentry")
    result = runner.invoke(args=["restore", str(copy)], input="y\n")
    assert result.exit_code == 0, result.output
    assert "Replace the database with this backup?" in result.output
    assert f"applied {one_behind}" in result.output  # the restored copy is brought up to date
    with connection():
        assert [p.last_name for p in Patient.select()] == ["Okonkwo"]
