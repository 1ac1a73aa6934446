"""`flask controlled void-lapsed` (or `mortar controlled void-lapsed`): void every C-II
remainder whose window has passed and write the prescriber's notices, now. Run it hourly
from the server's scheduler (cron, a systemd timer); `flask pmp send-daily` runs it too."""

import click
from flask import Flask
from flask.cli import AppGroup

from portal.foundation.db import connection


def init_app(app: Flask) -> None:
    group = AppGroup("controlled", help="Controlled-substance prescriptions.")

    @group.command("void-lapsed")
    def void_lapsed_command() -> None:
        """Void lapsed partial-fill remainders (21 CFR 1306.13), one line per remainder."""
        from portal.prescriptions.controlled import lapsed

        with connection():
            done = lapsed.void_lapsed()
        for item in done:
            click.echo(item.words)
        click.echo(f"{sum(1 for item in done if item.notice_id)} remainder(s) voided")

    app.cli.add_command(group)
