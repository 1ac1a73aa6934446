"""Migration 0119: existing staff accounts get their last and first name as the state PMP
report split the full name until now (ASAP 4.2A AIR09, AIR10)."""

from portal import migrate
from portal.auth.models import User
from portal.foundation.db import db
from tests.factories import make_user

NAME = "0119_staff_last_and_first_name"


def test_existing_accounts_are_filled_from_the_full_name(app):
    people = {
        "Paul Okonkwo": ("Okonkwo", "Paul"),
        "Mary Ann Lee": ("Lee", "Mary Ann"),
        "Priya": ("Priya", ""),
    }
    made = {name: make_user(full_name=name).id for name in people}
    runner = migrate.runner()
    (migration,) = [m for m in runner.status() if m.name == NAME]
    module = migration.load()
    with runner.migrator.migration_context(True):
        module.down(runner.migrator, db.obj)
        assert "last_name" not in {c.name for c in db.get_columns("user")}
        module.up(runner.migrator, db.obj)
    for name, expected in people.items():
        stored = User.get_by_id(made[name])
        assert (stored.last_name, stored.first_name) == expected
