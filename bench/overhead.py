"""The fixed cost every request pays, whatever the page: ms and SQL statements, in parts.

An empty page (the base layout around one paragraph) is asked for by a manager-pharmacist
signed in at a counter terminal, as staff ask for pages: the setup check, the terminal and
its acting user, the idle lock, the activity record, CSRF, the session, the access log, the
menu and the terminal's dialogs all run; the page itself does nothing. Its bytes are then
served by a bare Flask app through the same test client in the same process (the baseline:
what Flask and the test client cost by themselves). Demo-sized database of bench.pages.

Times are CPU seconds of the serving thread (time.thread_time), so other work on a shared
machine does not land in them; the server's share of a core is what throughput is made of.
Printed: p50 of the whole request, of its parts (before-request hooks, the page's render,
after-request hooks and session), the statements it runs (each one named), and the ratio to
the bare app. The pharmacy's settings are read as at a real counter (no IDLE_LOCK_SECONDS).
Rounds alternate between the two apps, so a busy machine slows both alike.
"""

import os
import statistics
import time
from collections import defaultdict

from flask import Flask, Response, render_template

from bench.pages import SMALL, Site
from portal.foundation.db import is_sqlite

REPEAT = int(os.environ.get("BENCH_OVERHEAD_REPEAT", "400"))
ROUNDS = 5
EMPTY_PAGE = '{% extends "base.html" %}{% block content %}<p>{{ _("Empty") }}</p>{% endblock %}'


def _timed(parts: dict, name: str, method):
    def timed(*args, **kwargs):
        start = time.thread_time()
        try:
            return method(*args, **kwargs)
        finally:
            parts[name].append(time.thread_time() - start)

    return timed


def _bare(body: bytes) -> Flask:
    bare = Flask("bare")

    @bare.route("/bench/empty")
    def empty():
        return Response(body, mimetype="text/html")

    return bare


def _statements(site: Site, path: str) -> list[str]:
    """The SQL of one request, each statement's first words (what it reads or writes)."""
    seen = []
    database = site.database
    execute_sql = database.execute_sql

    def spy(sql, params=None, *args, **kwargs):
        seen.append(" ".join(sql.split()[:12])[:110])
        return execute_sql(sql, params, *args, **kwargs)

    database.execute_sql = spy
    try:
        site.get(path)
    finally:
        database.execute_sql = execute_sql
    return seen


def main() -> None:
    site = Site(SMALL)
    app = site.app
    # As at the counter: the idle time comes from the pharmacy's settings, read per request.
    app.config.pop("IDLE_LOCK_SECONDS", None)
    empty_page = app.jinja_env.from_string(EMPTY_PAGE)
    app.add_url_rule("/bench/empty", "bench_empty", lambda: render_template(empty_page))
    path = "/bench/empty"
    site.get(path)
    bare = _bare(site.client.get(path).get_data()).test_client()

    parts: dict[str, list[float]] = defaultdict(list)
    app.preprocess_request = _timed(parts, "before-request hooks", app.preprocess_request)
    app.dispatch_request = _timed(parts, "the page (render)", app.dispatch_request)
    app.finalize_request = _timed(parts, "after-request hooks, session", app.finalize_request)
    app.do_teardown_request = _timed(parts, "teardown (connection back)", app.do_teardown_request)
    app.wsgi_app = _timed(parts, "the whole WSGI call", app.wsgi_app)
    ours, ceiling = [], []
    for _ in range(ROUNDS):
        for _ in range(REPEAT // ROUNDS):
            start = time.thread_time()
            site.get(path)
            ours.append(time.thread_time() - start)
        for _ in range(REPEAT // ROUNDS):
            start = time.thread_time()
            bare.get(path)
            ceiling.append(time.thread_time() - start)
    statements = _statements(site, path)
    whole, floor = statistics.median(ours), statistics.median(ceiling)
    print(
        f"fixed cost per request (empty page, signed in at a terminal): p50 "
        f"{whole * 1000:.2f} ms, bare Flask {floor * 1000:.2f} ms, ratio {whole / floor:.1f}x, "
        f"{len(statements)} SQL statements ({'SQLite' if is_sqlite() else 'PostgreSQL'}, "
        f"{REPEAT} requests)"
    )
    for name, samples in parts.items():
        print(f"  {name:32} p50 {statistics.median(samples) * 1000:6.2f} ms")
    for sql in statements:
        print(f"  SQL  {sql}")


if __name__ == "__main__":
    main()
