"""Initial schema: the pharmacy, its settings, staff accounts and the audit trail.

Models here are frozen copies; Python-side defaults (such as timestamps) live in the app.
"""

from peewee import *


def up(migrator, db):
    class AuditEvent(Model):
        at = DateTimeField(index=True)
        user_id = IntegerField(index=True, null=True)
        actor = CharField(max_length=120, default="")
        terminal = CharField(max_length=64, default="")
        action = CharField(index=True, max_length=40)
        entity = CharField(max_length=40)
        entity_id = CharField(max_length=64, default="")
        patient_id = IntegerField(index=True, null=True)
        before = TextField(default="")
        after = TextField(default="")
        note = TextField(default="")
        prev_hash = CharField(max_length=64)
        hash = CharField(unique=True, max_length=64)

        class Meta:
            database = db
            table_name = "audit_event"
            indexes = ((("entity", "entity_id"), False),)

    db.create_tables([AuditEvent])

    class Pharmacy(Model):
        name = CharField(max_length=120)
        address_line1 = CharField(max_length=120)
        address_line2 = CharField(max_length=120, default="")
        city = CharField(max_length=80)
        state = CharField(max_length=2)
        postal_code = CharField(max_length=10)
        phone = CharField(max_length=20)
        fax = CharField(max_length=20, default="")
        npi = CharField(max_length=10)
        ncpdp_id = CharField(max_length=7)
        dea = CharField(max_length=9, default="")
        time_zone = CharField(max_length=64, default="America/New_York")

        class Meta:
            database = db
            table_name = "pharmacy"

    db.create_tables([Pharmacy])

    class Setting(Model):
        key = CharField(unique=True, max_length=80)
        value = TextField()

        class Meta:
            database = db
            table_name = "setting"

    db.create_tables([Setting])

    class User(Model):
        username = CharField(unique=True, max_length=40)
        full_name = CharField(max_length=120)
        initials = CharField(max_length=5, default="")
        roles = CharField(max_length=80, default="")
        password_hash = CharField()
        pin_hash = CharField(null=True)
        pin_lookup = CharField(unique=True, null=True, max_length=64)
        badge_hash = CharField(null=True)
        badge_lookup = CharField(unique=True, null=True, max_length=64)
        active = BooleanField(default=True)
        pin_failures = IntegerField(default=0)
        pin_locked_until = DateTimeField(null=True)
        created_at = DateTimeField()

        class Meta:
            database = db
            table_name = "user"

    db.create_tables([User])


def down(migrator, db):
    migrator.migrate(migrator.drop_table("user"))
    migrator.migrate(migrator.drop_table("setting"))
    migrator.migrate(migrator.drop_table("pharmacy"))
    migrator.migrate(migrator.drop_table("audit_event"))
