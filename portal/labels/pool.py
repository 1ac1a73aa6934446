"""Large label batches laid out on several cores, then joined into one PDF.

WeasyPrint is pure Python and holds the interpreter lock: a label costs about
12 ms of one core, so a morning batch of 100 took over a second in one
process while the pharmacy machine's other cores sat idle. A batch is cut
into parts at page boundaries; the first part is laid out here, the others
in worker processes (``spawn``: safe beside the web server's threads), and
the parts' PDFs are joined.

The pool is started by the first batch big enough to split, which is laid
out here while the workers start (about a second), so no print ever waits
for them; later batches use them. A worker that dies costs nothing either:
its part is laid out here and the pool is started again.
"""

from __future__ import annotations

import atexit
import concurrent.futures
import logging
import math
import multiprocessing
import os
import threading
import time
from collections.abc import Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from itertools import pairwise

from portal.labels.data import LabelData

log = logging.getLogger(__name__)

# Below this many labels (copies counted) a part is not worth a worker: the
# round trip to it and the join cost about as much as laying the part out here.
MIN_PER_PART = 12
MAX_WORKERS = 4  # 100 labels in 4 parts already spend a fifth of their time on fixed costs
# Fewer cores than this and the batch stays in one process. On 2 shared cores the pool
# still laid out a 100-label batch 1.2-1.8x faster than one process (bench.labels, which
# prints this comparison wherever it runs), worth its ~110 MB of worker memory; on one
# core it can only lose.
POOL_MIN_CORES = 2


def usable_cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def default_workers(cores: int | None = None) -> int:
    """Processes for a label batch: one below POOL_MIN_CORES cores, else one per core, at
    most MAX_WORKERS."""
    cores = usable_cores() if cores is None else cores
    if cores < POOL_MIN_CORES:
        return 1
    return min(cores, MAX_WORKERS)


def batch_parts(count: int, copies: int, per_page: int, workers: int) -> list[range]:
    """``range(count)`` cut into at most ``workers`` runs of labels, each starting a page.

    Copies of a label print in a row, so label ``b`` starts a page when
    ``b * copies`` is a multiple of ``per_page``; parts cut there lay out
    exactly as the whole batch would. Parts are as even as pages allow and
    hold at least MIN_PER_PART labels with their copies.
    """
    if count < 1:
        return []
    step = per_page // math.gcd(per_page, copies)  # labels in the smallest page-aligned run
    runs = math.ceil(count / step)
    for parts in range(min(workers, runs), 1, -1):
        bounds = [min(count, (runs * n // parts) * step) for n in range(parts + 1)]
        if all((end - start) * copies >= MIN_PER_PART for start, end in pairwise(bounds)):
            return [range(start, end) for start, end in pairwise(bounds)]
    return [range(count)]


class LabelPool:
    """Worker processes for label parts, started on first need; thread-safe."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        # What a worker runs, given by the renderer (render.py), which builds on this module:
        # work(labels, stock, copies) for a part, and start(parent_pid) once per worker.
        self._work = None
        self._start_worker = None
        self._executor: ProcessPoolExecutor | None = None
        self._workers = 0
        self._starting: list[Future] = []  # one task per worker, done once it has started
        self._failed = False
        # Set where the portal is served (start_for_server): single labels go to a worker.
        self._serving = False
        self._owner = os.getpid()

    def start_for_server(self, workers: int) -> None:
        """Start the workers with the server (without waiting) and let them take single labels
        too. Under a full counter a label laid out in the server process shares its core and
        its interpreter lock with every other page (bench.counter_day: label print p50 440 ms,
        p99 580-1,400 ms on 2 cores); in a worker it has a core of its own. One process: no."""
        if workers < 2:
            return
        self._serving = True
        self.ready(workers)

    def takes_single(self, workers: int) -> bool:
        """Whether a single label goes to a worker: served with workers up (starting them
        again if one died; until they are up, labels are laid out here)."""
        return self._serving and self.ready(workers)

    def stop_serving(self) -> None:
        """Single labels are laid out here again (tests)."""
        self._serving = False

    def ready(self, workers: int) -> bool:
        """Whether ``workers`` - 1 processes are up; if not, start them (without waiting).

        Workers that cannot start at all (a machine that cannot spawn processes) are not
        tried again: batches are laid out here, as on one core."""
        if workers < 2:  # one process: nothing to start
            return False
        with self._lock:
            if self._failed:
                return False
            if self._owner != os.getpid():
                # Forked (a server that loads the app before forking its workers): the
                # parent's executor and its threads are not this process's to use.
                self._executor, self._starting, self._workers = None, [], 0
            if self._executor is None or self._workers != workers:
                self._start(workers)
            if not all(task.done() for task in self._starting):
                return False
            problem = next(filter(None, (task.exception() for task in self._starting)), None)
            if problem is not None:
                log.warning(
                    "Labels: the label workers could not start (%s); batches are laid out "
                    "in the server process",
                    problem,
                )
                self._failed = True
                self._stop(wait=False)
                return False
            return True

    def wait_ready(self, workers: int, timeout: float = 60) -> None:
        """Block until the workers are up (benchmarks, tests); none for one process."""
        if not self.ready(workers) and workers < 2:
            return
        for task in concurrent.futures.as_completed(self._starting, timeout):
            task.result()

    def submit(self, labels: Sequence[LabelData], stock: str, copies: int) -> Future:
        with self._lock:
            if self._executor is None:
                raise BrokenProcessPool("label workers are not running")
            return self._executor.submit(self._work, list(labels), stock, copies)

    def use(self, work, start_worker) -> None:
        """Set what the workers run (module-level functions, so ``spawn`` can find them)."""
        self._work, self._start_worker = work, start_worker

    def restart(self) -> None:
        """Drop a broken pool; the next batch starts a new one."""
        with self._lock:
            self._stop(wait=False)

    def shutdown(self) -> None:
        """Stop the workers and wait for them (at exit: no half-torn-down executor left)."""
        with self._lock:
            self._stop(wait=True)

    def _start(self, workers: int) -> None:
        self._stop(wait=False)
        self._owner = os.getpid()
        self._workers = workers
        self._executor = ProcessPoolExecutor(
            max_workers=workers - 1,
            mp_context=multiprocessing.get_context("spawn"),
            initializer=self._start_worker,
            initargs=(os.getpid(),),
        )
        # The pool starts a worker per task waiting: one task each starts them all now.
        self._starting = [self._executor.submit(_started_up) for _ in range(workers - 1)]

    def _stop(self, wait: bool) -> None:
        if self._executor is not None:
            self._executor.shutdown(wait=wait, cancel_futures=True)
        self._executor = None
        self._starting = []
        self._workers = 0


shared_pool = LabelPool()
atexit.register(shared_pool.shutdown)


def _started_up() -> None:
    """Nothing: the worker's initializer has done the work by the time this runs."""


def exit_with_parent(parent_pid: int) -> None:
    """In a worker: leave when the server does (a worker outliving a killed server would wait
    on its queue for ever)."""
    while os.getppid() == parent_pid:
        time.sleep(2)
    os._exit(0)
