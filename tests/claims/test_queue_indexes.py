"""The claims queue's counts use indexes that lead with what they filter on, and the
planner's statistics are refreshed by `db upgrade` and `db analyze`."""

from datetime import date, timedelta

import pytest

from portal.claims.claims import queries
from portal.claims.claims.models import Claim
from portal.foundation.db import db, is_sqlite, refresh_statistics
from tests.factories import make_claim, make_user


def _plan(query) -> str:
    sql, params = query.sql()
    rows = db.execute_sql(f"EXPLAIN QUERY PLAN {sql}", params).fetchall()
    return " | ".join(str(row[-1]) for row in rows)


@pytest.fixture
def sqlite_only(app):
    if not is_sqlite():
        pytest.skip("SQLite's planner")


def test_each_queue_count_searches_the_status_first_index(app, sqlite_only):
    today = date.today()
    user = make_user()
    for status in ("draft", "submitted", "rejected", "paid"):
        make_claim(status, today=today - timedelta(days=20))
    refresh_statistics()
    counts = {
        "waiting": Claim.select().where(
            Claim.status.in_(["submitted", "appealed"])
            & (Claim.follow_up_on.is_null() | (Claim.follow_up_on > today))
        ),
        "overdue": Claim.select().where(queries._open() & (Claim.follow_up_on < today)),
        "mine": Claim.select().where(queries._open() & (Claim.assigned_to == user)),
    }
    for name, query in counts.items():
        plan = _plan(query.select(Claim.id))
        assert "claim_status_follow_up_on_payer_id" in plan or (
            name == "mine" and "claim_assigned_to_id_status" in plan
        ), f"{name}: {plan}"
    assert queries.queue_counts(today, user)["overdue"] >= 0


def test_db_analyze_refreshes_the_statistics(app, runner):
    make_claim("submitted")
    result = runner.invoke(args=["db", "analyze"])
    assert result.exit_code == 0, result.output
    assert "statistics refreshed" in result.output
    if is_sqlite():
        tables = {row[0] for row in db.execute_sql("SELECT tbl FROM sqlite_stat1").fetchall()}
    else:
        tables = {
            row[0]
            for row in db.execute_sql(
                "SELECT relname FROM pg_stat_user_tables WHERE last_analyze IS NOT NULL"
            ).fetchall()
        }
    assert "claim" in tables


def test_upgrade_counts_the_rows_for_the_planner(app, runner, sqlite_only):
    make_claim("draft")
    db.execute_sql("DROP TABLE IF EXISTS sqlite_stat1")
    assert runner.invoke(args=["db", "upgrade"]).exit_code == 0
    tables = {row[0] for row in db.execute_sql("SELECT tbl FROM sqlite_stat1").fetchall()}
    assert "claim" in tables
