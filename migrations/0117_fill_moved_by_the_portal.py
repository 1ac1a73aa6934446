"""A fill the portal moves itself: a partial fill's remainder still in progress when its
window lapses (21 CFR 1306.13(a): "the remainder is void") is cancelled by the hourly job,
with no person, so its workflow event names no user."""

from peewee import *


def up(migrator, db):
    migrator.migrate(migrator.drop_not_null("fill_event", "user_id"))


def down(migrator, db):
    migrator.migrate(migrator.add_not_null("fill_event", "user_id"))
