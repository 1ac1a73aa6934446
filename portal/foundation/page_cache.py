"""Counter pages kept rendered until anything under them changes.

Eight terminals open the start page, the queue and the claims queue again and again, and
most of those times nothing has changed since: rendering a hundred queue rows again costs
10-15 ms of the server's one core (the GIL) for the same bytes. A view marked @kept is
served from its last rendering when every input of that rendering is the same:

- the data: data_version.n, moved by a trigger on every table in the same transaction as
  the write (migrations/0163_data_version.py), read before the view runs, so a rendering is
  never older than the number it is kept under. The audit trail is the one table left out:
  a page that reads it must not be @kept (tests/core/test_page_cache.py checks);
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


def data_version() -> int:
    """The number every committed write moves (migrations/0163_data_version.py)."""
    return db.execute_sql("SELECT n FROM data_version").fetchone()[0]


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


def kept(view):
    """Serve this GET view's rendering again while nothing under it has changed."""

    @wraps(view)
    def wrapped(*args, **kwargs):
        if not _usable():
            return view(*args, **kwargs)
        version = data_version()
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
            and data_version() == version
        ):
            store().put(key, response.get_data(), list(response.headers.items()))
        return response

    wrapped.kept_page = True  # found by the tests, through the role decorators' @wraps
    return wrapped


def init_app(app: Flask) -> None:
    app.extensions["page_cache"] = Store()
