"""The work queues at 10k and at 1M fills: p50 of each request, and the ratio 1M / 10k.

Data: bench.datagen.make_fills — FILLS_PER_DAY fills a day, originals and refills as they
come due, nearly all picked up (3.5% cancelled), and today's open work in every queue on
top (OPEN_WORK: a day's work and the ready shelf, the same at both sizes: years of history
do not make today's queue longer). Patients scale with the fills (~30 fills each). Each
database is built once and cached in bench/data/ (git-ignored); delete it to rebuild.

What is timed, through the test client signed in as a pharmacist (real routes, templates,
auth and the terminal's activity write): the queues page, each tab as htmx swaps it (tabs
with their live counts + that tab's first page), the htmx count refresh (polled every 30 s),
the next page of the ready shelf (keyset), the filters by who entered and by patient, the
counter's "is my prescription ready?" lookup and the patient page with its fill history.
The two sizes are measured in alternating rounds in one process, so a busy machine slows
both alike. Target: every request's p50 at 1M at most 1.5 times its p50 at 10k.
"""

import os
import random
import secrets
import time

from peewee import fn

from bench.common import ms, p50
from bench.datagen import OPEN_WORK, cached_app, make_fills
from portal.auth.models import TerminalSession, User
from portal.foundation.db import db
from portal.patients.models import Patient
from portal.prescriptions.fills import queues
from portal.prescriptions.fills.models import Fill

SIZES = tuple(int(n) for n in os.environ.get("BENCH_FILLS", "10000,1000000").split(","))
GENERATOR = 1  # bump when make_fills changes what it makes: the cached files are rebuilt
REPEAT = 40
TARGET_RATIO = 1.5
HTMX = {"HX-Request": "true"}
BACKGROUND = {"HX-Request": "true", "X-Background": "1"}


class Pharmacy:
    """One cached database, an app on it, and a pharmacist signed in at a terminal."""

    def __init__(self, fills: int):
        self.fills = fills
        started = time.perf_counter()
        self.app = cached_app(
            f"queue_{fills}_v{GENERATOR}", lambda: make_fills(fills), IDLE_LOCK_SECONDS=10**6
        )
        self.seconds_to_open = time.perf_counter() - started  # the build, the first time
        self.database = db.obj
        with self.app.app_context():
            self.counts = dict(
                Fill.select(Fill.status, fn.COUNT(Fill.id)).group_by(Fill.status).tuples()
            )
            pharmacist = User.get(User.username == "bench-phar0")
            self.technician = User.get(User.username == "bench-tech0").id
            terminal = TerminalSession.create(
                terminal=secrets.token_hex(16), user=pharmacist, signed_in_by=pharmacist
            )
            rng = random.Random(3)
            ready = list(
                Fill.select(Fill.patient).where(Fill.status == "ready").limit(200).tuples()
            )
            self.ready_patients = [
                Patient.get_by_id(pid) for (pid,) in rng.sample(ready, min(50, len(ready)))
            ]
            self.cursor = queues.page("ready").next_cursor.encode()
        self.client = self.app.test_client()
        with self.client.session_transaction() as session:
            session["terminal"] = terminal.terminal
        self.turn = 0

    def use(self) -> None:
        """Point the shared database proxy at this pharmacy's file."""
        if db.obj is not self.database:
            db.close()
            db.initialize(self.database)

    def get(self, path: str, query: dict | None = None, headers: dict | None = None) -> None:
        response = self.client.get(path, query_string=query or {}, headers=headers or {})
        assert response.status_code == 200, (path, response.status_code, response.location)

    def next_patient(self) -> Patient:
        self.turn += 1
        return self.ready_patients[self.turn % len(self.ready_patients)]


def requests(pharmacy: Pharmacy) -> dict:
    """What is timed: name -> action on the pharmacy."""
    p = pharmacy
    found = {
        "GET /queue (page, data verification tab)": lambda: p.get("/queue"),
    }
    for state in queues.QUEUE_STATES:
        found[f"htmx tab: {queues.TAB_LABELS[state]}"] = lambda s=state: p.get(
            "/queue", {"state": s}, HTMX
        )
    found["htmx count refresh /queue/counts"] = lambda: p.get(
        "/queue/counts", {"state": "data_verify"}, BACKGROUND
    )
    found["htmx next page of Ready (keyset)"] = lambda: p.get(
        "/queue", {"state": "ready", "after": p.cursor}, HTMX
    )
    found["filter: entered by one technician"] = lambda: p.get(
        "/queue", {"state": "ready", "user": p.technician}, HTMX
    )
    found["filter: one patient"] = lambda: p.get(
        "/queue", {"state": "ready", "patient": p.next_patient().id}, HTMX
    )

    def ready_lookup():
        patient = p.next_patient()
        p.get(
            "/ready",
            {"last_name": patient.last_name, "date_of_birth": f"{patient.date_of_birth:%m/%d/%Y}"},
        )

    found["is my prescription ready? (name + DOB)"] = ready_lookup
    found["patient page with fill history"] = lambda: p.get(f"/patients/{p.next_patient().id}")
    return found


def measure(pharmacies: list[Pharmacy]) -> dict[int, dict[str, tuple[list, list]]]:
    """(wall, cpu) seconds per request, per size. The sizes take turns request by request,
    so a burst of load from elsewhere on the machine falls on both alike."""
    actions = {}
    for pharmacy in pharmacies:
        pharmacy.use()
        actions[pharmacy.fills] = requests(pharmacy)
        for action in actions[pharmacy.fills].values():  # warm up: templates, OS page cache
            action()
            action()
    samples = {p.fills: {name: ([], []) for name in actions[p.fills]} for p in pharmacies}
    for name in actions[pharmacies[0].fills]:
        for _ in range(REPEAT):
            for pharmacy in pharmacies:
                pharmacy.use()
                wall, cpu = time.perf_counter(), time.thread_time()
                actions[pharmacy.fills][name]()
                samples[pharmacy.fills][name][0].append(time.perf_counter() - wall)
                samples[pharmacy.fills][name][1].append(time.thread_time() - cpu)
    return samples


def main() -> None:
    pharmacies = []
    for fills in SIZES:
        pharmacy = Pharmacy(fills)
        pharmacies.append(pharmacy)
        open_fills = sum(pharmacy.counts.get(state, 0) for state in OPEN_WORK)
        print(
            f"{sum(pharmacy.counts.values()):>9,} fills ({open_fills} open, "
            f"{pharmacy.counts.get('picked_up', 0):,} picked up); opened in "
            f"{pharmacy.seconds_to_open:.1f} s (includes building it when not cached)"
        )
    samples = measure(pharmacies)
    small, large = SIZES[0], SIZES[-1]
    print(
        f"{'p50 of the request (wall)':44} {format(small, ','):>11} {format(large, ','):>11}"
        f"  ratio   (cpu ratio)"
    )
    missed = 0
    for name, (low, low_cpu) in samples[small].items():
        high, high_cpu = samples[large][name]
        ratio = p50(high) / p50(low)
        met = ratio <= TARGET_RATIO
        missed += not met
        print(
            f"{name:44} {ms(p50(low))} {ms(p50(high))}  {ratio:4.2f}x  "
            f"({p50(high_cpu) / p50(low_cpu):4.2f}x)  "
            f"target <= {TARGET_RATIO}x: {'met' if met else 'MISSED'}"
        )
    if missed:
        print(f"verdict: {missed} of {len(samples[small])} targets MISSED")
    else:
        print(f"verdict: all {len(samples[small])} targets met")
