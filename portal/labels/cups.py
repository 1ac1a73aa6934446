"""Server-side printing to a CUPS queue with `lp`, for a terminal whose label printer is
attached to the server (or shared by CUPS) rather than to the browser's machine.

Which queue a terminal prints to is that browser's own choice (a cookie set on the print
setup page): terminals at one counter can feed different printers. Empty: the label
opens in the browser's print dialog, as before.
"""

from __future__ import annotations

import re
import shutil
import subprocess

from flask import request
from flask_babel import gettext as _

COOKIE = "label_queue"
COOKIE_DAYS = 365
# CUPS queue names: up to 127 printable characters, not space, "/", "\" or "#" (lpadmin(8)).
# Stricter here: letters, digits, "-", "_" and ".", what lpadmin itself suggests.
QUEUE_NAME = re.compile(r"[A-Za-z0-9_.-]{1,127}")
_JOB = re.compile(r"request id is (\S+)")


class PrintFailed(Exception):
    """The queue did not take the job; the message says why, in words."""


def valid_queue(name: str) -> bool:
    return bool(QUEUE_NAME.fullmatch(name))


def terminal_queue() -> str:
    """This terminal's queue, or "" to print from the browser."""
    name = request.cookies.get(COOKIE, "")
    return name if valid_queue(name) else ""


def send(pdf: bytes, queue: str, title: str) -> str:
    """Hand the PDF to CUPS queue ``queue``; the job id ("labels-12")."""
    if not valid_queue(queue):
        raise PrintFailed(_("“%(queue)s” is not a printer queue name.", queue=queue))
    lp = shutil.which("lp")
    if lp is None:
        raise PrintFailed(_("CUPS (the lp command) is not installed on the server."))
    try:
        done = subprocess.run(
            [lp, "-d", queue, "-t", title, "-"],
            input=pdf,
            capture_output=True,
            timeout=30,
        )
    except subprocess.TimeoutExpired as slow:
        raise PrintFailed(
            _("The printer queue %(queue)s did not answer within 30 seconds.", queue=queue)
        ) from slow
    if done.returncode != 0:
        said = done.stderr.decode(errors="replace").strip().removeprefix("lp: ")
        raise PrintFailed(
            _("The printer queue %(queue)s refused the label: %(said)s.", queue=queue, said=said)
        )
    found = _JOB.search(done.stdout.decode(errors="replace"))
    return found.group(1) if found else ""
