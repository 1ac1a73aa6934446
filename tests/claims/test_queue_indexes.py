"""The claims queue's counts use indexes that lead with what they filter on, and the
planner's statistics are refreshed by `db upgrade` and `db analyze`."""

import re
from datetime import date, timedelta
from decimal import Decimal

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


def test_the_work_queue_page_is_the_same_as_sorting_every_claim(app):
    """The follow-up cut-off only skips claims that could not make the page."""
    today = date.today()
    user = make_user()
    follow_ups = [3, 1, 1, 5, None, 2, 2, 2, 9, None, 4, 1, 6]
    for n, days in enumerate(follow_ups):
        claim = make_claim("rejected", ingredient_cost=Decimal(10 + n * 7 % 5))
        when = today - timedelta(days=days) if days is not None else None
        Claim.update(follow_up_on=when).where(Claim.id == claim.id).execute()

    def everything():
        balance = Claim.billed - Claim.other_payer_paid - Claim.paid - Claim.written_off
        query = queries._in_view(Claim.select(), "action", today, user)
        ordered = query.order_by(Claim.follow_up_on.asc(nulls="LAST"), balance.desc(), Claim.id)
        return [claim.id for claim in ordered]

    for limit in (1, 3, 5, 8, 11, 12, 20):
        page = [claim.id for claim in queries.work_queue("action", today, user, limit=limit)]
        assert page == everything()[:limit], limit


def test_the_claims_list_pages_by_keyset_through_every_claim_once(client_as, monkeypatch):
    monkeypatch.setattr(queries, "LIST_PAGE", 3)
    today = date.today()
    made = []
    for days in (1, 1, 1, 2, 5, 5, 9):  # ties on the date of service across a page's edge
        made.append(make_claim("submitted", date_of_service=today - timedelta(days=days)))
    expected = [
        c.claim_reference
        for c in sorted(made, key=lambda c: (c.date_of_service, c.id), reverse=True)
    ]
    client = client_as("manager")
    seen, after, pages = [], "", 0
    while True:
        page = client.get("/claims/list", query_string={"after": after} if after else {})
        assert page.status_code == 200
        text = page.get_data(as_text=True)
        seen += [ref for ref in expected if ref in text]
        pages += 1
        found = re.search(r'href="[^"]*after=([0-9-]+\.[0-9]+)[^"]*">Next', text)
        if not found:
            break
        after = found.group(1)
    assert seen == expected and pages == 3
    assert "Back to the newest" in text


def test_a_garbled_claims_list_cursor_shows_the_first_page(client_as):
    make_claim("submitted")
    for after in ("nonsense", "2026-13-01.5", "2026-01-01.²", "."):
        response = client_as("manager").get("/claims/list", query_string={"after": after})
        assert response.status_code == 200


def test_a_fills_and_a_claims_secondaries_come_from_indexes_without_the_nulls(app, sqlite_only):
    """Most claims without a fill (or a primary) made the plain foreign-key index look
    useless to the planner, which then read every claim for the fill and claim pages."""
    for _ in range(30):
        make_claim("submitted")  # no fill
    refresh_statistics()
    plan = _plan(Claim.for_fill(12345))
    assert "claim_fill_present" in plan, plan
    claim = Claim.select().first()
    plan = _plan(claim.secondary_claims)
    assert "claim_primary_present" in plan, plan


def test_the_index_of_claims_with_a_fill_exists_on_both_databases(app):
    names = {index.name for index in db.get_indexes("claim")}
    assert {"claim_fill_present", "claim_primary_present"} <= names


def test_the_needs_action_count_is_the_number_of_claims_the_view_shows(app):
    today = date.today()
    user = make_user()
    for status, days in (("draft", None), ("rejected", 2), ("submitted", 1), ("submitted", -3),
                         ("submitted", None), ("paid", 5), ("partially_paid", -1)):  # fmt: skip
        claim = make_claim(status)
        when = today - timedelta(days=days) if days is not None else None
        Claim.update(follow_up_on=when).where(Claim.id == claim.id).execute()
    shown = Claim.select().where(queries._needs_action(today)).count()
    assert queries.queue_counts(today, user)["action"] == shown == 4


def test_the_start_page_counts_only_the_views_it_shows_and_they_agree(app):
    today = date.today()
    user = make_user()
    for status, days in (("rejected", 2), ("submitted", 1), ("submitted", -3), ("draft", None)):
        claim = make_claim(status)
        when = today - timedelta(days=days) if days is not None else None
        Claim.update(follow_up_on=when, assigned_to=user).where(Claim.id == claim.id).execute()
    every = queries.queue_counts(today, user)
    assert every == {"action": 3, "waiting": 1, "mine": 4, "overdue": 2}
    shown = queries.queue_counts(today, user, ("overdue", "action", "mine"))
    assert shown == {"action": 3, "mine": 4, "overdue": 2}


# sqlite_stat1 of the claim indexes the queue's sort could use, from the bench's generated
# database (200k claims, ANALYZE): what the planner weighs at a pharmacy group's size.
STATS_AT_200K = {
    "claim_follow_up_on_status_payer_id_billed_other_payer_pa_6d51d72": (
        "200000 6452 1291 216 2 2 2 1 1"
    ),
    "claim_status_follow_up_on_payer_id": "200000 20000 1291 216",
    "claim_status_date_of_service": "200000 20000 31",
}


@pytest.mark.parametrize("view", ["action", "overdue"])
def test_the_queue_sorts_its_candidates_from_a_covering_index(app, sqlite_only, view):
    """Follow-up date then balance, worked out from the index alone (migration 0160): at
    200k claims no candidate claim is read from the table to be sorted."""
    from playhouse.test_utils import count_queries

    today = date.today()
    user = make_user()
    for days in range(12):
        make_claim("rejected", today=today - timedelta(days=days + 40))
        make_claim("submitted", today=today - timedelta(days=days + 40))
    refresh_statistics()
    db.execute_sql("DELETE FROM sqlite_stat1 WHERE tbl = 'claim'")
    for index, stat in STATS_AT_200K.items():
        db.execute_sql("INSERT INTO sqlite_stat1 VALUES ('claim', ?, ?)", (index, stat))
    db.execute_sql("ANALYZE sqlite_schema")  # the planner reads the statistics again
    with count_queries() as counted:
        rows = queries.work_queue(view, today, user, limit=10)
    assert len(rows) == 10
    sorts = [q.msg for q in counted.get_queries() if "ROUND" in q.msg[0] and "LIMIT" in q.msg[0]]
    sorts = [(sql, params) for sql, params in sorts if '"t1"."id" IN' not in sql]
    assert sorts  # one statement a part (needs action: the rejected ones, the due ones)
    for sql, params in sorts:
        rows = db.execute_sql(f"EXPLAIN QUERY PLAN {sql}", params).fetchall()
        plan = " | ".join(str(row[-1]) for row in rows)
        assert "COVERING INDEX claim_follow_up_on_status_payer_id_billed" in plan, plan


def test_the_claims_list_reads_its_order_from_an_index(app, sqlite_only):
    """Newest date of service first, ties by id: no sort before the page's LIMIT stops it."""
    for days in (1, 1, 2, 3):
        make_claim("submitted", date_of_service=date.today() - timedelta(days=days))
    # No statistics: with four claims counted a scan of them all would rightly win.
    db.execute_sql("DROP TABLE IF EXISTS sqlite_stat1")
    filters, _ = queries.ClaimFilters.from_args({})
    plan = _plan(queries.filtered_claims(filters, date.today()).limit(queries.LIST_PAGE))
    assert "claim_date_of_service_id" in plan, plan
    assert "TEMP B-TREE" not in plan, plan
