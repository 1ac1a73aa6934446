"""Patient data and keys are owner-only on disk: the database and its WAL, backups,
uploaded scans, the secret key and the audit key (0600, folders 0700), whatever the umask."""

import io
import os
import stat

import pytest
from werkzeug.datastructures import FileStorage

from portal.audit import anchor
from portal.foundation.db import db, is_sqlite
from portal.prescriptions.intake import uploads


def _mode(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


@pytest.fixture(autouse=True)
def usual_umask():
    """The common default: without care, files come out 0644 and folders 0755."""
    previous = os.umask(0o022)
    yield
    os.umask(previous)


@pytest.fixture
def sqlite_only(bare_app):
    if not is_sqlite():
        pytest.skip("SQLite files only")


def test_instance_folder_and_both_keys_are_owner_only(make_app, tmp_path):
    app = make_app(SECRET_KEY="", INSTANCE_PATH=str(tmp_path / "fresh" / "instance"))
    instance = tmp_path / "fresh" / "instance"
    assert app.config["SECRET_KEY"] and app.config["AUDIT_KEY"]
    assert _mode(instance) == 0o700
    assert _mode(instance / "secret_key") == 0o600
    assert _mode(instance / "audit") == 0o700
    assert _mode(instance / "audit" / "key") == 0o600


def test_an_instance_folder_left_open_by_an_older_version_is_closed(make_app, tmp_path):
    instance = tmp_path / "old-instance"
    instance.mkdir(mode=0o755)
    os.chmod(instance, 0o755)  # noqa: S103 - as an older version left it
    make_app(INSTANCE_PATH=str(instance))
    assert _mode(instance) == 0o700


def test_a_new_sqlite_database_and_its_wal_are_owner_only(make_app, tmp_path, sqlite_only):
    (tmp_path / "data").mkdir()
    path = tmp_path / "data" / "portal.db"
    app = make_app(DATABASE_URL=f"sqlite:///{path}")
    with app.app_context():
        db.connect(reuse_if_open=True)
        db.execute_sql("CREATE TABLE scratch (x INTEGER)")
        db.execute_sql("INSERT INTO scratch VALUES (1)")
        assert (tmp_path / "data" / "portal.db-wal").exists()
        for name in ("portal.db", "portal.db-wal", "portal.db-shm"):
            assert _mode(tmp_path / "data" / name) == 0o600, name
        db.close()


def test_an_existing_readable_database_is_closed_on_start(make_app, tmp_path, sqlite_only):
    db.close()
    for name in ("portal.db", "portal.db-wal", "portal.db-shm"):
        path = tmp_path / name
        if path.exists():
            os.chmod(path, 0o644)
    make_app()
    assert _mode(tmp_path / "portal.db") == 0o600


def test_backups_and_their_checkpoints_are_owner_only(app, runner, tmp_path, sqlite_only):
    target = tmp_path / "nightly" / "mortar.db"
    result = runner.invoke(args=["backup", str(target)])
    assert result.exit_code == 0, result.output
    assert _mode(target.parent) == 0o700
    assert _mode(target) == 0o600
    assert _mode(anchor.beside(target)) == 0o600
    assert _mode(anchor.folder() / anchor.CHECKPOINT) == 0o600


def test_uploaded_scans_and_their_folders_are_owner_only(app):
    with app.test_request_context():
        scan = FileStorage(stream=io.BytesIO(b"%PDF-1.4 prescription"), filename="rx.pdf")
        stored = uploads.store(scan, 1024 * 1024)
        path = uploads.path_of(stored.stored_name)
    assert _mode(path) == 0o600
    assert _mode(path.parent) == 0o700
    assert _mode(path.parent.parent) == 0o700  # uploads/
