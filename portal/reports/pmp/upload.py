"""Sending a PMP file to the state's SFTP server (paramiko). A failure is logged on the
submission and shown on the start page; the file stays in the instance folder, so nothing
is lost and it can be sent again or uploaded by hand."""

from __future__ import annotations

import posixpath

from flask import url_for
from flask_babel import gettext as _

from portal.audit import log as audit
from portal.foundation.db import write_transaction
from portal.foundation.start_page import Line
from portal.reports.pmp import settings as pmp_settings
from portal.reports.pmp import submit
from portal.reports.pmp.models import PmpSubmission

TIMEOUT_SECONDS = 20


def configured() -> bool:
    return bool(pmp_settings.server()["host"])


def _send(submission: PmpSubmission) -> None:
    import paramiko  # imported when a file is sent: some 0.2 s of every start otherwise

    server = pmp_settings.server()
    client = paramiko.SSHClient()
    known = pmp_settings.known_hosts_path()
    if known.exists():
        client.load_host_keys(str(known))
    client.set_missing_host_key_policy(paramiko.RejectPolicy())  # an unknown server: refuse
    try:
        client.connect(
            server["host"],
            port=server["port"],
            username=server["username"],
            password=pmp_settings.read_password(),
            timeout=TIMEOUT_SECONDS,
            banner_timeout=TIMEOUT_SECONDS,
            auth_timeout=TIMEOUT_SECONDS,
            allow_agent=False,
            look_for_keys=False,
        )
        with client.open_sftp() as sftp:
            target = posixpath.join(server["directory"], submission.stored_name)
            sftp.put(str(submit.file_path(submission)), target, confirm=True)
    finally:
        client.close()


def upload(submission: PmpSubmission, user=None) -> bool:
    """Send the file; the outcome (and why it failed) is stored on the submission."""
    import paramiko

    try:
        if not configured():
            raise OSError("no SFTP server is set (Settings, State PMP reporting)")
        _send(submission)
    except (OSError, paramiko.SSHException) as failure:
        result, message = "failed", _words(failure)
    else:
        result, message = "uploaded", f"sent to {pmp_settings.server()['host']}"
    with write_transaction():
        before = audit.snapshot(submission)
        submission.result, submission.message = result, message[:500]
        submission.save()
        audit.record(
            "update",
            "pmp_submission",
            submission.id,
            before=before,
            after=audit.snapshot(submission),
            user=user,
        )
    return result == "uploaded"


def _words(failure: Exception) -> str:
    import paramiko

    if isinstance(failure, paramiko.AuthenticationException):
        return "the server refused the user name or password"
    if isinstance(failure, paramiko.SSHException) and "not found in known_hosts" in str(failure):
        return "the server's host key is not known: add it to instance/pmp/known_hosts"
    return str(failure) or type(failure).__name__


def today_lines(user) -> list[Line]:
    """The start page: the last PMP file failed to upload (it stays until one succeeds)."""
    last = (
        PmpSubmission.select()
        .where(PmpSubmission.result.in_(("failed", "uploaded")))
        .order_by(PmpSubmission.id.desc())
        .first()
    )
    if last is None or last.result != "failed":
        return []
    words = _(
        "PMP file for %(period_end)s not sent: %(message)s. The file is kept.",
        period_end=last.period_end.strftime("%m/%d/%Y"),
        message=last.message,
    )
    return [Line(None, words, url_for("reports.pmp"), "alert")]
