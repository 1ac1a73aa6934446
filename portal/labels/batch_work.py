"""A large label batch runs as long work (portal.foundation.long_work): the progress page
shows how far the layout is while the button that started it is gone, and the finished PDF
waits in this process under a token until its printer opens it on the labels page.

Like the long-work jobs, the PDFs live in this process's memory (one waitress process):
only the person who printed them can open them, for an hour."""

import hashlib
import secrets
import threading
import time

from flask import current_app, g, url_for
from flask_babel import gettext as _

from portal.foundation import long_work, settings
from portal.foundation.dates import today
from portal.labels.from_fill import label_for_fill, label_pharmacy
from portal.labels.render import render_labels

LARGE_BATCH = 25  # labels; more than this show their progress (LABEL_LARGE_BATCH in config)
KEEP_SECONDS = 3600
KEEP_AT_MOST = 20

_pdfs: dict[str, tuple[int, bytes, float]] = {}
_lock = threading.Lock()


def large_batch() -> int:
    return int(current_app.config.get("LABEL_LARGE_BATCH", LARGE_BATCH))


def _keep(user_id: int, pdf: bytes) -> str:
    token = secrets.token_urlsafe(16)
    now = time.monotonic()
    with _lock:
        for key in [k for k, (_, _, at) in _pdfs.items() if now - at > KEEP_SECONDS]:
            del _pdfs[key]
        while len(_pdfs) >= KEEP_AT_MOST:
            del _pdfs[next(iter(_pdfs))]  # the oldest first
        _pdfs[token] = (user_id, pdf, now)
    return token


def finished_pdf(token: str, user_id: int) -> bytes | None:
    """The batch's PDF, for the person who printed it, while it is kept."""
    with _lock:
        kept = _pdfs.get(token[:64])
    if kept is None or kept[0] != user_id:
        return None
    return kept[1]


def start(fills, log) -> long_work.Job:
    """Lay out ``fills``' labels with progress; ``log(fills)`` records the prints once the
    PDF is made. One job per person and set of fills: a second press joins the first."""
    ids = ",".join(str(f.id) for f in fills)
    key = "label-batch:" + hashlib.sha256(ids.encode()).hexdigest()[:16]
    count, stock = len(fills), settings.get("label_stock")
    workers = current_app.config["LABEL_WORKERS"]

    def work(progress):
        labels, pharmacy = [], label_pharmacy()
        progress(0, count * 2, _("Reading the fills"))
        for done, fill in enumerate(fills, start=1):
            labels.append(label_for_fill(fill, today=today(), pharmacy=pharmacy))
            progress(done, count * 2, _("Reading the fills"))
        progress(count, count * 2, _("Laying out %(count)s labels", count=count))
        result = render_labels(labels, stock, current_app.jinja_env, 1, workers)
        progress(count * 2 - 1, count * 2, _("Logging the prints"))
        log(fills)
        token = _keep(g.user.id, result.pdf)
        message = _(
            "%(count)s labels are laid out and logged: the print dialog opens with them.",
            count=count,
        )
        return [("success", message)], url_for("labels.batch", printed=token)

    return long_work.start(
        _("Printing %(count)s labels", count=count),
        work,
        failed_url=url_for("labels.batch"),
        key=key,
    )
