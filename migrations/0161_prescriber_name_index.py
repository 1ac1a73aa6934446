"""The prescribers list a page at a time, from the index alone: (last_name, first_name, id).

The list is ordered by name with the id last, so prescribers of the same name keep one
order and a page can start after any of them (portal/prescribers/listing.py, keyset paging,
no OFFSET). The (last_name, first_name) index it replaces left the id to a sort of every
row tied on the name; with the id in the index both SQLite and PostgreSQL walk it in order
and stop after a page, and the row comparison (last_name, first_name, id) > (...) starts
the walk where the last page ended.
"""

from peewee import *
from playhouse.migrate import make_index_name

OLD = ("last_name", "first_name")
NEW = OLD + ("id",)


def up(migrator, db):
    migrator.migrate(
        migrator.add_index("prescriber", NEW),
        migrator.drop_index("prescriber", make_index_name("prescriber", OLD)),
    )


def down(migrator, db):
    migrator.migrate(
        migrator.add_index("prescriber", OLD),
        migrator.drop_index("prescriber", make_index_name("prescriber", NEW)),
    )
