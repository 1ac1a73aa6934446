"""Indexes for the claims work queue and its counts that lead with what they filter on.

Every count filters on status first (a short list of states), then the follow-up date
(due, overdue) or the person assigned; the older (follow_up_on, status, payer) index leads
with a range and the planner passed it over for (status, date_of_service), reading every
open claim (526 ms for the overdue count at 200k claims, 10 ms with the right index and
statistics). payer_id rides along so the counts narrowed to a payer stay in the index.
"""

from peewee import *
from playhouse.migrate import make_index_name

INDEXES = (
    ("status", "follow_up_on", "payer_id"),
    ("assigned_to_id", "status"),
)


def up(migrator, db):
    for columns in INDEXES:
        migrator.migrate(migrator.add_index("claim", columns))


def down(migrator, db):
    for columns in INDEXES:
        migrator.migrate(migrator.drop_index("claim", make_index_name("claim", columns)))
