"""Controlled-substance records at scale: `python -m bench controlled`.

1. The state PMP file (ASAP 4.2A) for a day of 500 controlled dispensings, made the way
   the reports page makes it (read the fills, build the file, store it, log its records),
   each run rolled back. Baseline, in the same process: the same records read one fill at
   a time (each fill's prescription, patient and prescriber loaded as it is touched).
   Target: under 1 s.

2. The perpetual inventory of a busy C-II:

Data: one C-II product with 50,000 stock movements over 8 lots (receipts of 500, dispensings
of 10 to 120 with their Rx, counts), among 150,000 movements of 30 other products, built
once and cached in bench/data/ (git-ignored; delete it to rebuild).

Timed, through the test client signed in as a pharmacist (real route, template, auth): the
perpetual-inventory page of that product (newest 100 movements with the running balance)
and its next older page (keyset). Baseline, in the same process: the obvious way, reading
all of the product's movements to add up the running balance in order. Target: the page's
p50 at most 50 ms.
"""

import random
import secrets
from datetime import datetime, timedelta
from decimal import Decimal

from bench.common import report, timings
from bench.datagen import _bench_users, _bulk, _stamp, cached_app
from portal.auth.models import TerminalSession, User
from portal.catalog.controlled import ledger
from portal.catalog.models import Product, QuantityField
from portal.catalog.stock.models import Lot, StockMovement
from portal.foundation.db import db

GENERATOR = 1  # bump when build() changes: the cached file is rebuilt
MOVEMENTS = 50_000
OTHER_MOVEMENTS = 150_000
TARGET_MS = 50
SCALE = int(QuantityField.SCALE)  # rows go in as stored: whole ten-thousandths


def _product(n: int, schedule: str | None) -> Product:
    return Product.create(
        ndc=f"{60000 + n:05d}-{n:04d}-01",
        name=f"Bench drug {n}",
        generic_name="bench",
        strength="5 mg",
        dosage_form="tablet",
        schedule=schedule,
        package_size=100,
        package_unit="each",
    )


def _movements(rng, product, count, users, start, *, lots=8) -> None:
    """Receipts, dispensings and counts spread over the product's lots, oldest first."""
    lot_rows = [
        Lot.create(
            product=product,
            lot_number=f"B{product.id}-{n}",
            expires_on=start.date() + timedelta(days=900),
            received_on=start.date(),
            unit="each",
        )
        for n in range(lots)
    ]
    balances = {lot.id: 0 for lot in lot_rows}
    rows, at = [], start
    for n in range(count):
        lot = lot_rows[n % lots]
        at += timedelta(minutes=rng.randint(1, 20))
        if balances[lot.id] < 150 * SCALE:
            delta, reason, note = 500 * SCALE, "received", f"Invoice {n}"
        elif n % 97 == 0:
            delta, reason, note = -1 * SCALE, "adjusted", "Controlled count: one broken"
        else:
            delta = -rng.randint(10, 120) * SCALE
            reason, note = "dispensed", f"Rx {100000 + n}-0"
        balances[lot.id] += delta
        rows.append(
            (
                lot.id,
                delta,
                reason,
                note,
                rng.choice(users),
                _stamp(at),
                balances[lot.id],
                n if reason == "dispensed" else None,
            )
        )
    names = ("lot", "delta", "reason", "note", "user", "at", "balance_after", "fill_id")
    _bulk(StockMovement, names, rows)
    for lot in lot_rows:
        Lot.update(quantity_on_hand=Decimal(balances[lot.id]) / SCALE).where(
            Lot.id == lot.id
        ).execute()


def build() -> None:
    rng = random.Random(7)
    pharmacists, technicians = _bench_users()
    users = pharmacists + technicians
    start = datetime(2024, 1, 2, 9, 0)
    with db.atomic():
        busy = _product(0, "2")
        _movements(rng, busy, MOVEMENTS, users, start)
        for n in range(1, 31):
            other = _product(n, "2" if n % 3 == 0 else None)
            _movements(rng, other, OTHER_MOVEMENTS // 30, users, start, lots=3)


def naive_running_balance(product) -> list:
    """Every movement of the product, oldest first, each with the balance after it."""
    lots = [lot.id for lot in Lot.select(Lot.id).where(Lot.product == product)]
    balance, found = 0, []
    for movement in (
        StockMovement.select().where(StockMovement.lot.in_(lots)).order_by(StockMovement.id)
    ):
        balance += movement.delta
        found.append((movement, balance))
    return found[-100:][::-1]


PMP_DISPENSINGS = 500
PMP_TARGET_MS = 1000


def build_pmp_day() -> None:
    """500 C-II fills picked up on one day (patients, prescribers and prescriptions too)."""
    from bench.datagen import _FillMaker, _prescribers, make_patients
    from portal.prescriptions.fills.models import Fill

    rng = random.Random(11)
    with db.atomic():
        patients = make_patients(400, seed=11)
        pharmacists, technicians = _bench_users()
        product = _product(900, "2")
        now = datetime(2026, 3, 3, 18, 0)
        maker = _FillMaker(
            rng,
            patients,
            _prescribers(rng, 40),
            [(product.id, "tab", "2")],
            [],
            (pharmacists, technicians),
            now,
        )
        for n in range(PMP_DISPENSINGS):
            rx = maker.prescription(now - timedelta(days=1, minutes=n))
            maker.fill(rx, 0, "picked_up", now - timedelta(hours=8))
        maker.flush()
        Fill.update(filled_on=PMP_DAY, dispensed_ndc=product.ndc).execute()


PMP_DAY = datetime(2026, 3, 2).date()


def naive_pmp_records(day):
    """The obvious way: one fill at a time, its rows loaded as they are touched."""
    from portal.prescriptions.fills.models import Fill
    from portal.reports.pmp import gather

    fills = Fill.select().where(Fill.filled_on == day)
    return [gather.record(fill, "00", False, False) for fill in fills]


def bench_pmp() -> None:
    import os

    from portal.reports.pmp import gather, submit
    from portal.reports.pmp.models import PmpSubmission

    app = cached_app(f"controlled_pmp_v{GENERATOR}", build_pmp_day)
    with app.app_context():

        def make() -> None:
            with db.atomic() as transaction:
                made = submit.make_file(PMP_DAY)
                assert made.record_count == PMP_DISPENSINGS, made.record_count
                os.remove(submit.file_path(made))
                transaction.rollback()

        assert len(gather.dispensed_on(PMP_DAY)) == PMP_DISPENSINGS
        assert PmpSubmission.select().count() == 0
        baseline = timings(lambda: naive_pmp_records(PMP_DAY), repeat=5, warmup=1)
        report(
            f"PMP file, a day of {PMP_DISPENSINGS} dispensings",
            timings(make, 10, 1),
            baseline,
            PMP_TARGET_MS,
        )
        print("  baseline: the records alone, read one fill at a time")


def main() -> None:
    bench_pmp()
    app = cached_app(f"controlled_v{GENERATOR}", build, IDLE_LOCK_SECONDS=10**6)
    with app.app_context():
        product = Product.get(Product.ndc == "60000-0000-01")
        pharmacist = User.get(User.username == "bench-phar0")
        terminal = TerminalSession.create(
            terminal=secrets.token_hex(16), user=pharmacist, signed_in_by=pharmacist
        )
        older = ledger.page(product).before_id
        naive = naive_running_balance(product)
        fast = ledger.page(product)
        assert [e.balance for e in fast.entries] == [b for _, b in naive], "balances differ"
    client = app.test_client()
    with client.session_transaction() as session:
        session["terminal"] = terminal.terminal
    url = f"/inventory/controlled/products/{product.id}"

    def get(query=None):
        response = client.get(url, query_string=query or {})
        assert response.status_code == 200, response.status_code

    with app.app_context():
        baseline = timings(lambda: naive_running_balance(product), repeat=10)
    report(
        f"perpetual inventory page ({MOVEMENTS // 1000}k movements)",
        timings(get, 50),
        baseline,
        TARGET_MS,
    )
    report(
        "  next older page (keyset)",
        timings(lambda: get({"before": older}), 50),
        baseline,
        TARGET_MS,
    )
    print("  baseline: all movements read to add up the running balance")


if __name__ == "__main__":
    main()
