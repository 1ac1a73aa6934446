"""Partial fills (21 CFR 1306.13), from an index of them alone.

The start page asks every time for first partial fills whose remainder may have lapsed;
partial fills are rare, and without an index of them it read every fill (120 ms at 200k
fills, most of the start page). The query writes the same condition
(portal.prescriptions.fills.models.PARTIAL), which is how SQLite knows the index applies
(sqlite.org/partialindex.html, 2.2); PostgreSQL proves it the same way.
"""

from peewee import *


def up(migrator, db):
    db.execute_sql("CREATE INDEX fill_partial_status ON fill (status) WHERE partial_reason <> ''")


def down(migrator, db):
    db.execute_sql("DROP INDEX fill_partial_status")
