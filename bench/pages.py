"""Every page of the navigation at demo size and at a pharmacy group's size: p50 and ratio.

Two databases from the same generator (bench.datagen): a demo-sized one and a large one
(BENCH_PAGES_FILLS fills, default 1M; 100k patients; 200k claims; 5k products). Each is built
once and cached in bench/data/ under a name carrying a hash of the migrations and the
generators, so a new migration or generator rebuilds it. One pharmacist-manager-admin signed in
at a terminal walks every page through the test client (real routes, templates, auth), the two
sizes in alternating rounds so a busy machine slows both alike; one connection.

Printed per page: p50 small, p50 large, the ratio, target <= 1.5x, PASS/FAIL. The query plans of
every statement a page runs on the large database are written to bench/data/pages-plans.txt;
statements that scan a large table without an index are printed here (bench/plans.py: a walk
by the primary key that stops at its LIMIT, as the audit chain's head, is no full scan).
"""

import hashlib
import logging
import os
import secrets
import statistics
import time
from pathlib import Path

from bench.datagen import _insert, cached_app, make_claims, make_fills, make_patients
from bench.plans import Step, full_scans
from portal.auth.models import TerminalSession, User
from portal.foundation.db import db, is_sqlite

LARGE = int(os.environ.get("BENCH_PAGES_FILLS", "1000000"))
SMALL = 2_000
REPEAT = int(os.environ.get("BENCH_PAGES_REPEAT", "9"))
TARGET = 1.5
GENERATOR = 1  # bump when _build or _extra_products changes what they make
HERE = Path(__file__).resolve().parent
BIG_TABLES = ("fill", "claim", "patient", "prescription", "claim_event", "audit_event")


def _sizes(fills: int) -> dict:
    if fills <= SMALL:
        return {"fills": fills, "patients": 300, "claims": 1_000, "products": 150}
    return {"fills": fills, "patients": 100_000, "claims": 200_000, "products": 5_000}


def _key() -> str:
    """The migrations and the generators: a change to either rebuilds the cached files."""
    digest = hashlib.sha256(f"pages generator {GENERATOR}".encode())
    for path in sorted((HERE.parent / "migrations").glob("*.py")) + [HERE / "datagen.py"]:
        digest.update(path.name.encode() + path.read_bytes())
    return digest.hexdigest()[:10]


def _extra_products(count: int) -> None:
    from decimal import Decimal

    from portal.catalog.models import Product

    have = Product.select().count()
    _insert(
        Product,
        [
            {"ndc": f"6{n:04d}-{n * 3 % 10000:04d}-11", "name": f"Bench product {n}",
             "generic_name": f"bench product {n}", "strength": "10 mg", "dosage_form": "tablet",
             "package_size": Decimal(100), "package_unit": "each",
             "manufacturer": "Bench Generics", "schedule": None}
            for n in range(have, count)
        ],
    )  # fmt: skip


def _build(sizes: dict):
    def build():
        make_fills(sizes["fills"])
        from portal.patients.models import Patient

        more = sizes["patients"] - Patient.select().count()
        if more > 0:
            make_patients(more, seed=7, allergies=False)
        make_claims(sizes["claims"], patients=0)
        _extra_products(sizes["products"])

    return build


class Site:
    """One cached database, an app on it, and a manager-pharmacist signed in."""

    def __init__(self, fills: int):
        sizes = _sizes(fills)
        started = time.perf_counter()
        # Each page rendered every time (bench.datagen.BENCH_CONFIG: no kept renderings).
        self.app = cached_app(f"pages_{fills}_{_key()}", _build(sizes), IDLE_LOCK_SECONDS=10**6)
        self.built_in = time.perf_counter() - started
        self.database = db.obj
        self.sizes = sizes
        with self.app.app_context():
            user = User.get_or_none(User.username == "bench-everyone") or User.create(
                username="bench-everyone", full_name="Bench Everyone", initials="BE",
                roles="technician pharmacist manager admin", password_hash=secrets.token_hex(16),
            )  # fmt: skip
            terminal = TerminalSession.create(
                terminal=secrets.token_hex(16), user=user, signed_in_by=user
            )
            self.ids = _ids()
        self.client = self.app.test_client()
        with self.client.session_transaction() as session:
            session["terminal"] = terminal.terminal

    def use(self) -> None:
        if db.obj is not self.database:
            if not db.is_closed():
                db.close()
            db.initialize(self.database)

    def get(self, path: str) -> float:
        self.use()
        start = time.perf_counter()
        response = self.client.get(path)
        took = time.perf_counter() - start
        assert response.status_code == 200, (path, response.status_code, response.location)
        return took


def _ids() -> dict:
    """A record of each kind to open (the newest: what staff open most)."""
    from portal.claims.claims.models import Claim
    from portal.compounding.records.models import CompoundingRecord
    from portal.patients.models import Patient
    from portal.prescriptions.fills.models import Fill

    def newest(model, *where):
        query = model.select(model.id).order_by(model.id.desc())
        for condition in where:
            query = query.where(condition)
        row = query.first()
        return row.id if row else None

    return {
        "fill": newest(Fill, Fill.status == "ready"),
        "verify": newest(Fill, Fill.status == "final_verify"),
        "entry": newest(Fill, Fill.status == "data_verify"),
        "patient": newest(Patient),
        "claim": newest(Claim),
        "record": newest(CompoundingRecord),
    }


def pages(ids: dict) -> dict[str, str]:
    found = {
        "start page": "/",
        "queue": "/queue",
        **{f"queue tab {s}": f"/queue?state={s}" for s in _queue_states()},
        "patient search": "/patients/search?q=smith",
        "New Rx": "/prescriptions/new",
        "is it ready?": "/ready",
        "claims work queue": "/claims/",
        "claims work queue: overdue": "/claims/?view=overdue",
        "claims list": "/claims/list",
        "claims dashboard": "/reports/claims",
        "remittances": "/claims/remittances",
        "inventory: products": "/inventory/products",
        "inventory: low stock": "/inventory/low-stock",
        "inventory: expiring": "/inventory/expiring",
        "inventory: expired": "/inventory/expired",
        "compounding records": "/compounding/records",
        "labels batch": "/labels/batch",
        "reports": "/reports/",
        "report: staff activity": "/reports/staff",
        "report: controlled substances": "/reports/controlled",
        "report: inventory value": "/reports/inventory",
        "audit trail": "/audit/",
        "prescribers": "/prescribers/",
    }
    if ids["fill"]:
        found["fill page"] = f"/fills/{ids['fill']}"
    if ids["verify"]:
        found["final verification"] = f"/fills/{ids['verify']}/verify-final"
    if ids["entry"]:
        found["data verification"] = f"/fills/{ids['entry']}/verify-data"
    if ids["patient"]:
        found["patient page"] = f"/patients/{ids['patient']}"
    if ids["claim"]:
        found["claim page"] = f"/claims/{ids['claim']}"
    if ids["record"]:
        found["compounding record"] = f"/compounding/records/{ids['record']}"
    return found


def _queue_states():
    from portal.prescriptions.fills import queues

    return queues.QUEUE_STATES


class _Statements(logging.Handler):
    def __init__(self):
        super().__init__(logging.DEBUG)
        self.seen: list[tuple[str, tuple]] = []

    def emit(self, record):
        if isinstance(record.msg, tuple):
            self.seen.append(record.msg)


def plans(site: Site, paths: dict[str, str]) -> list[str]:
    """Run each page once on site, EXPLAIN every statement; return the worrying lines."""
    logger = logging.getLogger("peewee")
    handler = _Statements()
    worrying, lines = [], []
    for name, path in paths.items():
        handler.seen.clear()
        logger.addHandler(handler)
        previous = logger.level
        logger.setLevel(logging.DEBUG)
        try:
            site.get(path)
        finally:
            logger.removeHandler(handler)
            logger.setLevel(previous)
        lines.append(f"== {name} ({path}): {len(handler.seen)} statements")
        site.use()
        with site.app.app_context():
            for sql, params in handler.seen:
                if not sql.lstrip().upper().startswith("SELECT"):
                    continue
                lines.append(f"  {sql[:300]}")
                steps = _explain(sql, params)
                lines.extend(f"      {step.detail}" for step in steps)
                for scan in full_scans(sql, steps, BIG_TABLES):
                    worrying.append(f"{name}: {scan}  <- {sql[:120]}")
    (HERE / "data").mkdir(exist_ok=True)
    (HERE / "data" / "pages-plans.txt").write_text("\n".join(lines) + "\n")
    return worrying


def _explain(sql: str, params) -> list[Step]:
    if is_sqlite():
        rows = db.execute_sql(f"EXPLAIN QUERY PLAN {sql}", params).fetchall()
        return [Step(row[0], row[1], str(row[-1])) for row in rows]
    rows = db.execute_sql(f"EXPLAIN {sql}", params).fetchall()
    return [Step(number, 0, row[0]) for number, row in enumerate(rows)]


def main() -> None:
    started = time.perf_counter()
    small, large = Site(SMALL), Site(LARGE)
    print(
        f"databases: small {small.sizes}, large {large.sizes} "
        f"(ready in {time.perf_counter() - started:.0f} s; cached in bench/data/)"
    )
    paths = pages(large.ids)
    small_paths = pages(small.ids)
    times = {name: ([], []) for name in paths if name in small_paths}
    for name in times:  # warm both: templates compiled, pages cached by the OS
        small.get(small_paths[name])
        large.get(paths[name])
    for _ in range(REPEAT):
        for name, (a, b) in times.items():
            a.append(small.get(small_paths[name]))
            b.append(large.get(paths[name]))
    failed = 0
    print(f"{'page':34} {'small p50':>10} {'large p50':>10} {'ratio':>7}  target <= {TARGET}x")
    for name, (a, b) in times.items():
        ratio = statistics.median(b) / statistics.median(a)
        verdict = "PASS" if ratio <= TARGET else "FAIL"
        failed += verdict == "FAIL"
        print(
            f"{name:34} {statistics.median(a) * 1000:8.1f} ms {statistics.median(b) * 1000:8.1f} ms"
            f" {ratio:6.2f}x  {verdict}"
        )
    print(f"pages over {TARGET}x: {failed} of {len(times)}")
    worrying = plans(large, paths)
    print(
        f"query plans of every page (large): bench/data/pages-plans.txt; "
        f"{len(worrying)} full scans of a large table:"
    )
    for line in worrying:
        print(f"  {line}")


if __name__ == "__main__":
    main()
