"""Cold start: a new process importing the portal, building the app and serving its first
page, next to a bare Flask app doing the same (import, build, one request).

Each round starts both in fresh interpreters, interleaved (A, B, A, B...) so the load other
work puts on the machine falls on both alike. Target: the portal at most 3x bare Flask.
WeasyPrint (0.5-0.8 s), pygal, paramiko (0.2 s) and limits (with asyncio) load on the first
label, chart, PMP upload or sign-in attempt, not at start.
"""

import os
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

ROUNDS = int(os.environ.get("BENCH_COLD_ROUNDS", "7"))
TARGET = 3.0
# Libraries a start does without: each loads where it is first needed.
HEAVY = ("weasyprint", "pygal", "paramiko", "limits", "asyncio")
ROOT = Path(__file__).resolve().parent.parent

BARE = """
from flask import Flask
app = Flask(__name__)
app.add_url_rule("/healthz", "healthz", lambda: {"status": "ok", "database": "ok"})
assert app.test_client().get("/healthz").status_code == 200
"""

PORTAL = """
from portal import create_app
app = create_app({{"DATABASE_URL": "sqlite:///{folder}/portal.db",
                  "INSTANCE_PATH": "{folder}/instance", "SECRET_KEY": "bench"}})
assert app.test_client().get("/healthz").status_code == 200
"""


def _environment(folder: str) -> dict:
    """As a deployed install starts: compiled modules kept (here in a scratch folder, so the
    tree stays clean), whatever this shell says about writing them."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    return {**env, "PYTHONPYCACHEPREFIX": f"{folder}/pycache"}


def _seconds(code: str, env: dict) -> float:
    start = time.perf_counter()
    subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)],
        cwd=ROOT,
        check=True,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,  # the request's log line
    )
    return time.perf_counter() - start


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        portal = PORTAL.format(folder=folder)
        subprocess.run(
            [sys.executable, "-m", "flask", "--app", "portal", "db", "upgrade"],
            cwd=ROOT,
            check=True,
            capture_output=True,
            env={
                **os.environ,
                "PORTAL_DATABASE_URL": f"sqlite:///{folder}/portal.db",
                "PORTAL_INSTANCE_PATH": f"{folder}/instance",
                "PORTAL_SECRET_KEY": "bench",
            },
        )
        env = _environment(folder)
        _seconds(BARE, env)  # compiled modules and templates kept, as after any earlier start
        _seconds(portal, env)
        bare, full = [], []
        for _ in range(ROUNDS):
            bare.append(_seconds(BARE, env))
            full.append(_seconds(portal, env))
        loaded = subprocess.run(
            [
                sys.executable,
                "-c",
                textwrap.dedent(portal) + f"\nimport sys\nHEAVY = {HEAVY!r}\n"
                "print(','.join(m for m in HEAVY if m in sys.modules) or 'none')",
            ],
            cwd=ROOT,
            check=True,
            capture_output=True,
            text=True,
        ).stdout.splitlines()[-1]  # after the request's log line
    ratio = statistics.median(full) / statistics.median(bare)
    verdict = "PASS" if ratio <= TARGET else "FAIL"
    print(
        f"{'cold start to first response':44} portal p50 {statistics.median(full) * 1000:8.0f} ms"
        f"  bare Flask p50 {statistics.median(bare) * 1000:6.0f} ms  ratio {ratio:5.2f}x"
        f"  target <= {TARGET:g}x  {verdict}"
    )
    print(
        f"{'heavy libraries loaded at start':44} {loaded}"
        " (WeasyPrint, pygal, paramiko and limits load on first use)"
    )


if __name__ == "__main__":
    main()
