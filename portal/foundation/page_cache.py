"""Counter pages kept rendered until anything under them changes.

Eight terminals open the start page, the queue and the claims queue again and again, and
most of those times nothing has changed since: rendering a hundred queue rows again costs
10-15 ms of the server's one core (the GIL) for the same bytes. A view marked @kept is
served from its last rendering when every input of that rendering is the same:

- the data: the sum of table_version's numbers, each moved by a trigger on its table in the
  same transaction as the write (migrations/0164_table_versions.py), read before the view
  runs, so a rendering is never older than the number it is kept under. A page that names
  the tables it reads (@kept(reads=...)) sums only theirs: the manager's dashboard is not
  drawn again because a fill went on hold. tests/core/test_page_cache.py checks each such
  page reads nothing else. The audit trail moves no number: a page that reads it must not
  be @kept (checked there too);
- who asks and from where: the terminal, its acting user, its idle clock and lock, the
  session cookie (CSRF token, flashes, co-sign) and the headers a page answers to (htmx's,
  Accept, Accept-Language), the path and query;
- the time: the minute, so "today", due times and greetings move on at most a minute late.

A rendering is not kept when the view wrote anything (an audited view of a record, a lock),
changed the session, answered other than 200, or when the data version moved while it ran.
Kept per server process, least recently used first out, up to MAX_BYTES.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from functools import wraps

from flask import Flask, current_app, g, make_response, request, session

from portal.foundation.dates import utcnow
from portal.foundation.db import db, others_run

MAX_BYTES = 32 * 1024 * 1024
HEADERS = ("Cookie", "Accept", "Accept-Language")


class Store:
    """Renderings by key, least recently used first out; safe for waitress's threads."""

    def __init__(self, max_bytes: int = MAX_BYTES):
        self.max_bytes = max_bytes
        self.size = 0
        self.hits = 0
        self._entries: OrderedDict[tuple, tuple[bytes, list]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: tuple):
        with self._lock:
            found = self._entries.get(key)
            if found is None:
                return None
            self._entries.move_to_end(key)
            self.hits += 1
            return found

    def put(self, key: tuple, body: bytes, headers: list) -> None:
        """Keep a 200 answer's body and headers (one over an eighth of the store: never)."""
        if len(body) > self.max_bytes // 8:
            return
        with self._lock:
            old = self._entries.pop(key, None)
            if old is not None:
                self.size -= len(old[0])
            self._entries[key] = (body, headers)
            self.size += len(body)
            while self.size > self.max_bytes:
                _, (dropped, _) = self._entries.popitem(last=False)
                self.size -= len(dropped)


def data_version(reads: tuple[str, ...] = ()) -> int:
    """A number every committed write to the tables read moves (all tables when none are
    named; migrations/0164_table_versions.py)."""
    sql = "SELECT SUM(n) FROM table_version"
    if reads:
        sql += f" WHERE name IN ({', '.join([db.param] * len(reads))})"
    return int(db.execute_sql(sql, reads).fetchone()[0] or 0)


def store() -> Store:
    return current_app.extensions["page_cache"]


def _key(version: int) -> tuple:
    terminal = g.terminal
    minute = int(utcnow().timestamp() // 60)
    hx = tuple(sorted((k, v) for k, v in request.headers.items() if k.lower().startswith("hx-")))
    asked = tuple(request.headers.get(name, "") for name in HEADERS)
    return (
        version,
        minute,
        request.full_path,
        request.host_url,
        terminal.id,
        terminal.user_id,
        terminal.locked,
        terminal.last_activity,
        asked,
        hx,
    )


def _usable() -> bool:
    return (
        current_app.config["PAGE_CACHE"]
        and request.method == "GET"
        and g.get("terminal") is not None
        and "_flashes" not in session
    )


def kept(view=None, *, reads: tuple[str, ...] = ()):
    """Serve this GET view's rendering again while nothing under it has changed: nothing in
    the tables it reads, when named (table names, as in the database), else in any."""
    if view is None:
        return lambda view: kept(view, reads=reads)
    reads = tuple(sorted(reads))

    @wraps(view)
    def wrapped(*args, **kwargs):
        if not _usable():
            return view(*args, **kwargs)
        version = data_version(reads)
        key = _key(version)
        found = store().get(key)
        if found is not None:
            body, headers = found
            return current_app.response_class(body, headers=headers)
        others = others_run.get()
        response = make_response(view(*args, **kwargs))
        if (
            response.status_code == 200
            and not response.direct_passthrough
            and not response.is_streamed
            and others_run.get() == others
            and not session.modified
            and data_version(reads) == version
        ):
            store().put(key, response.get_data(), list(response.headers.items()))
        return response

    wrapped.kept_page = True  # found by the tests, through the role decorators' @wraps
    wrapped.kept_reads = reads
    return wrapped


def init_app(app: Flask) -> None:
    app.extensions["page_cache"] = Store()
