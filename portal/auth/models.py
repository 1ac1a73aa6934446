"""Staff accounts. Users are deactivated, never deleted: the audit trail names them."""

from functools import cache

from peewee import (
    BooleanField,
    CharField,
    DateTimeField,
    DoubleField,
    ForeignKeyField,
    IntegerField,
)

from portal.foundation.dates import utcnow
from portal.foundation.db import BaseModel, Prepared

ROLES = ("technician", "pharmacist", "manager", "admin")


class User(BaseModel):
    username = CharField(max_length=40, unique=True)
    full_name = CharField(max_length=120)
    # Apart, as the state PMP report sends a pharmacist's name (ASAP 4.2A AIR09, AIR10): the
    # full name cannot say where "de la Cruz" or "Nguyen Van An" splits.
    last_name = CharField(max_length=80, default="")
    first_name = CharField(max_length=80, default="")
    initials = CharField(max_length=5, default="")
    roles = CharField(max_length=80, default="")  # space-separated, from ROLES
    password_hash = CharField(max_length=255)
    pin_hash = CharField(max_length=255, null=True)
    # Keyed digest of the PIN so "switch user" can find the account from a PIN alone;
    # pin_hash (argon2) is what proves it.
    pin_lookup = CharField(max_length=64, null=True, unique=True)
    badge_hash = CharField(max_length=255, null=True)
    badge_lookup = CharField(max_length=64, null=True, unique=True)
    active = BooleanField(default=True)
    pin_failures = IntegerField(default=0)
    pin_locked_until = DateTimeField(null=True)
    # Wrong PINs typed at terminals this account signed in to (see portal.auth.pins): a new
    # sign-in starts a new terminal, so the terminal's own count alone would start over.
    pin_entry_failures = IntegerField(default=0)
    last_pin_entry_failure_at = DateTimeField(null=True)
    pin_entry_locked_until = DateTimeField(null=True)
    created_at = DateTimeField(default=utcnow)

    # Called with the account after its name (full, last or first) is changed, in the same
    # transaction: the reports area queues PMP revisions of the dispensings the pharmacist
    # final-verified that were already sent (ARCHITECTURE.md, registries); auth never
    # imports it. Each returns a sentence for whoever made the change, or None.
    after_name_change: list = []

    @property
    def role_set(self) -> frozenset[str]:
        return _role_set(self.roles)

    def has_role(self, role: str) -> bool:
        return role in self.role_set

    def has_any_role(self, roles) -> bool:
        return bool(self.role_set & set(roles))

    @property
    def is_pharmacist(self) -> bool:
        return self.has_role("pharmacist")

    @classmethod
    def active_by_username(cls, username: str):
        return cls.get_or_none((cls.username == username.strip().lower()) & (cls.active == True))  # noqa: E712

    def __str__(self) -> str:
        return self.full_name

    @classmethod
    def by_secret_lookup(cls, kind: str, digest: str):
        """The active account whose PIN (kind "pin") or badge ("badge") has this lookup digest."""
        column = cls.pin_lookup if kind == "pin" else cls.badge_lookup
        return cls.get_or_none((column == digest) & (cls.active == True))  # noqa: E712

    @classmethod
    def staff_list(cls):
        """Everyone, active first, by name (deactivated accounts stay: the trail names them)."""
        return cls.select().order_by(cls.active.desc(), cls.full_name)

    @classmethod
    def active_admins(cls):
        return cls.select().where((cls.active == True) & cls.roles.contains("admin"))  # noqa: E712

    def is_locked(self, now) -> bool:
        return self.pin_locked_until is not None and self.pin_locked_until > now

    def pin_entry_locked(self, now) -> bool:
        """Is PIN entry locked at the terminals this account signed in to?"""
        return self.pin_entry_locked_until is not None and self.pin_entry_locked_until > now


class TerminalSession(BaseModel):
    """A counter terminal: one browser session, from password sign-in to sign-out.

    The Flask session cookie holds only `terminal` (a random id, new at every sign-in, which
    is the session-id rotation); who is acting, when they last did something and whether
    the screen is locked live here, on the server, so the idle lock cannot be dodged by a
    client and a signed-out cookie cannot be replayed.
    """

    terminal = CharField(max_length=64, unique=True)
    user = ForeignKeyField(User, backref="terminals", on_delete="RESTRICT")
    signed_in_by = ForeignKeyField(User, backref="+", on_delete="RESTRICT")
    started_at = DateTimeField(default=utcnow)
    last_activity = DateTimeField(default=utcnow)
    locked = BooleanField(default=False)
    ended_at = DateTimeField(null=True)
    address = CharField(max_length=64, default="")
    # Wrong PINs typed at this terminal (a wrong PIN alone names no account).
    pin_failures = IntegerField(default=0)
    last_pin_failure_at = DateTimeField(null=True)
    pin_locked_until = DateTimeField(null=True)

    @classmethod
    def open(cls, terminal: str):
        """The live terminal for a session cookie's id, with its acting user and its opener
        (signed_in_by), or None if it ended.

        Read at every request, so its SQL is built once (portal.foundation.db.Prepared)."""
        if not terminal:
            return None
        return _OPEN_TERMINAL.first(terminal)

    def pin_entry_locked(self, now) -> bool:
        return self.pin_locked_until is not None and self.pin_locked_until > now


@cache
def _role_set(roles: str) -> frozenset[str]:
    """The roles of a roles column's text (a page asks for them many times: menu, links)."""
    return frozenset(roles.split())


# The terminal, its acting user and whoever signed it in (whose PIN-entry lock the PIN
# dialogs on every page check): one statement, whoever is acting.
_OPENER = User.alias()
_OPEN_TERMINAL = Prepared(
    lambda terminal: (
        TerminalSession.select(TerminalSession, User, _OPENER)
        .join(User, on=(TerminalSession.user == User.id))
        .switch(TerminalSession)
        .join(_OPENER, on=(TerminalSession.signed_in_by == _OPENER.id), attr="signed_in_by")
        .where((TerminalSession.terminal == terminal) & TerminalSession.ended_at.is_null())
        .limit(1)
    )
)


class RateLimitCounter(BaseModel):
    """Sign-in and PIN-entry counts, each in a fixed window, kept in the database so every
    worker process (waitress threads, gunicorn workers, several machines on PostgreSQL)
    shares them (auth/ratelimit.py)."""

    key = CharField(max_length=255, unique=True)
    count = IntegerField(default=0)
    # Seconds since the epoch, as the limits library counts (double: a 4-byte REAL on
    # PostgreSQL rounds today's epoch to about two minutes).
    expires_at = DoubleField()
