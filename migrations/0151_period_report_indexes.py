"""Indexes for the reports over a period: each leads with the date the report filters on and
carries the person it counts by, so a month's report reads that month's index entries and no
table rows, however many years of fills lie outside it (the staff report took 4.9 s and the
controlled-substance log 1.1 s at 1M fills, scanning every fill).
"""

from peewee import *
from playhouse.migrate import make_index_name

INDEXES = (
    ("fill", ("filled_on", "status")),  # controlled-substance log (21 CFR 1304.22(c))
    ("fill", ("entered_at", "entered_by_id")),  # staff activity: entered
    ("fill", ("filled_at", "filled_by_id")),  # filled
    ("fill", ("picked_up_at", "handed_out_by_id")),  # handed out
    ("verification", ("at", "stage", "outcome", "pharmacist_id")),
    ("compounding_record", ("completed_at", "compounded_by_id")),
    ("compounding_record", ("approved_at", "approved_by_id")),
    ("label_print", ("printed_at", "printed_by_id", "copies")),
)


def up(migrator, db):
    for table, columns in INDEXES:
        migrator.migrate(migrator.add_index(table, columns))


def down(migrator, db):
    for table, columns in INDEXES:
        migrator.migrate(migrator.drop_index(table, make_index_name(table, columns)))
