"""`flask backup PATH`: a consistent copy of the SQLite database while the portal runs."""

import sqlite3
from pathlib import Path

import click
from flask import Flask

from portal.foundation.db import connection, db, is_sqlite


def backup_to(path: Path) -> None:
    """Copy the live database with SQLite's online backup API (safe during writes)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with connection():
        target = sqlite3.connect(path)
        try:
            db.connection().backup(target)
        finally:
            target.close()


def init_app(app: Flask) -> None:
    @app.cli.command("backup")
    @click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
    def backup_command(path: Path):
        """Write a consistent copy of the SQLite database to PATH."""
        if not is_sqlite():
            raise click.ClickException(
                "backup copies the SQLite database; for PostgreSQL use pg_dump (see README)."
            )
        if path.exists():
            raise click.ClickException(f"{path} exists; choose a new file name.")
        backup_to(path)
        click.echo(f"backed up to {path}")
