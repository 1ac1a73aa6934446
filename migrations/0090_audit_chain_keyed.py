"""Audit trail: events hashed with the pharmacy's audit key (HMAC-SHA256) are marked keyed.

Events written before this upgrade keep their plain SHA-256 hashes and stay unkeyed
(keyed = false), so an existing chain verifies unchanged after the upgrade; every event
written afterwards is keyed. The first checkpoint in the instance folder records the last
unkeyed event, so unkeyed rows cannot be added or passed off later (portal/audit/anchor.py).
"""

from peewee import *


def up(migrator, db):
    migrator.migrate(migrator.add_column("audit_event", "keyed", BooleanField(default=False)))


def down(migrator, db):
    migrator.migrate(migrator.drop_column("audit_event", "keyed"))
