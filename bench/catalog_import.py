"""Catalog import and stock movements at a pharmacy's scale.

Import: a products file of BENCH_PRODUCTS rows (default 5,000; the FDA directory filtered to
what a pharmacy stocks is a few thousand), each with one active ingredient from a pool of
400. Timed: the preview (parse + compare with what is on file) and the confirmed import
(one transaction: products, ingredient links, a create audit event per row, one import
event). Baseline: the same products written with Product.insert_many in one transaction,
no checks, no links, no audit — the floor any import pays.

Stock: Lot.withdraw (guarded UPDATE + movement row + audit event) against a plain
StockMovement insert, p50 over 300 withdrawals; and the low-stock list over every product.
"""

import os
import random
import time
from datetime import date, timedelta
from decimal import Decimal

from bench.common import report, timings
from bench.datagen import scratch_app
from portal.catalog.importing import batch as importing
from portal.catalog.models import Product
from portal.catalog.stock.models import Lot, StockMovement, low_stock, low_stock_count
from portal.foundation.db import write_transaction

PRODUCTS = int(os.environ.get("BENCH_PRODUCTS", "5000"))
HEADER = "ndc,name,strength,dosage_form,package_size,package_unit,schedule,manufacturer,"
HEADER += "acquisition_cost,reorder_point,active_ingredients\n"


def _file(count: int, rng: random.Random) -> bytes:
    lines = [HEADER]
    for n in range(count):
        substance = f"Substance {rng.randrange(400):03d}"
        schedule = rng.choice(["", "", "", "", "CII", "CIV"])
        lines.append(
            f"{10000 + n // 100:05d}-{n % 10000:04d}-{n % 100:02d},{substance},"
            f"{rng.choice([5, 10, 20, 50])} mg,tablet,100,each,{schedule},Bench Labs,"
            f"{rng.randrange(200, 9000) / 100:.2f},{rng.choice([0, 100, 200])},{substance}: 5 mg\n"
        )
    return "".join(lines).encode()


def _once(action) -> list[float]:
    start = time.perf_counter()
    action()
    return [time.perf_counter() - start]


def main() -> None:
    rng = random.Random(11)
    data = _file(PRODUCTS, rng)
    upload = importing.Upload(token="", user_id=0, filename="bench.csv", data=data)

    baseline_app = scratch_app("catalog_import_baseline")
    with baseline_app.app_context():
        rows = [
            {k: v for k, v in r.values.items()} for r in importing.read_plan(upload).parsed.rows
        ]

        def plain_insert():
            with write_transaction():
                for start in range(0, len(rows), 500):
                    Product.insert_many(rows[start : start + 500]).execute()

        baseline = _once(plain_insert)
    report(f"baseline: insert_many {PRODUCTS} products", baseline)

    app = scratch_app("catalog_import")
    with app.app_context():
        report(
            f"preview {PRODUCTS} rows (empty catalog)",
            _once(lambda: importing.read_plan(upload)),
            baseline,
        )
        report(
            f"confirmed import {PRODUCTS} rows",
            _once(lambda: importing.apply(upload, user=None)),
            baseline,
        )
        assert Product.select().count() == PRODUCTS
        report(
            f"preview {PRODUCTS} rows (all on file)",
            _once(lambda: importing.read_plan(upload)),
            baseline,
        )

        today = date.today()
        products = list(Product.select().limit(300))
        lots = [
            Lot.receive(
                p, lot_number="B1", expires_on=today + timedelta(days=300), quantity=Decimal(10**6)
            )
            for p in products
        ]
        cycle = iter(lots * 10)
        withdraw = timings(lambda: next(cycle).withdraw(Decimal("1.5"), "dispensed"), repeat=300)
        plain_cycle = iter(lots * 10)
        plain = timings(
            lambda: StockMovement.create(
                lot=next(plain_cycle), delta=Decimal("-1.5"), reason="dispensed", balance_after=0
            ),
            repeat=300,
        )
        report("baseline: plain StockMovement insert", plain)
        report("Lot.withdraw (guard + movement + audit)", withdraw, plain, target_ms=20)
        # Every other product stocked like a pharmacy's shelf: most above the reorder point.
        stocked = [
            {
                "product": p.id,
                "lot_number": "S1",
                "expires_on": today + timedelta(days=rng.randrange(-30, 700)),
                "received_on": today,
                "unit": "each",
                "quantity_on_hand": Decimal(rng.choice([0, 50, 150, 300, 1000])),
            }
            for p in Product.select().where(Product.id.not_in([p.id for p in products]))
        ]
        with write_transaction():
            for start in range(0, len(stocked), 500):
                Lot.insert_many(stocked[start : start + 500]).execute()
        rows = low_stock(today)
        report(
            f"low_stock() over {PRODUCTS} products ({len(rows)} low)",
            timings(lambda: low_stock(today), repeat=20),
            target_ms=200,
        )
        report(
            "  low_stock_count() for the start page",
            timings(lambda: low_stock_count(today), repeat=20),
            timings(lambda: len(low_stock(today)), repeat=20),
        )
