"""`flask restore BACKUP`: put a backup back in place of the SQLite database.

Asks first, keeps a copy of the database as it was (instance/backups/pre-restore-*.db),
copies the backup in with SQLite's backup API (never by replacing the file under a running
portal and its WAL), applies the migrations the backup lacks, and anchors the audit trail
afresh: it now legitimately ends earlier than the last checkpoint, which is kept beside.
"""

import sqlite3
from dataclasses import dataclass
from pathlib import Path

import click
from flask import Flask, current_app
from peewee import fn

from portal.audit.models import AuditEvent
from portal.foundation.db import connection, db, is_sqlite


@dataclass
class Contents:
    events: int
    last_event_at: str  # UTC, as stored


def _open_read_only(path: Path) -> sqlite3.Connection:
    # immutable: read the file as it is, creating no -wal or -shm beside a backup.
    return sqlite3.connect(f"file:{path.resolve()}?mode=ro&immutable=1", uri=True)


def describe(path: Path) -> Contents:
    """What a database file holds; ClickException when it is not a sound Mortar database."""
    wal = Path(f"{path}-wal")
    if wal.exists() and wal.stat().st_size:
        raise click.ClickException(
            f"{wal} holds changes not yet folded into {path}: copy databases with "
            "`flask backup`, not by hand."
        )
    try:
        source = _open_read_only(path)
        try:
            if source.execute("PRAGMA quick_check").fetchone()[0] != "ok":
                raise click.ClickException(f"{path} is damaged (SQLite's quick_check failed).")
            count, last = source.execute("SELECT COUNT(*), MAX(at) FROM audit_event").fetchone()
        finally:
            source.close()
    except sqlite3.DatabaseError as error:
        raise click.ClickException(f"{path} is not a Mortar database ({error}).") from error
    return Contents(events=count, last_event_at=str(last or "none"))


def matches_checkpoint(path: Path, checkpoint) -> bool:
    """Does the backup still hold the head event its checkpoint signed, with as many events
    up to it? (A quick look before restoring; the full walk follows the restore.)"""
    source = _open_read_only(path)
    try:
        head = source.execute(
            "SELECT hash FROM audit_event WHERE id = ?", (checkpoint.head_id,)
        ).fetchone()
        (count,) = source.execute(
            "SELECT COUNT(*) FROM audit_event WHERE id <= ?", (checkpoint.head_id,)
        ).fetchone()
    finally:
        source.close()
    expected = checkpoint.head if checkpoint.head_id else None
    return (head[0] if head else None) == expected and count == checkpoint.count


def describe_live() -> Contents:
    """The live database's trail, read through the portal's connection (WAL included)."""
    with connection():
        count, last = AuditEvent.select(fn.COUNT(AuditEvent.id), fn.MAX(AuditEvent.at)).scalar(
            as_tuple=True
        )
    return Contents(events=count, last_event_at=str(last or "none"))


def copy_into_live(backup: Path) -> None:
    """Overwrite the live database's pages with the backup's, in one locked step."""
    source = _open_read_only(backup)
    try:
        with connection():
            source.backup(db.connection())
    finally:
        source.close()


def init_app(app: Flask) -> None:
    @app.cli.command("restore")
    @click.argument(
        "backup", type=click.Path(exists=True, dir_okay=False, readable=True, path_type=Path)
    )
    @click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
    def restore_command(backup: Path, yes: bool):
        """Replace the database with BACKUP, after a copy of the current one."""
        from portal import migrate
        from portal.audit import anchor
        from portal.backup import backup_to
        from portal.foundation.dates import utcnow

        if not is_sqlite():
            raise click.ClickException(
                "restore replaces the SQLite database; for PostgreSQL use pg_restore, then "
                "`flask audit start-over` (see README)."
            )
        live = Path(db.obj.database)
        if backup.resolve() == live.resolve():
            raise click.ClickException(f"{backup} is the live database itself.")
        wanted = describe(backup)
        try:
            with connection():
                kept = anchor.checkpoint_beside(backup)
        except anchor.CheckpointAltered as altered:
            raise click.ClickException(f"{anchor.beside(backup)}: {altered}.") from altered
        current = describe_live()
        click.echo(
            f"Backup:   {backup}\n          {wanted.events} audit events, the last at "
            f"{wanted.last_event_at} UTC\n"
            f"Database: {live}\n          {current.events} audit events, the last at "
            f"{current.last_event_at} UTC\n"
            "Everything entered after the backup was taken will be gone from the portal "
            "(it stays in the copy of the current database)."
        )
        if kept is not None and not matches_checkpoint(backup, kept):
            click.echo(
                f"WARNING: the backup's audit trail does not match the checkpoint kept with it "
                f"({kept.count} events up to event {kept.head_id}): it was altered after "
                "it was taken."
            )
        if not yes:
            click.confirm("Replace the database with this backup?", abort=True)

        copy = (
            Path(current_app.instance_path)
            / "backups"
            / (f"pre-restore-{utcnow():%Y%m%d-%H%M%S}.db")
        )
        backup_to(copy)
        anchor.keep_beside(copy)
        click.echo(f"The current database is kept as {copy}")
        copy_into_live(backup)
        for name in migrate.upgrade():
            click.echo(f"applied {name}")
        with connection():
            result = anchor.start_over(f"restored from {backup.name}; before it: {copy.name}", kept)
        click.echo(f"Restored from {backup}.")
        if kept is None:
            click.echo("No checkpoint was kept with this backup; the trail was checked on its own.")
        if not result.ok:
            click.echo(f"WARNING: the restored audit trail is broken: {result.why}.", err=True)
            raise SystemExit(1)
        click.echo(f"Audit trail intact: {result.count} events; a new checkpoint is signed.")
