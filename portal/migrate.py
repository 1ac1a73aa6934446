"""Schema migrations: numbered files in migrations/, run by playhouse.migrations."""

from pathlib import Path

import click
from flask import Flask, current_app
from playhouse.migrations import Runner
from playhouse.schema_diff import diff_models

from portal import backup
from portal.foundation.db import connection, db, is_sqlite, refresh_statistics
from portal.foundation.resources import MIGRATIONS
from portal.schema import all_models

MIGRATIONS_DIR = MIGRATIONS


def runner() -> Runner:
    return Runner(db.obj, directory=str(MIGRATIONS_DIR))


def upgrade() -> list[str]:
    """Apply every pending migration, then refresh the planner's statistics (new indexes
    are only chosen well once they are counted); returns the names applied."""
    with connection():
        applied = runner().up()
        refresh_statistics()
        return applied


def pending() -> list[str]:
    with connection():
        return [m.name for m in runner().status() if not m.applied and m.path]


def backup_before_upgrade() -> Path | None:
    """A copy of an existing SQLite database with migrations waiting (None when there is
    nothing to protect: a new database, nothing pending, or UPGRADE_BACKUPS_KEPT = 0)."""
    keep = current_app.config["UPGRADE_BACKUPS_KEPT"]
    with connection():
        migrations = [m for m in runner().status() if m.path or m.applied]
    waiting = any(not m.applied for m in migrations)
    if not keep or not waiting or not any(m.applied for m in migrations):
        return None
    if not is_sqlite():
        click.echo("PostgreSQL is not copied automatically: take a pg_dump first (README).")
        return None
    return backup.before_upgrade(Path(current_app.instance_path) / "backups", keep)


def init_app(app: Flask) -> None:
    group = click.Group("db", help="Database schema migrations.")

    @group.command("upgrade")
    @click.option("--no-backup", is_flag=True, help="Skip the copy taken before migrating.")
    def upgrade_command(no_backup: bool):
        """Apply pending migrations (safe to run on every start). An existing SQLite database
        is copied to instance/backups/pre-upgrade-*.db first (the last UPGRADE_BACKUPS_KEPT)."""
        copy = None if no_backup else backup_before_upgrade()
        if copy:
            click.echo(f"backed up to {copy} before upgrading")
        applied = upgrade()
        click.echo("\n".join(f"applied {name}" for name in applied) or "schema is up to date")

    @group.command("analyze")
    def analyze_command():
        """Refresh the query planner's statistics (schedule daily, beside `audit verify`)."""
        with connection():
            refresh_statistics()
        click.echo("statistics refreshed")

    @group.command("status")
    def status_command():
        """List migrations and whether each is applied."""
        with connection():
            for migration in runner().status():
                mark = (
                    migration.applied.strftime("%Y-%m-%d %H:%M") if migration.applied else "pending"
                )
                click.echo(f"{migration.name:50} {mark}")

    @group.command("diff")
    def diff_command():
        """Show how the database differs from the models (empty when in step)."""
        with connection():
            difference = diff_models(db.obj, all_models())
        click.echo(str(difference) if difference else "no differences")

    @group.command("create")
    @click.argument("name")
    def create_command(name):
        """Write a numbered migration file for NAME, generated from the model diff."""
        from playhouse.migrations import template

        with connection():
            difference = diff_models(db.obj, all_models())
            path = runner().create(name, body=template(difference) if difference else None)
        click.echo(f"wrote {path}")

    app.cli.add_command(group)
