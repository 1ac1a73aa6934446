"""A counter day: 8 terminals and a manager on one portal for BENCH_COUNTER_SECONDS (60).

The portal runs as `make run` serves it (waitress, 8 threads) on a copy of bench.pages'
databases, demo-sized and large. Each terminal is its own signed-in counter terminal working
in a closed loop (the next action when the last one answered): search a patient, open a
fill, put a fill on hold and take it off hold, print a label (a reprint, with its reason).
The manager reloads the claims dashboard. Each keeps the cookies the portal sets, as a
browser does. Printed per action: count, p50, p99 and errors.
Targets: p99 <= 300 ms for every action, label print <= 600 ms; no errors.

On the demo-sized database the day is run a second time with labels laid out in the server
process (PORTAL_LABEL_WORKERS=1): the evidence for label workers on this machine's cores.

On PostgreSQL too when BENCH_POSTGRES names a server's database (as PORTAL_TEST_POSTGRES
does, e.g. postgresql://postgres@127.0.0.1:5432/test): each generated database, as cached
(without the SQLite day's writes), is copied into a schema of its own there
(bench.datagen.copy_to_postgres, dropped when the day ends) and the same day is run
on it. Without it the PostgreSQL lines say NOT MEASURED. BENCH_COUNTER_SIZES (e.g. "2000")
limits the run to some of the sizes.
"""

import http.client
import os
import random
import secrets
import sqlite3
import statistics
import tempfile
import threading
import time
import urllib.parse
from contextlib import closing
from http.cookies import SimpleCookie
from pathlib import Path

from bench.datagen import copy_to_postgres, drop_postgres_copy
from bench.pages import LARGE, SMALL, Site
from bench.throughput import _serve
from portal.auth.models import TerminalSession, User
from portal.foundation.db import db
from portal.labels.from_fill import labels_not_ready
from portal.labels.pool import default_workers, usable_cores
from portal.patients.models import Patient
from portal.prescriptions.fills.models import Fill

SECONDS = float(os.environ.get("BENCH_COUNTER_SECONDS", "60"))
TERMINALS = 8
TARGET_MS = {"label print": 600}
DEFAULT_TARGET_MS = 300


class Counter:
    """What the terminals work on, read from the database before the server starts."""

    def __init__(self, site: Site):
        site.use()
        with site.app.app_context():
            rng = random.Random(4)
            self.names = [
                name for (name,) in Patient.select(Patient.last_name).limit(500).tuples() if name
            ]
            self.open_fills = [
                fill_id
                for (fill_id,) in Fill.select(Fill.id)
                .where(Fill.status.in_(["data_verify", "fill"]))
                .tuples()
            ]
            ready = list(Fill.select().where(Fill.status == "ready").limit(400))
            # Compounds whose record is not approved refuse to print (409, by design): the
            # counter prints the others.
            refused = labels_not_ready(ready)
            self.ready = [fill.id for fill in ready if fill.id not in refused]
            rng.shuffle(self.open_fills)
            user = User.get(User.username == "bench-everyone")
            app = site.app
            serializer = app.session_interface.get_signing_serializer(app)
            self.cookies = []
            for _ in range(TERMINALS + 1):
                token = secrets.token_hex(16)
                TerminalSession.create(terminal=token, user=user, signed_in_by=user)
                value = serializer.dumps({"terminal": token})
                self.cookies.append(f"{app.config['SESSION_COOKIE_NAME']}={value}")
        db.close()


class Jar:
    """A terminal's cookies, kept as its browser keeps them: the session cookie the portal
    sets (with its CSRF token) is sent back, so a page kept rendered can be served again."""

    def __init__(self, cookie: str):
        self.values = {name: morsel.value for name, morsel in SimpleCookie(cookie).items()}

    def header(self) -> str:
        return "; ".join(f"{name}={value}" for name, value in self.values.items())

    def keep(self, response) -> None:
        for line in response.headers.get_all("Set-Cookie") or ():
            for name, morsel in SimpleCookie(line).items():
                if morsel["max-age"] == "0" or not morsel.value:
                    self.values.pop(name, None)
                else:
                    self.values[name] = morsel.value


def _request(connection, method, path, jar: Jar, form=None):
    headers = {"Cookie": jar.header()}
    body = None
    if form is not None:
        body = urllib.parse.urlencode(form)
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    start = time.perf_counter()
    connection.request(method, path, body=body, headers=headers)
    response = connection.getresponse()
    response.read()
    jar.keep(response)
    return time.perf_counter() - start, response.status


def _terminal(n: int, port: int, counter: Counter, stop: float, results: dict, lock) -> None:
    rng = random.Random(n)
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    jar = Jar(counter.cookies[n])
    mine = counter.open_fills[n::TERMINALS] or counter.open_fills[:1]
    turn = 0
    while time.perf_counter() < stop:
        turn += 1
        fill = mine[turn % len(mine)]
        name = rng.choice(counter.names)
        ready = rng.choice(counter.ready)
        steps = (
            ("search", "GET", f"/patients/search?q={urllib.parse.quote(name)}", None, (200,)),
            ("open Rx", "GET", f"/fills/{fill}", None, (200,)),
            ("hold", "POST", f"/fills/{fill}/hold", {"reason": "Bench: waiting"}, (200, 302, 303)),
            ("resume", "POST", f"/fills/{fill}/resume", {}, (200, 302, 303)),
            (
                "label print",
                "POST",
                f"/labels/fills/{ready}",
                {"copies": "1", "reprint_reason": "Bench: label torn"},
                (200,),
            ),
        )
        for action, method, path, form, ok in steps:
            try:
                took, status = _request(connection, method, path, jar, form)
                error = None if status in ok else f"{action} {path}: HTTP {status}"
            except Exception as problem:  # noqa: BLE001 - counted and shown
                took, error = 0.0, f"{action} {path}: {problem!r}"
                connection.close()
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            with lock:
                results.setdefault(action, []).append(took)
                if error:
                    results.setdefault("errors", []).append(error)
            if time.perf_counter() >= stop:
                break
    connection.close()


def _manager(port: int, counter: Counter, stop: float, results: dict, lock) -> None:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    jar = Jar(counter.cookies[-1])
    while time.perf_counter() < stop:
        took, status = _request(connection, "GET", "/reports/claims", jar)
        with lock:
            results.setdefault("dashboard (manager)", []).append(took)
            if status != 200:
                results.setdefault("errors", []).append(f"dashboard: HTTP {status}")
    connection.close()


def day(
    label: str, database_url: str, site: Site, counter: Counter, **settings: str
) -> dict[str, list]:
    """One counter day on the database at database_url; its samples per action. ``settings``
    are more PORTAL_* variables for the server (LABEL_WORKERS="1": labels in its process)."""
    env = {
        **os.environ,
        **{f"PORTAL_{name}": value for name, value in settings.items()},
        "PORTAL_DATABASE_URL": database_url,
        "PORTAL_INSTANCE_PATH": site.app.instance_path,
        "PORTAL_SECRET_KEY": site.app.config["SECRET_KEY"],
        "PORTAL_IDLE_LOCK_SECONDS": str(10**6),
        "PORTAL_WTF_CSRF_ENABLED": "false",
        "PORTAL_RATELIMIT_ENABLED": "false",
    }
    server, port = _serve("wsgi:app", env)
    results: dict[str, list] = {}
    lock = threading.Lock()
    try:
        stop = time.perf_counter() + SECONDS
        threads = [
            threading.Thread(target=_terminal, args=(n, port, counter, stop, results, lock))
            for n in range(TERMINALS)
        ] + [threading.Thread(target=_manager, args=(port, counter, stop, results, lock))]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    finally:
        server.terminate()
        server.wait()
    errors = results.pop("errors", [])
    print(f"-- {label}: {TERMINALS} terminals + a manager, {SECONDS:g} s")
    for action, samples in results.items():
        p99 = _p99(samples)
        target = TARGET_MS.get(action, DEFAULT_TARGET_MS)
        verdict = "" if "manager" in action else ("PASS" if p99 * 1000 <= target else "FAIL")
        shown = f"target p99 <= {target} ms  {verdict}" if verdict else "(no target)"
        print(
            f"   {action:22} n {len(samples):5}  p50 {statistics.median(samples) * 1000:7.1f} ms"
            f"  p99 {p99 * 1000:7.1f} ms  {shown}"
        )
    print(f"   errors: {len(errors)}  {'PASS' if not errors else 'FAIL'}")
    for error in errors[:5]:
        print(f"     {error}")
    return results


def _p99(samples: list[float]) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]


def pool_evidence(served: dict[str, list], alone: dict[str, list]) -> None:
    """Whether label workers (portal.labels.pool.start_for_server) help a full counter on
    this machine's cores, against what the app chose for it."""
    cores, chosen = usable_cores(), default_workers()
    with_pool, without = _p99(served["label print"]), _p99(alone["label print"])
    helps = without / with_pool >= 1.15
    verdict = "PASS" if (chosen > 1) == helps else "FAIL (the app chose otherwise)"
    print(
        f"label workers under a full counter: {cores} cores; label print p99 "
        f"{with_pool * 1000:.0f} ms {'with' if chosen > 1 else 'without'} them as served, "
        f"{without * 1000:.0f} ms laid out in the server: {without / with_pool:.2f}x; the app "
        f"uses {chosen} process{'es' if chosen > 1 else ''}  {verdict}"
    )


def _copy(source: Path, target: Path) -> None:
    """A consistent copy, its WAL included (SQLite's online backup)."""
    with closing(sqlite3.connect(source)) as live, closing(sqlite3.connect(target)) as copy:
        live.backup(copy)


def main() -> None:
    postgres = os.environ.get("BENCH_POSTGRES", "")
    sizes = os.environ.get("BENCH_COUNTER_SIZES", f"{SMALL},{LARGE}")
    for fills in (int(size) for size in sizes.split(",")):
        site = Site(fills)
        counter = Counter(site)
        path = Path(site.database.database)
        with tempfile.TemporaryDirectory(dir=path.parent) as folder:
            copy = Path(folder) / path.name
            _copy(path, copy)  # the day's writes stay out of the cached file
            served = day(f"SQLite, {fills:,} fills", f"sqlite:///{copy}", site, counter)
            if fills == SMALL:
                alone = day(
                    f"SQLite, {fills:,} fills, labels laid out in the server process",
                    f"sqlite:///{copy}",
                    site,
                    counter,
                    LABEL_WORKERS="1",
                )
                pool_evidence(served, alone)
            if postgres:
                started = time.perf_counter()
                schema = f"bench_counter_{fills}"
                url = copy_to_postgres(path, postgres, schema)
                print(f"-- copied to PostgreSQL in {time.perf_counter() - started:.0f} s")
                try:
                    day(f"PostgreSQL, {fills:,} fills", url, site, counter)
                finally:
                    drop_postgres_copy(postgres, schema)
        if not postgres:
            print(f"-- PostgreSQL, {fills:,} fills: set BENCH_POSTGRES to run it: NOT MEASURED")


if __name__ == "__main__":
    main()
