"""Which steps of a query plan read a large table whole (bench/pages.py prints them).

SQLite's EXPLAIN QUERY PLAN says "SCAN t1" both for a read of every row and for a walk of
the table in its rowid order that stops at the LIMIT: `SELECT hash FROM audit_event ORDER BY
id DESC LIMIT 1` (the audit chain's head) reads one row, and the audit trail's newest-first
page fifty. The plan alone cannot tell the two apart; the statement can. A scan is such a
bounded walk only when all of these hold:

- it is the main query's outermost loop (a scan nested in a join runs once per outer row);
- the statement's own ORDER BY is that table's primary key alone, with a LIMIT and no
  OFFSET (an OFFSET walks every row it skips);
- nothing makes SQLite read past the LIMIT: no WHERE (a filter no index serves reads on
  until enough rows match, to the table's end if few do) and no inner join (a row without
  its match is passed over the same way; a LEFT JOIN keeps every row), no GROUP BY,
  DISTINCT or compound SELECT, and no temporary B-tree (a sort reads every row before the
  first comes out).

Anything else that scans a large table is reported, as before; a covering index scan is not
(it reads the index, not the table). On PostgreSQL every "Seq Scan" of a large table is
reported: it walks a primary key in order by "Index Scan", never by a Seq Scan.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

ALIASED = re.compile(r'"(\w+)" AS "?(\w+)"?')
# "SCAN t1", "SCAN t1 USING INDEX ...", and before SQLite 3.36 "SCAN TABLE fill AS t1".
_SQLITE_SCAN = re.compile(r"^SCAN (?:TABLE )?(\w+)(?: AS (\w+))?(.*)$")
_POSTGRES_SEQ_SCAN = re.compile(r"Seq Scan on (\w+)")
_ORDER_BY_KEY_THEN_LIMIT = re.compile(
    r'\bORDER BY\s+(?:"(\w+)"\.)?"?(\w+)"?(?:\s+(?:ASC|DESC))?\s+LIMIT\b', re.IGNORECASE
)
_READS_ON = re.compile(
    r"\b(WHERE|GROUP BY|DISTINCT|OFFSET|UNION|INTERSECT|EXCEPT|HAVING)\b"
    r"|(?<!LEFT )(?<!OUTER )\bJOIN\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Step:
    """One row of a query plan: SQLite's (id, parent, detail); PostgreSQL's lines, parent 0."""

    id: int
    parent: int
    detail: str


def full_scans(sql: str, steps: list[Step], big_tables, primary_key: str = "id") -> list[str]:
    """The steps of ``sql``'s plan that read one of ``big_tables`` whole."""
    tables = {alias: table for table, alias in ALIASED.findall(sql)}
    bounded = _bounded_walk(sql, steps, primary_key)
    found = []
    for step in steps:
        if seq_scan := _POSTGRES_SEQ_SCAN.search(step.detail):
            if seq_scan.group(1) in big_tables:
                found.append(step.detail.strip())
            continue
        scan = _SQLITE_SCAN.match(step.detail)
        if scan is None or step is bounded:
            continue
        name = scan.group(2) or scan.group(1)
        if tables.get(name, name) in big_tables and "COVERING INDEX" not in scan.group(3):
            found.append(step.detail)
    return found


def _bounded_walk(sql: str, steps: list[Step], primary_key: str) -> Step | None:
    """The scan that walks a table by its primary key and stops at the LIMIT, if any."""
    top = outside_parentheses(sql)
    order = _ORDER_BY_KEY_THEN_LIMIT.search(top)
    if order is None or order.group(2) != primary_key or _READS_ON.search(top):
        return None
    main = [step for step in steps if step.parent == 0]
    if any(step.detail.startswith("USE TEMP B-TREE") for step in main):
        return None
    loops = [step for step in main if step.detail.startswith(("SCAN ", "SEARCH "))]
    if not loops:
        return None
    outer = _SQLITE_SCAN.match(loops[0].detail)
    if outer is None or outer.group(3).strip():  # walked through an index: not the rowid
        return None
    walked = outer.group(2) or outer.group(1)
    ordered_by = order.group(1) or _only_table(top)
    return loops[0] if ordered_by == walked else None


def _only_table(top: str) -> str | None:
    """The alias (or name) of the one table of a statement without joins."""
    found = re.findall(r'\bFROM\s+"?(\w+)"?(?:\s+AS\s+"?(\w+)"?)?', top, re.IGNORECASE)
    if len(found) != 1 or re.search(r"\bJOIN\b|,", top.split("FROM", 1)[-1]):
        return None
    table, alias = found[0]
    return alias or table


def outside_parentheses(sql: str) -> str:
    """``sql`` with every parenthesised part (subqueries, IN lists, calls) left out, so the
    clauses read are the statement's own; quoted names and strings are kept whole."""
    kept, depth, quote = [], 0, ""
    for char in sql:
        if quote:
            if depth == 0:
                kept.append(char)
            if char == quote:
                quote = ""
        elif char in "'\"":
            quote = char
            if depth == 0:
                kept.append(char)
        elif char == "(":
            if depth == 0:
                kept.append("()")
            depth += 1
        elif char == ")":
            depth = max(depth - 1, 0)
        elif depth == 0:
            kept.append(char)
    return "".join(kept)
