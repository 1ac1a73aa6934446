"""Label rendering: `python -m bench.labels` (or `python -m bench labels`).

Optimized path: portal.labels.render, which keeps the parsed stylesheets, one
FontConfiguration and the compiled template between renders and lays a batch
out as one HTML document, cut into parts on several cores when the machine
has them (portal.labels.pool). Naive baseline, in the same process: a new
FontConfiguration, a fresh parse of label.css and a re-read template for every
label, each label written as its own PDF. Both draw the same labels with the
same template, so the ratio is what the caching and batching buy.
"""

from __future__ import annotations

import itertools
import time
from collections.abc import Callable, Iterator
from pathlib import Path

from jinja2 import Environment, FileSystemLoader
from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration

from bench.common import ms, p50, report, timings
from portal.labels.data import LabelData
from portal.labels.layout import TEMPLATE, label_entry
from portal.labels.pool import (
    MAX_WORKERS,
    POOL_MIN_CORES,
    default_workers,
    shared_pool,
    usable_cores,
)
from portal.labels.printer import BASE_URL, LABEL_CSS, harfbuzz_subsetting_available
from portal.labels.render import render_label, render_labels
from portal.labels.samples import sample_compound_label, sample_controlled_label, sample_label
from portal.labels.stock import get_stock

TEMPLATES = Path(__file__).resolve().parents[1] / "templates"
SINGLE_TARGET_MS = 25
BATCH_TARGET_MS = 1000
BATCH = 100


def mixed_labels(start: int) -> Iterator[LabelData]:
    """Plain, controlled and compounded labels in turn, each with its own Rx number
    (so no barcode is drawn from cache)."""
    kinds = itertools.cycle((sample_label, sample_controlled_label, sample_compound_label))
    for number, make in zip(itertools.count(start), kinds, strict=False):
        yield make(rx_number=str(number))


def naive_pdf(label: LabelData, stock_key: str) -> bytes:
    """One label the obvious way: everything set up again, one PDF per label."""
    font_config = FontConfiguration()
    stock = get_stock(stock_key)
    stylesheets = [
        CSS(filename=str(LABEL_CSS), font_config=font_config),
        CSS(string=stock.css(), font_config=font_config),
    ]
    env = Environment(loader=FileSystemLoader(TEMPLATES), cache_size=0, autoescape=True)
    html = env.get_template(TEMPLATE).render(
        sheets=[[(0, label_entry(0, label))]], title="Prescription label"
    )
    return HTML(string=html, base_url=BASE_URL).write_pdf(
        stylesheets=stylesheets, font_config=font_config
    )


def cpu_timings(action: Callable[[], object], repeat: int, warmup: int = 1) -> list[float]:
    """CPU seconds of this thread per call: on a shared machine, wall time counts
    the wait for a CPU too."""
    for _ in range(warmup):
        action()
    samples = []
    for _ in range(repeat):
        start = time.thread_time()
        action()
        samples.append(time.thread_time() - start)
    return samples


def compare(name: str, fast, naive, target_ms: float, repeat: int, naive_repeat: int) -> None:
    """Wall-clock line (bench.common), then the same runs timed in CPU time."""
    report(name, timings(fast, repeat=repeat), timings(naive, repeat=naive_repeat), target_ms)
    cpu_fast, cpu_naive = cpu_timings(fast, repeat), cpu_timings(naive, naive_repeat)
    report(f"  cpu time, best {ms(min(cpu_fast)).strip()}", cpu_fast, cpu_naive, target_ms)


def floor_pdf(stock_key: str):
    """The library's floor: a 3-line page of the label's size, fonts and CSS kept warm."""
    font_config = FontConfiguration()
    stock = get_stock(stock_key)
    page = CSS(
        string=f"@page {{ size: {stock.label_width}in {stock.label_height}in; margin: 0 }}"
        " body { font: 10pt 'DejaVu Sans', sans-serif; }",
        font_config=font_config,
    )
    html = "<p>Rx 100123-1  Jane Q Patient</p><p>Lisinopril 10 mg tablet</p><p>Take 1 daily</p>"
    return lambda: HTML(string=html).write_pdf(stylesheets=[page], font_config=font_config)


def bench_single(stock: str, env: Environment, labels: Iterator[LabelData]) -> None:
    """One label per PDF, warm: the counter printing a fill; next to the library's floor."""
    compare(
        f"1 label warm, {stock}",
        lambda: render_label(next(labels), stock, env),
        lambda: naive_pdf(next(labels), stock),
        SINGLE_TARGET_MS,
        repeat=40,
        naive_repeat=20,
    )
    floor, label = [], []
    one_floor = floor_pdf(stock)
    one_floor()
    for _ in range(20):  # interleaved, so the machine's load falls on both
        floor.append(timings(one_floor, repeat=1, warmup=0)[0])
        label.append(timings(lambda: render_label(next(labels), stock, env), 1, 0)[0])
    report(f"  next to WeasyPrint's floor (3-line page {stock})", label, floor)


def bench_batch(stock: str, env: Environment, labels: Iterator[LabelData]) -> None:
    """A morning's batch in one PDF, as the app prints it (on the cores it has) and in
    one process; the baseline writes a PDF per label."""

    def batch() -> list[LabelData]:
        return list(itertools.islice(labels, BATCH))

    workers = default_workers()
    shared_pool.wait_ready(workers)
    naive = timings(lambda: [naive_pdf(label, stock) for label in batch()], 2, warmup=1)
    report(
        f"{BATCH} labels in one PDF, {stock}, {workers} cores",
        timings(lambda: render_labels(batch(), stock, env, workers=workers), 7),
        naive,
        BATCH_TARGET_MS,
    )
    # CPU time counts this thread only, so it is shown for the one-process run.
    report(
        "  in one process",
        timings(lambda: render_labels(batch(), stock, env), 5),
        naive,
    )
    cpu_fast = cpu_timings(lambda: render_labels(batch(), stock, env), 5)
    report(f"  in one process, cpu time, best {ms(min(cpu_fast)).strip()}", cpu_fast, naive)


def bench_pool(stock: str, env: Environment, labels: Iterator[LabelData]) -> None:
    """Evidence for the label pool decision: the same batch on the pool and in one process,
    interleaved, on this machine's cores."""
    cores = usable_cores()
    workers = min(max(cores, 2), MAX_WORKERS)
    shared_pool.wait_ready(workers)

    def batch() -> list[LabelData]:
        return list(itertools.islice(labels, BATCH))

    pooled, alone = [], []
    for _ in range(5):
        pooled.append(timings(lambda: render_labels(batch(), stock, env, workers=workers), 1, 0)[0])
        alone.append(timings(lambda: render_labels(batch(), stock, env), 1, 0)[0])
    gain = p50(alone) / p50(pooled)
    chosen = default_workers()
    helps = gain >= 1.15
    agrees = (chosen > 1) == helps
    print(
        f"label pool: {cores} cores; {BATCH} labels on {workers} workers p50 {ms(p50(pooled))}, "
        f"in one process {ms(p50(alone))}: {gain:.2f}x; the app uses "
        f"{chosen} process{'es' if chosen > 1 else ''} (pool from {POOL_MIN_CORES} cores)  "
        f"{'PASS' if agrees else _disagreement(chosen)}"
    )


def _disagreement(chosen: int) -> str:
    if chosen > 1:
        return "FAIL (the pool did not help here in this run: raise POOL_MIN_CORES?)"
    return "FAIL (the pool would help here: lower POOL_MIN_CORES?)"


def main() -> None:
    env = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=True)
    if not harfbuzz_subsetting_available():
        print("WARNING: HarfBuzz subsetting missing; WeasyPrint falls back to slow fontTools")
    labels = mixed_labels(500000)
    for stock in ("4x2.5", "3x2", "letter-10"):
        bench_single(stock, env, labels)
    for stock in ("4x2.5", "letter-10"):
        bench_batch(stock, env, labels)
    bench_pool("letter-10", env, labels)


if __name__ == "__main__":
    main()
