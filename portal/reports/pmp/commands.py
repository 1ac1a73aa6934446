"""`flask pmp send-daily`: run hourly by the server's scheduler (cron, a systemd timer); at
the set hour of the pharmacy's day it makes yesterday's file (once) and sends it."""

from datetime import timedelta

import click
from flask import Flask
from flask.cli import AppGroup

from portal.foundation import settings
from portal.foundation.dates import local_today, to_local, utcnow
from portal.pharmacy.models import Pharmacy
from portal.prescriptions.controlled import lapsed
from portal.reports.pmp import submit, upload
from portal.reports.pmp.models import PmpSubmission


def send_daily(force: bool = False) -> str:
    """Make and send yesterday's file at the set hour; what was done, in words.

    Every hourly run first voids the C-II remainders whose window has passed (21 CFR
    1306.13), so a lapsed remainder is voided and its notice written within the hour."""
    voided = [item.words for item in lapsed.void_lapsed()]
    said = "".join(f"{line}\n" for line in voided)
    pharmacy = Pharmacy.current()
    zone = pharmacy.time_zone if pharmacy else None
    if not force and to_local(utcnow(), zone).hour != int(settings.get("pmp.send_hour")):
        return said + "not the set hour: nothing done"
    return said + _send_yesterday(zone)


def _send_yesterday(zone) -> str:
    day = local_today(zone) - timedelta(days=1)
    made = PmpSubmission.get_or_none(
        (PmpSubmission.period_end == day) & (PmpSubmission.created_by.is_null())
    )
    made = made or submit.make_file(day)
    if made.result == "uploaded":
        return f"{made.stored_name} was already sent"
    if not upload.configured():
        return f"{made.stored_name} made; no SFTP server is set, so download it"
    sent = upload.upload(made)
    return f"{made.stored_name} {'sent' if sent else 'NOT sent: ' + made.message}"


def init_app(app: Flask) -> None:
    group = AppGroup("pmp", help="State prescription monitoring program reporting.")

    @group.command("send-daily")
    @click.option("--force", is_flag=True, help="Send now, whatever the hour.")
    def send_daily_command(force: bool) -> None:
        click.echo(send_daily(force))

    app.cli.add_command(group)
