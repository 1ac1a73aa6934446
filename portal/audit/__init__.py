"""The audit trail: who did what, when, with before and after; hash-chained."""

import click
from flask import Blueprint, Flask

bp = Blueprint("audit", __name__, url_prefix="/audit")


def init_app(app: Flask) -> None:
    from portal.audit import views
    from portal.foundation import nav

    app.register_blueprint(bp)
    nav.add(app, "Audit trail", "audit.index", roles=views.READERS, order=85)

    group = click.Group("audit", help="The audit trail.")

    @group.command("verify")
    def verify_command():
        """Walk the hash chain; exit 1 naming the first broken link."""
        from portal.audit.log import verify_chain
        from portal.foundation.db import connection

        with connection():
            count, bad, why = verify_chain()
        if bad is not None:
            click.echo(
                f"BROKEN at audit event {bad.id} ({bad.action} {bad.entity} "
                f"{bad.entity_id}, {bad.at:%Y-%m-%d %H:%M:%S} UTC): {why}. "
                f"{count} events before it are intact."
            )
            raise SystemExit(1)
        click.echo(f"ok: {count} events, chain intact")

    app.cli.add_command(group)
