"""The claims list in its own order from an index: (date_of_service, id).

The list shows the newest date of service first, ties by id, a page at a time (keyset). The
(date_of_service, payer_id, ...) index gave the dates in order but not the ids within a date,
so SQLite sorted each date's claims in a temporary tree before it could stop at the page's
end: a few hundred claims a day at 200k claims. From this index the first page is the first
50 entries read.
"""

from peewee import *
from playhouse.migrate import make_index_name

COLUMNS = ("date_of_service", "id")


def up(migrator, db):
    migrator.migrate(migrator.add_index("claim", COLUMNS))


def down(migrator, db):
    migrator.migrate(migrator.drop_index("claim", make_index_name("claim", COLUMNS)))
