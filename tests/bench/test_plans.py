"""The per-page bench tells a real full scan of a large table from a walk by the primary key
that stops at its LIMIT (the audit chain's head, the audit trail's newest page), reading
SQLite's own plans of the statements peewee writes."""

import sqlite3

import pytest

from bench.plans import Step, full_scans, outside_parentheses

BIG = ("audit_event", "fill", "patient")


@pytest.fixture(scope="module")
def database():
    connection = sqlite3.connect(":memory:")
    connection.executescript(
        """
        CREATE TABLE patient (id INTEGER PRIMARY KEY, last_name TEXT);
        CREATE TABLE user (id INTEGER PRIMARY KEY, full_name TEXT);
        CREATE TABLE audit_event (id INTEGER PRIMARY KEY, user_id INTEGER, action TEXT,
                                  hash TEXT, at TEXT);
        CREATE TABLE fill (id INTEGER PRIMARY KEY, patient_id INTEGER, status TEXT,
                           created_at TEXT);
        CREATE INDEX fill_status ON fill (status, created_at);
        """
    )
    yield connection
    connection.close()


def scans(database, sql: str) -> list[str]:
    rows = database.execute(f"EXPLAIN QUERY PLAN {sql}", [1] * sql.count("?")).fetchall()
    return full_scans(sql, [Step(row[0], row[1], row[-1]) for row in rows], BIG)


def test_the_audit_chains_head_and_newest_page_are_no_full_scans(database):
    head = 'SELECT "t1"."hash" FROM "audit_event" AS "t1" ORDER BY "t1"."id" DESC LIMIT ?'
    assert scans(database, head) == []
    newest = (
        'SELECT "t1"."id", "t1"."action", "t2"."full_name" FROM "audit_event" AS "t1" '
        'LEFT OUTER JOIN "user" AS "t2" ON ("t1"."user_id" = "t2"."id") '
        'ORDER BY "t1"."id" DESC LIMIT ?'
    )
    assert scans(database, newest) == []
    assert scans(database, "SELECT hash FROM audit_event ORDER BY id LIMIT 1") == []


def test_a_read_of_every_row_is_a_full_scan(database):
    assert scans(database, 'SELECT "t1"."patient_id" FROM "fill" AS "t1"') == ["SCAN t1"]
    assert scans(database, 'SELECT COUNT(*) FROM "audit_event" AS "t1" WHERE "t1"."hash" = ?')
    # Sorted by something else first: every row is read before the first comes out.
    assert scans(
        database, 'SELECT "t1"."id" FROM "patient" AS "t1" ORDER BY "t1"."last_name" LIMIT ?'
    )


@pytest.mark.parametrize(
    "sql",
    [
        # A filter no index serves: the walk goes on until enough rows match.
        'SELECT "t1"."id" FROM "audit_event" AS "t1" WHERE ("t1"."action" = ?) '
        'ORDER BY "t1"."id" DESC LIMIT ?',
        # An OFFSET walks every row it skips.
        'SELECT "t1"."id" FROM "audit_event" AS "t1" ORDER BY "t1"."id" DESC LIMIT ? OFFSET ?',
        # No LIMIT: the whole table in order.
        'SELECT "t1"."id" FROM "audit_event" AS "t1" ORDER BY "t1"."id" DESC',
        # An inner join passes over rows without their match.
        'SELECT "t1"."id" FROM "audit_event" AS "t1" INNER JOIN "user" AS "t2" '
        'ON ("t1"."user_id" = "t2"."id") ORDER BY "t1"."id" DESC LIMIT ?',
        # Grouped: the LIMIT counts groups.
        'SELECT "t1"."id" FROM "audit_event" AS "t1" GROUP BY "t1"."id" '
        'ORDER BY "t1"."id" DESC LIMIT ?',
    ],
)
def test_a_walk_by_the_key_that_may_read_on_past_its_limit_is_still_reported(database, sql):
    assert scans(database, sql) == ["SCAN t1"]


def test_a_scan_nested_inside_a_join_is_reported_whatever_the_order(database):
    # The patient table walked in id order outside; fill scanned whole for each patient
    # (a LIKE no index serves).
    sql = (
        'SELECT "t1"."id", "t2"."patient_id" FROM "patient" AS "t1" LEFT OUTER JOIN "fill" '
        'AS "t2" ON ("t2"."patient_id" LIKE "t1"."last_name") ORDER BY "t1"."id" DESC LIMIT ?'
    )
    assert scans(database, sql) == ["SCAN t2 LEFT-JOIN"]


def test_the_key_walk_of_a_subquery_does_not_excuse_the_outer_scan(database):
    sql = (
        'SELECT "t1"."id" FROM "fill" AS "t1" WHERE "t1"."patient_id" IN '
        '(SELECT "t2"."id" FROM "patient" AS "t2" ORDER BY "t2"."id" DESC LIMIT ?)'
    )
    assert "SCAN t1" in scans(database, sql)


def test_a_covering_index_scan_is_not_reported(database):
    assert scans(database, 'SELECT "t1"."status", COUNT(*) FROM "fill" AS "t1" GROUP BY 1') == []


def test_a_postgresql_seq_scan_of_a_large_table_is_reported():
    steps = [
        Step(0, 0, "Limit  (cost=0.42..1.10 rows=50 width=8)"),
        Step(1, 0, "  ->  Seq Scan on fill t1  (cost=0.00..18334.00 rows=1000000 width=8)"),
        Step(2, 0, "  ->  Seq Scan on setting t2  (cost=0.00..1.10 rows=10 width=8)"),
    ]
    assert full_scans('SELECT "t1"."id" FROM "fill" AS "t1"', steps, BIG) == [
        "->  Seq Scan on fill t1  (cost=0.00..18334.00 rows=1000000 width=8)"
    ]
    backward = [Step(0, 0, "  ->  Index Scan Backward using audit_event_pkey on audit_event t1")]
    head = 'SELECT "t1"."hash" FROM "audit_event" AS "t1" ORDER BY "t1"."id" DESC LIMIT %s'
    assert full_scans(head, backward, BIG) == []


def test_only_the_statements_own_clauses_are_read():
    sql = 'SELECT "t1"."id" FROM "fill" AS "t1" WHERE "t1"."id" IN (SELECT x FROM y WHERE z) '
    assert outside_parentheses(sql) == 'SELECT "t1"."id" FROM "fill" AS "t1" WHERE "t1"."id" IN () '
    assert outside_parentheses("SELECT ')(' FROM t WHERE f(a, (b))") == (
        "SELECT ')(' FROM t WHERE f()"
    )
