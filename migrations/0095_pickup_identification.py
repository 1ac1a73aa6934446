"""Pickup: the identification shown by whoever collects a C-II prescription (ID type and
number, as states' PMP reports carry them: ASAP 4.2A, AIR segment). "" for other fills."""

from peewee import *


def up(migrator, db):
    migrator.migrate(
        migrator.add_column("fill", "picked_up_id_type", CharField(max_length=20, default="")),
        migrator.add_column("fill", "picked_up_id_number", CharField(max_length=30, default="")),
    )


def down(migrator, db):
    migrator.migrate(
        migrator.drop_column("fill", "picked_up_id_number"),
        migrator.drop_column("fill", "picked_up_id_type"),
    )
