"""Requests per second of the counter pages under `make run`'s server, next to a bare Flask app
serving the very same bytes on the same server: the share of the ceiling the portal reaches.

Both run as `waitress-serve --threads=8` processes (make run's settings) on the demo-sized
database of bench.pages; CLIENTS keep-alive clients ask for one page for SECONDS, portal and
bare in alternating rounds. Signed in at a terminal, as staff are (every request checks the
terminal and records activity, as at the counter).
Targets: each counter page >= 1/8 of the ceiling; the claims dashboard >= 1/20.
The portal keeps a counter page's rendering until the data under it changes
(portal.foundation.page_cache): with nothing written during the run, as at terminals that
poll an idle queue, the figure is the kept page's. The line under each gives the same page
rendered on every request (PAGE_CACHE off), as after each write; bench.counter_day measures
pages under a day's writes.
Each line also gives the server process's CPU time per request (portal and bare, from
/proc): requests per second follow whatever else the machine is doing, CPU per request
much less so.
"""

import http.client
import json
import os
import secrets
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from bench.pages import SMALL, Site
from portal.auth.models import TerminalSession, User

CLIENTS = 8
SECONDS = float(os.environ.get("BENCH_THROUGHPUT_SECONDS", "3"))
ROUNDS = int(os.environ.get("BENCH_THROUGHPUT_ROUNDS", "2"))
ROOT = Path(__file__).resolve().parent.parent
COUNTER, DASHBOARD = 1 / 8, 1 / 20


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _serve(target: str, env: dict) -> tuple[subprocess.Popen, int]:
    """target served as make run serves the portal; its log in bench/data/server.log."""
    port = _free_port()
    log = open(ROOT / "bench" / "data" / "server.log", "ab")  # noqa: SIM115 - the server's
    server = subprocess.Popen(
        [sys.executable, "-m", "waitress", f"--listen=127.0.0.1:{port}", "--threads=8", target],
        cwd=ROOT, env=env, stdout=log, stderr=log,
    )  # fmt: skip
    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return server, port
        except OSError:
            time.sleep(0.1)
    server.kill()
    raise RuntimeError(f"{target} did not start")


def _cpu_seconds(pid: int) -> float:
    """CPU time (user + system) a process has used so far, from /proc (Linux)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _rate(server: subprocess.Popen, port: int, path: str, cookie: str) -> tuple[float, float]:
    """Requests per second CLIENTS keep-alive clients get for path in SECONDS, and the
    server's CPU seconds per request (what other work on the machine does not change)."""
    done, stop = [0] * CLIENTS, time.perf_counter() + SECONDS
    cpu_before = _cpu_seconds(server.pid)

    def client(n):
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        sent = cookie
        while time.perf_counter() < stop:
            connection.request("GET", path, headers={"Cookie": sent})
            response = connection.getresponse()
            response.read()
            assert response.status == 200, (path, response.status)
            # As a browser does: the session cookie the server sets (its CSRF token) is sent
            # back from then on.
            new = response.getheader("Set-Cookie")
            if new and new.startswith(cookie.split("=", 1)[0] + "="):
                sent = new.split(";", 1)[0]
            done[n] += 1
        connection.close()

    threads = [threading.Thread(target=client, args=(n,)) for n in range(CLIENTS)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed, cpu = time.perf_counter() - started, _cpu_seconds(server.pid) - cpu_before
    return sum(done) / elapsed, cpu / max(1, sum(done))


def main() -> None:
    site = Site(SMALL)
    ids = site.ids
    paths = {
        "start page": "/",
        "queue": "/queue",
        "patient search": "/patients/search?q=smith",
        "fill page": f"/fills/{ids['fill']}",
        "final verification": f"/fills/{ids['verify']}/verify-final",
        "claims work queue": "/claims/",
        "claims dashboard": "/reports/claims",
    }
    app = site.app
    with app.app_context():
        user = User.get(User.username == "bench-everyone")
        token = secrets.token_hex(16)
        TerminalSession.create(terminal=token, user=user, signed_in_by=user)
        cookie_value = app.session_interface.get_signing_serializer(app).dumps({"terminal": token})
    cookie = f"{app.config['SESSION_COOKIE_NAME']}={cookie_value}"
    pages = {}
    for path in paths.values():
        response = site.client.get(path)
        pages[path] = response.get_data(as_text=True)
    folder = tempfile.mkdtemp()
    (Path(folder) / "pages.json").write_text(json.dumps(pages))
    env = {
        **os.environ,
        "PORTAL_DATABASE_URL": app.config["DATABASE_URL"],
        "PORTAL_INSTANCE_PATH": app.instance_path,
        "PORTAL_SECRET_KEY": app.config["SECRET_KEY"],
        "PORTAL_IDLE_LOCK_SECONDS": str(10**6),
        "BENCH_BARE_PAGES": str(Path(folder) / "pages.json"),
    }
    portal, portal_port = _serve("wsgi:app", env)
    rendering, rendering_port = _serve("wsgi:app", {**env, "PORTAL_PAGE_CACHE": "false"})
    bare, bare_port = _serve("bench.bare_app:app", env)
    try:
        for name, path in paths.items():
            ours, ceiling, our_cpu, bare_cpu, rendered, rendered_cpu = [], [], [], [], [], []
            _rate(portal, portal_port, path, cookie)  # warm
            _rate(rendering, rendering_port, path, cookie)
            for _ in range(ROUNDS):
                rate, cpu = _rate(bare, bare_port, path, cookie)
                ceiling.append(rate)
                bare_cpu.append(cpu)
                rate, cpu = _rate(portal, portal_port, path, cookie)
                ours.append(rate)
                our_cpu.append(cpu)
                rate, cpu = _rate(rendering, rendering_port, path, cookie)
                rendered.append(rate)
                rendered_cpu.append(cpu)
            share = statistics.median(ours) / statistics.median(ceiling)
            target = DASHBOARD if name == "claims dashboard" else COUNTER
            verdict = "PASS" if share >= target else "FAIL"
            print(
                f"{name:24} portal {statistics.median(ours):7.0f} req/s  bare Flask "
                f"{statistics.median(ceiling):7.0f} req/s  share 1/{1 / share:5.1f}"
                f"  target >= 1/{1 / target:g}  {verdict}"
                f"   server CPU/request {statistics.median(our_cpu) * 1000:5.2f} ms"
                f" (bare {statistics.median(bare_cpu) * 1000:4.2f} ms)"
            )
            # The same page when every request renders it (the first after any write does):
            # no target, shown so the kept figure is not mistaken for the render's cost.
            print(
                f"{'  rendered each time':24} portal {statistics.median(rendered):7.0f} req/s"
                f"  share 1/{statistics.median(ceiling) / statistics.median(rendered):5.1f}"
                f"   server CPU/request {statistics.median(rendered_cpu) * 1000:5.2f} ms"
            )
    finally:
        for server in (portal, rendering, bare):
            server.terminate()
            server.wait()


if __name__ == "__main__":
    main()
