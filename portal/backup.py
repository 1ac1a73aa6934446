"""`flask backup PATH`: a consistent copy of the SQLite database while the portal runs."""

import contextlib
import sqlite3
from pathlib import Path

import click
from flask import Flask

from portal.foundation.dates import utcnow
from portal.foundation.db import connection, db, is_sqlite
from portal.foundation.files import create_private, private_folder


def backup_to(path: Path) -> None:
    """Copy the live database with SQLite's online backup API (safe during writes), into a
    new owner-only file (a folder it needs is made owner-only too)."""
    private_folder(path.parent)
    create_private(path)  # 0600 before SQLite writes a page of patient data into it
    try:
        with connection():
            target = sqlite3.connect(path)
            try:
                db.connection().backup(target)
                # One self-contained file: no -wal beside it when it is opened later.
                target.execute("PRAGMA journal_mode=DELETE")
            finally:
                target.close()
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            path.unlink()
        raise


def before_upgrade(folder: Path, keep: int) -> Path:
    """Copy the database to FOLDER/pre-upgrade-<UTC time>.db, then delete all but the newest
    KEEP such copies. No audit checkpoint beside it: the old schema is not the one the audit
    code reads, and `restore` checks a trail without one on its own."""
    copy = folder / f"pre-upgrade-{utcnow():%Y%m%d-%H%M%S-%f}.db"
    backup_to(copy)
    for old in sorted(folder.glob("pre-upgrade-*.db"))[:-keep]:
        old.unlink()
    return copy


def init_app(app: Flask) -> None:
    @app.cli.command("backup")
    @click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
    def backup_command(path: Path):
        """Write a consistent copy of the SQLite database to PATH, with a signed checkpoint
        of its audit trail beside it (PATH.checkpoint.json)."""
        from portal.audit import anchor

        if not is_sqlite():
            raise click.ClickException(
                "backup copies the SQLite database; for PostgreSQL use pg_dump (see README)."
            )
        if path.exists():
            raise click.ClickException(f"{path} exists; choose a new file name.")
        with connection():
            anchored = anchor.write_checkpoint("backup")
        backup_to(path)
        click.echo(f"backed up to {path}")
        if not anchored.ok:
            # The copy is kept (the data matter more), but nobody may take it for a clean one.
            click.echo(f"WARNING: the audit trail is broken: {anchored.why}.", err=True)
            raise SystemExit(1)
        anchor.keep_beside(path)
        click.echo(f"audit checkpoint: {anchor.beside(path)}")
