"""Counter terminals (server-side session: acting user, last activity, idle lock, wrong-PIN
count) and the database-backed rate-limit counters shared by every worker.

Python-side defaults (started_at, last_activity timestamps) live in the app.
"""

from peewee import *


def up(migrator, db):
    class User(Model):
        class Meta:
            database = db
            table_name = "user"

    class RateLimitCounter(Model):
        key = CharField(unique=True)
        count = IntegerField(default=0)
        expires_at = FloatField()

        class Meta:
            database = db
            table_name = "rate_limit_counter"

    db.create_tables([RateLimitCounter])

    class TerminalSession(Model):
        terminal = CharField(unique=True, max_length=64)
        user = ForeignKeyField(User, backref="+", on_delete="RESTRICT")
        signed_in_by = ForeignKeyField(User, backref="+", on_delete="RESTRICT")
        started_at = DateTimeField()
        last_activity = DateTimeField()
        locked = BooleanField(default=False)
        ended_at = DateTimeField(null=True)
        address = CharField(max_length=64, default="")
        pin_failures = IntegerField(default=0)
        last_pin_failure_at = DateTimeField(null=True)
        pin_locked_until = DateTimeField(null=True)

        class Meta:
            database = db
            table_name = "terminal_session"

    db.create_tables([TerminalSession])


def down(migrator, db):
    migrator.migrate(migrator.drop_table("terminal_session"))
    migrator.migrate(migrator.drop_table("rate_limit_counter"))
