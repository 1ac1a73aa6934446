"""Long work that shows its progress: a catalog import of thousands of rows, an 835 file.

The confirming request starts the work in a thread of the server process and redirects at
once to a progress page; the page polls `/progress/<id>` with htmx (the partial carries its
own `hx-trigger="load delay:..."`, so polling stops by itself when the answer has none) and,
when the work is done, is sent on to its result with the work's messages flashed. The work
is started once per press: the button that started it is gone from the page that follows.

Jobs live in this process's memory (Mortar serves from one waitress process); a job whose
page is polled by someone else, or after a restart, is "not found here" and says so. The
work itself is the same function the synchronous path calls, with its own transaction and
audit events; it runs with a copy of the starting request's context, as the same user.
"""

import secrets
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from flask import (
    Blueprint,
    abort,
    copy_current_request_context,
    current_app,
    flash,
    g,
    redirect,
    render_template,
    url_for,
)
from flask_babel import gettext as _
from flask_htmx import make_response

from portal.foundation.access import login_required
from portal.foundation.db import connection
from portal.foundation.extensions import htmx

bp = Blueprint("long_work", __name__)

POLL_SECONDS = 0.5
KEEP_SECONDS = 3600  # finished jobs nobody came back for are forgotten after an hour


@dataclass
class Job:
    id: str
    user_id: int
    title: str
    key: str = ""
    total: int = 0
    done: int = 0
    step: str = "Starting"
    finished: bool = False
    messages: list[tuple[str, str]] = field(default_factory=list)
    next_url: str = ""
    started: float = field(default_factory=time.monotonic)

    @property
    def percent(self) -> int:
        if self.finished:
            return 100
        return min(99, self.done * 100 // self.total) if self.total else 0


class Progress:
    """What the work calls as it goes: progress(done, total, step)."""

    def __init__(self, job: Job):
        self.job = job

    def __call__(self, done: int, total: int | None = None, step: str | None = None) -> None:
        self.job.done = done
        if total is not None:
            self.job.total = total
        if step is not None:
            self.job.step = step


# work(progress) -> (messages [(category, text)], the address to go on to)
Work = Callable[[Progress], tuple[list[tuple[str, str]], str]]

_jobs: dict[str, Job] = {}
_lock = threading.Lock()


def _forget_old() -> None:
    now = time.monotonic()
    with _lock:
        for key in [k for k, j in _jobs.items() if j.finished and now - j.started > KEEP_SECONDS]:
            del _jobs[key]


def start(title: str, work: Work, failed_url: str, key: str) -> Job:
    """Run work in a thread as the current user, once per key (the upload it imports): a
    second press while it runs gets the running job, not a second import. The caller
    redirects to progress_address(job)."""
    _forget_old()
    with _lock:
        # Another person's press of the same file is their own job: the work itself refuses
        # a second import of the same data (and says so to them).
        running = next(
            (
                j
                for j in _jobs.values()
                if j.key == key and j.user_id == g.user.id and not j.finished
            ),
            None,
        )
        if running is not None:
            return running
        job = Job(id=secrets.token_urlsafe(16), user_id=g.user.id, title=title, key=key)
        _jobs[job.id] = job  # taken under the lock: two presses at once start one job
    user, pharmacy = g.user, g.get("pharmacy")
    logger = current_app.logger

    @copy_current_request_context
    def run():
        g.user, g.pharmacy = user, pharmacy
        try:
            with connection():
                messages, next_url = work(Progress(job))
        except Exception:  # the work's own transaction rolled back; say so, never hang
            logger.exception("long work %r failed", title)
            messages = [
                ("error", _("%(title)s failed; nothing was written. Try again.", title=title))
            ]
            next_url = failed_url
        job.messages, job.next_url, job.finished = messages, next_url, True

    threading.Thread(target=run, name=f"long-work-{job.id[:6]}", daemon=True).start()
    return job


def answer(job: Job):
    """The answer to the press: the progress bar in place of the buttons (htmx), or a 303
    to the progress page (safe to reload: it never starts the work again)."""
    if htmx:
        return render_template("_long_work_bar.html", job=job, poll=POLL_SECONDS)
    return redirect(url_for("long_work.progress", job_id=job.id), 303)


@bp.route("/progress/<job_id>")
@login_required
def progress(job_id: str):
    job = _jobs.get(job_id[:64])
    if job is None or g.get("user") is None or job.user_id != g.user.id:
        abort(404)
    if not job.finished:
        template = "_long_work_bar.html" if htmx else "long_work.html"
        return render_template(template, job=job, poll=POLL_SECONDS)
    with _lock:
        _jobs.pop(job.id, None)
    for category, message in job.messages:
        flash(message, category)
    if htmx:
        return make_response("", redirect=job.next_url)
    return redirect(job.next_url)
