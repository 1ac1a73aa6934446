"""A clarification the portal writes itself: the prescriber's notice of a C-II remainder
voided unattended when its window lapsed (21 CFR 1306.13(a)), asked by no person."""

from peewee import *


def up(migrator, db):
    migrator.migrate(migrator.drop_not_null("clarification", "asked_by_id"))


def down(migrator, db):
    migrator.migrate(migrator.add_not_null("clarification", "asked_by_id"))
