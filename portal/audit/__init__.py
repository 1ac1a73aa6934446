"""The audit trail: who did what, when, with before and after; hash-chained and anchored."""

import click
from flask import Blueprint, Flask

from portal.foundation.i18n import lazy_gettext as _l

bp = Blueprint("audit", __name__, url_prefix="/audit")


def _say(result, checkpoint) -> str:
    """One line for the command's output: what was checked, or where it broke."""
    if result.ok:
        against = (
            f"; matches the checkpoint of {checkpoint.at:%Y-%m-%d %H:%M:%S} UTC "
            f"({checkpoint.count} events)"
            if checkpoint
            else "; no checkpoint yet"
        )
        return f"ok: {result.count} events, chain intact{against}"
    bad = result.event
    if bad is None:
        return f"BROKEN: {result.why}. {result.count} events are intact."
    return (
        f"BROKEN at audit event {bad.id} ({bad.action} {bad.entity} "
        f"{bad.entity_id}, {bad.at:%Y-%m-%d %H:%M:%S} UTC): {result.why}. "
        f"{result.count} events before it are intact."
    )


def init_app(app: Flask) -> None:
    from portal.audit import anchor, views
    from portal.foundation import nav

    app.register_blueprint(bp)
    nav.add(app, _l("Audit trail"), "audit.index", roles=views.READERS, order=85)

    @app.after_request
    def _renew_checkpoint(response):
        anchor.maybe_checkpoint()
        return response

    group = click.Group("audit", help="The audit trail.")

    @group.command("verify")
    def verify_command():
        """Walk the whole chain and compare it with the last checkpoint; exit 1 saying where
        it is broken. Run daily by a timer (README); the audit page shows the result."""
        from portal.foundation.db import connection

        with connection():
            result, checkpoint = anchor.check("command")
        click.echo(_say(result, checkpoint))
        if not result.ok:
            raise SystemExit(1)

    @group.command("checkpoint")
    def checkpoint_command():
        """Sign a checkpoint of the chain's head now (e.g. before pg_dump)."""
        from portal.foundation.db import connection

        with connection():
            result = anchor.write_checkpoint("command")
        if not result.ok:
            click.echo(_say(result, None))
            raise SystemExit(1)
        click.echo(f"checkpoint: {result.count} events up to event {result.head_id}")

    @group.command("start-over")
    @click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
    def start_over_command(yes):
        """After restoring a PostgreSQL dump: anchor the restored trail afresh (the old
        checkpoint is kept beside, renamed). `flask restore` does this itself."""
        from portal.foundation.db import connection

        if not yes:
            click.confirm(
                "Only after restoring the database from a backup: the last checkpoint will "
                "no longer be compared against. Continue?",
                abort=True,
            )
        with connection():
            result = anchor.start_over("started over after a restore")
        click.echo(_say(result, None))
        if not result.ok:
            raise SystemExit(1)

    app.cli.add_command(group)
