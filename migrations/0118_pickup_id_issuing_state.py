"""Pickup of a C-II: the state that issued the collector's photo ID (two-letter code), as
the state PMP report carries it (ASAP 4.2A AIR03, issuing jurisdiction of the ID in AIR05).
"" for fills picked up before, and other fills."""

from peewee import *


def up(migrator, db):
    migrator.migrate(
        migrator.add_column("fill", "picked_up_id_state", CharField(max_length=2, default=""))
    )


def down(migrator, db):
    migrator.migrate(migrator.drop_column("fill", "picked_up_id_state"))
