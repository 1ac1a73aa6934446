"""Pickup of a controlled fill: the collector's last and first name and coded relationship
to the patient ("patient", guardian, spouse, caregiver, other), as the state PMP report
carries them (ASAP 4.2A AIR06-AIR08). "" for fills picked up before, and other fills."""

from peewee import *


def up(migrator, db):
    migrator.migrate(
        migrator.add_column("fill", "picked_up_last_name", CharField(max_length=80, default="")),
        migrator.add_column("fill", "picked_up_first_name", CharField(max_length=80, default="")),
        migrator.add_column(
            "fill", "picked_up_relationship_code", CharField(max_length=12, default="")
        ),
    )


def down(migrator, db):
    migrator.migrate(
        migrator.drop_column("fill", "picked_up_relationship_code"),
        migrator.drop_column("fill", "picked_up_first_name"),
        migrator.drop_column("fill", "picked_up_last_name"),
    )
