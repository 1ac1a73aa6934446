"""A large batch laid out in parts on several cores prints exactly what one document would."""

import itertools
from concurrent.futures import Future
from concurrent.futures.process import BrokenProcessPool

import pytest
from hypothesis import given
from hypothesis import strategies as st

from portal.labels import render
from portal.labels.pool import MIN_PER_PART, LabelPool, batch_parts, shared_pool
from portal.labels.render import render_labels
from portal.labels.stock import STOCKS, get_stock
from tests.factories import (
    make_compound_label,
    make_controlled_label,
    make_label,
    make_longest_controlled_label,
)
from tests.labels.pdfcheck import page_sizes_in, page_texts


def mixed_batch(count: int, long_at: int) -> list:
    """Plain, controlled and compounded labels in turn, each its own Rx; the longest
    controlled label (one that must give up its cautions) at ``long_at``."""
    makers = itertools.cycle((make_label, make_controlled_label, make_compound_label))
    labels = [
        make(rx_number=str(200000 + n)) for n, make in zip(range(count), makers, strict=False)
    ]
    labels[long_at] = make_longest_controlled_label(rx_number=str(200000 + long_at))
    return labels


@given(
    count=st.integers(1, 400),
    copies=st.integers(1, 10),
    per_page=st.sampled_from(sorted({stock.per_page for stock in STOCKS.values()} | {3, 4, 6})),
    workers=st.integers(1, 6),
)
def test_parts_cover_the_batch_in_order_and_each_starts_a_page(count, copies, per_page, workers):
    parts = batch_parts(count, copies, per_page, workers)
    assert [n for part in parts for n in part] == list(range(count))
    assert 1 <= len(parts) <= workers
    assert all(part.start * copies % per_page == 0 for part in parts)
    if len(parts) > 1:
        assert all(len(part) * copies >= MIN_PER_PART for part in parts)


def test_a_small_batch_or_one_worker_is_not_split():
    assert batch_parts(100, 1, 1, 1) == [range(100)]
    assert batch_parts(MIN_PER_PART * 2 - 1, 1, 1, 4) == [range(MIN_PER_PART * 2 - 1)]
    assert batch_parts(100, 1, 1, 2) == [range(50), range(50, 100)]


def test_parts_of_a_label_sheet_keep_whole_sheets():
    # 10 labels a sheet, 3 copies of each in a row: a sheet boundary falls every 10 labels.
    assert batch_parts(45, 3, 10, 2) == [range(20), range(20, 45)]


@pytest.fixture(scope="module")
def running_pool():
    shared_pool.wait_ready(2)
    return shared_pool


@pytest.mark.parametrize(("stock", "copies"), [("4x2.5", 1), ("letter-10", 3)])
def test_a_batch_in_parts_prints_what_one_document_prints(running_pool, jinja_env, stock, copies):
    labels = mixed_batch(40, long_at=33)  # the long label in the second part
    whole = render_labels(labels, stock, jinja_env, copies)
    split = render_labels(labels, stock, jinja_env, copies, workers=2)
    assert split.html.count("<html") == 2  # it was laid out in two parts
    assert page_texts(split.pdf) == page_texts(whole.pdf)
    assert page_sizes_in(split.pdf) == page_sizes_in(whole.pdf)
    assert split.page_count == whole.page_count == -(-40 * copies // get_stock(stock).per_page)
    assert split.overflow == whole.overflow
    assert [(item.index, item.rx_number) for item in split.overflow] == [(33, "200033")]


def test_a_worker_that_stopped_costs_only_time(running_pool, jinja_env, monkeypatch, caplog):
    def broken(*args):
        future = Future()
        future.set_exception(BrokenProcessPool("a worker was killed"))
        return future

    monkeypatch.setattr(running_pool, "submit", broken)
    labels = mixed_batch(30, long_at=20)
    result = render_labels(labels, "4x2.5", jinja_env, workers=2)
    monkeypatch.undo()
    assert page_texts(result.pdf) == page_texts(render_labels(labels, "4x2.5", jinja_env).pdf)
    assert [item.index for item in result.overflow] == [20]
    assert "a label worker stopped" in caplog.text
    running_pool.wait_ready(2)  # started again for the next batch


def test_the_first_large_batch_does_not_wait_for_workers_to_start(jinja_env, monkeypatch):
    pool = LabelPool()
    monkeypatch.setattr(render, "shared_pool", pool)
    try:
        result = render_labels(mixed_batch(30, long_at=0), "4x2.5", jinja_env, workers=2)
        assert result.html.count("<html") == 1  # laid out here, whole
        assert result.page_count == 30
        pool.wait_ready(2)  # while the workers started for the next one
    finally:
        pool.shutdown()


def test_workers_that_cannot_start_leave_batches_to_this_process(jinja_env, monkeypatch, caplog):
    pool = LabelPool()

    class NoProcesses:
        def shutdown(self, **options):
            pass

    def cannot_start(workers):
        failed = Future()
        failed.set_exception(OSError("cannot start processes here"))
        pool._executor, pool._workers, pool._starting = NoProcesses(), workers, [failed]

    monkeypatch.setattr(pool, "_start", cannot_start)
    monkeypatch.setattr(render, "shared_pool", pool)
    for _ in range(2):
        result = render_labels(mixed_batch(30, long_at=0), "4x2.5", jinja_env, workers=2)
        assert result.html.count("<html") == 1 and result.page_count == 30
    assert caplog.text.count("the label workers could not start") == 1  # said once, not retried


def test_the_pool_is_used_from_two_cores_at_most_four_workers():
    from portal.labels.pool import default_workers

    assert [default_workers(cores) for cores in (1, 2, 3, 4, 6, 16)] == [1, 2, 3, 4, 4, 4]


def test_one_process_starts_no_workers():
    from portal.labels.pool import LabelPool

    pool = LabelPool()
    assert pool.ready(1) is False
    pool.wait_ready(1)  # returns at once
    assert pool._executor is None


def test_served_on_one_core_single_labels_stay_in_the_server():
    pool = LabelPool()
    pool.start_for_server(1)
    assert pool.takes_single(1) is False
    assert pool._executor is None


def test_a_served_label_whose_worker_stopped_is_laid_out_here(jinja_env, monkeypatch, caplog):
    pool = LabelPool()
    pool.use(render.render_part, render._start_worker)
    monkeypatch.setattr(render, "shared_pool", pool)
    try:
        pool.start_for_server(2)
        pool.wait_ready(2)

        def broken(*args):
            future = Future()
            future.set_exception(BrokenProcessPool("a worker was killed"))
            return future

        monkeypatch.setattr(pool, "submit", broken)
        label = make_controlled_label()
        result = render_labels([label], "4x2.5", jinja_env, workers=2)
        monkeypatch.undo()
        assert page_texts(result.pdf) == page_texts(render_labels([label], "4x2.5", jinja_env).pdf)
        assert "a label worker stopped" in caplog.text
        assert pool.takes_single(2) is False  # starting again; labels here meanwhile
        pool.wait_ready(2)
        assert pool.takes_single(2) is True
    finally:
        pool.shutdown()


def test_a_server_forked_after_the_workers_started_starts_its_own(monkeypatch):
    pool = LabelPool()
    pool.use(render.render_part, render._start_worker)
    try:
        pool.wait_ready(2)
        inherited = pool._executor
        # As in a process forked from the one that started them: their threads are not here.
        monkeypatch.setattr(pool, "_owner", -1)
        pool.wait_ready(2)
        assert pool._executor is not inherited
        inherited.shutdown()
    finally:
        pool.shutdown()
