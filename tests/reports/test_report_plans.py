"""Reports over a period read the period's index entries, not every fill (SQLite's planner)."""

import logging
from datetime import date, datetime, timedelta

import pytest

from portal.foundation.db import db, is_sqlite, refresh_statistics
from portal.reports import controlled, staff

# The date each report narrows by: the index searched must start from it.
PERIOD_COLUMNS = (
    "filled_on", "entered_at", "filled_at", "picked_up_at", "at", "completed_at",
    "approved_at", "printed_at",
)  # fmt: skip


class _Statements(logging.Handler):
    def __init__(self):
        super().__init__(logging.DEBUG)
        self.seen = []

    def emit(self, record):
        if isinstance(record.msg, tuple):
            self.seen.append(record.msg)


def _searched_by_period(step: str) -> bool:
    """A SEARCH whose index constraint starts with a period column, like
    `SEARCH t1 USING COVERING INDEX fill_entered_at_entered_by_id (entered_at>? AND ...)`."""
    if not step.startswith("SEARCH") or "(" not in step:
        return False
    first = step.split("(", 1)[1].lstrip()
    return any(
        first.startswith(f"{column}>") or first.startswith(f"{column}=")
        for column in PERIOD_COLUMNS
    )


def _full_scans(run) -> list[str]:
    logger, handler = logging.getLogger("peewee"), _Statements()
    logger.addHandler(handler)
    level = logger.level
    logger.setLevel(logging.DEBUG)
    try:
        run()
    finally:
        logger.removeHandler(handler)
        logger.setLevel(level)
    assert handler.seen, "the report ran no statements"
    scans = []
    for sql, params in handler.seen:
        steps = [str(row[-1]) for row in db.execute_sql(f"EXPLAIN QUERY PLAN {sql}", params)]
        # The first table read is the one the period narrows (the rest are joined by key).
        driving = next(s for s in steps if s.startswith(("SCAN", "SEARCH")))
        if not _searched_by_period(driving):
            scans.append(f"{driving} <- {sql[:100]}")
    return scans


@pytest.fixture
def sqlite_only(app):
    if not is_sqlite():
        pytest.skip("SQLite's planner")
    refresh_statistics()


def test_staff_activity_reads_only_the_period(sqlite_only):
    end = datetime(2026, 3, 1)
    assert _full_scans(lambda: staff.activity(end - timedelta(days=30), end)) == []


def _as_at_a_million_fills() -> None:
    """The planner's statistics of a pharmacy with a million fills over three years (written
    as ANALYZE would, sqlite.org/fileformat2.html#stat1tab): nearly every fill is in a
    dispensed state, a day holds about a thousand."""
    stats = {
        "fill_status_queue_rank_created_at_id": "1000000 125000 60000 2 1",
        "fill_filled_on_status": "1000000 1000 200",
    }
    db.execute_sql("DELETE FROM sqlite_stat1 WHERE tbl = 'fill'")
    for index, stat in stats.items():
        db.execute_sql("INSERT INTO sqlite_stat1 VALUES ('fill', ?, ?)", (index, stat))
    db.execute_sql("ANALYZE sqlite_schema")  # reload them


def test_controlled_log_reads_only_the_period(sqlite_only):
    end = date(2026, 3, 1)
    _as_at_a_million_fills()
    scans = _full_scans(lambda: list(controlled.dispensed(end - timedelta(days=30), end)))
    assert scans == []
