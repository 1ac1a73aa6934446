"""PINs and badges: finding who is at the counter from a PIN alone, and locking out guessers.

How a PIN finds its account: each user row keeps `pin_lookup`, an HMAC of the PIN under the
app's secret key (unique among accounts, so two people can never share a PIN; a new PIN
that collides is refused with "choose another PIN"). Entering a PIN looks the digest up,
then proves it against the argon2 `pin_hash`. A badge scan (a keyboard-wedge string) works
the same way through `badge_lookup` / `badge_hash`.

Lockout (settings `pin_max_failures`, default 5, and `pin_lock_minutes`, default 15), after
NIST SP 800-63B 5.2.2 (limit failed attempts per account) and OWASP ASVS 2.2.1:

* A wrong PIN typed alone names no account, so it is counted twice: against the *terminal*
  and against the *account that signed in to it* with a password (the person answerable for
  that terminal; a new sign-in starts a new terminal, so the terminal's count alone would
  start over at every sign-in). After 5 wrong entries, each within 15 minutes of the one
  before, PIN and badge entry is refused for 15 minutes at that terminal, and at every
  terminal that account signs in to. Someone else can still sign in with their own
  password, and an administrator can lift the lock on the staff page. A right PIN does not
  reset the counts (else someone who knows their own PIN could keep guessing a
  pharmacist's).
* Failures that do name an account count against the *account*: a wrong password for a
  username, or a digest that matches but an argon2 check that fails. After 5 the account
  is locked (PIN, badge and password) for 15 minutes; an admin can unlock it on its staff
  page. Each failure and each lockout is written to the audit trail.
* Unlock, switch user and co-sign go through `identify`, one limiter for all three. The
  lock is checked and the failure counted in one transaction that holds the terminal's and
  the accounts' rows (SELECT ... FOR UPDATE on PostgreSQL, BEGIN IMMEDIATE on SQLite), so
  a burst of parallel guesses is checked one at a time and none gets past the lock.
* PIN entries and sign-ins are also rate limited per network address; only failures stay
  counted (see portal.auth.ratelimit).
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import g
from flask_babel import gettext as _
from flask_babel import ngettext

from portal.audit import log as audit
from portal.auth import ratelimit
from portal.auth import terminal as terminals
from portal.auth.models import TerminalSession, User
from portal.auth.passwords import check_secret, lookup_digest
from portal.foundation import locks
from portal.foundation.dates import utcnow
from portal.foundation.db import is_sqlite, write_transaction
from portal.foundation.filters import local_time

MAX_SECRET_LENGTH = 64


@dataclass
class PinCheck:
    """The outcome of a PIN or badge entry: the user, or a message saying what went wrong.

    throttled: refused by the per-address rate limit (the views answer 429)."""

    user: User | None
    error: str = ""
    throttled: bool = False

    def __bool__(self) -> bool:
        return self.user is not None


def locked_row(model, row_id: int):
    """Read a row for update: on PostgreSQL it stays locked until the transaction ends
    (SQLite's BEGIN IMMEDIATE, from write_transaction, already holds the whole database)."""
    # The audit chain's lock before the row, as every write takes it first (migrations/
    # 0164_table_versions.py): a row held while waiting for it could deadlock.
    locks.hold_for_transaction(locks.AUDIT_CHAIN)
    query = model.select().where(model.id == row_id)
    return (query if is_sqlite() else query.for_update()).get()


def find_holder(secret: str) -> User | None:
    """The active user whose PIN or badge this is (argon2-verified), or None."""
    secret = (secret or "").strip()
    if not secret or len(secret) > MAX_SECRET_LENGTH:
        return None
    for kind in ("pin", "badge"):
        user = User.by_secret_lookup(kind, lookup_digest(kind, secret))
        if user is not None:
            stored = user.pin_hash if kind == "pin" else user.badge_hash
            return user if check_secret(stored, secret) else _mismatch(user)
    return None


def _mismatch(user: User) -> None:
    """The digest matched but the hash did not (e.g. the secret key changed): an account
    failure."""
    count_account_failure(user, "PIN or badge did not match its hash")
    return None


def pin_collides(pin: str, user: User | None = None) -> bool:
    """Would this PIN (or badge) find a different account? Such a PIN must be refused."""
    for kind in ("pin", "badge"):
        other = User.get_or_none(
            (User.pin_lookup if kind == "pin" else User.badge_lookup) == lookup_digest(kind, pin)
        )
        if other is not None and (user is None or other.id != user.id):
            return True
    return False


def count_account_failure(user: User, why: str) -> bool:
    """Count a failed attempt against an account; lock it at the limit. True if now locked.

    The row is locked while it is counted, so parallel failures each add one."""
    now = utcnow()
    with write_transaction():
        user = locked_row(User, user.id)
        user.pin_failures += 1
        locked = user.pin_failures >= terminals.pin_max_failures()
        if locked:
            user.pin_failures = 0
            user.pin_locked_until = terminals.lockout_until(now)
        user.save(only=[User.pin_failures, User.pin_locked_until])
        audit.record("sign_in_failed", "user", user.id, note=why)
        if locked:
            audit.record(
                "lockout",
                "user",
                user.id,
                note=f"locked until {user.pin_locked_until:%H:%M} UTC after "
                f"{terminals.pin_max_failures()} failed attempts",
            )
    return locked


def clear_account_failures(user: User) -> None:
    if user.pin_failures or user.pin_locked_until:
        User.update(pin_failures=0, pin_locked_until=None).where(User.id == user.id).execute()


def account_locked_message(user: User) -> str:
    return _(
        "%(full_name)s's account is locked until %(until)s after too many wrong "
        "attempts. An administrator can unlock it on the staff page.",
        full_name=user.full_name,
        until=local_time(user.pin_locked_until, "%I:%M %p"),
    )


def identify(secret: str, purpose: str) -> PinCheck:
    """Who does this PIN or badge belong to? Counts wrong entries against this terminal and
    the account that signed in to it.

    purpose names the use in the audit trail ("unlock", "switch user", "co-sign").
    Needs a signed-in terminal (g.terminal)."""
    if not (secret or "").strip():
        return PinCheck(None, _("Enter a PIN or scan a badge."))
    slot = ratelimit.take_slot(ratelimit.PIN_ENTRY)
    if not slot.allowed:
        message = _("Too many PIN attempts from this computer. %(refusal)s", refusal=slot.refusal)
        return PinCheck(None, message, throttled=True)
    with write_transaction():
        found = _check_locked(g.terminal, secret, purpose)
    if found:
        slot.give_back()  # only failures count toward the rate limit
    return found


def _check_locked(terminal: TerminalSession, secret: str, purpose: str) -> PinCheck:
    """The lock check, the PIN check and the count, on rows held until the transaction ends."""
    row = locked_row(TerminalSession, terminal.id)
    opener = locked_row(User, row.signed_in_by_id)
    now = utcnow()
    if row.pin_entry_locked(now) or opener.pin_entry_locked(now):
        return PinCheck(None, pin_entry_locked_message(row, opener, now))
    user = find_holder(secret)
    if user is not None and user.is_locked(now):
        return PinCheck(None, account_locked_message(user))
    if user is not None:
        clear_account_failures(user)
        return PinCheck(user)
    return PinCheck(None, _count_failure(row, opener, purpose, now))


def _next_count(failures: int, last_failure: datetime | None, now: datetime) -> int:
    """The count after one more wrong PIN: a wrong PIN long after the last starts over."""
    window = timedelta(minutes=terminals.pin_lock_minutes())
    if last_failure is None or now - last_failure > window:
        return 1
    return failures + 1


def _count_failure(row: TerminalSession, opener: User, purpose: str, now) -> str:
    limit = terminals.pin_max_failures()
    on_terminal = _next_count(row.pin_failures, row.last_pin_failure_at, now)
    on_account = _next_count(opener.pin_entry_failures, opener.last_pin_entry_failure_at, now)
    audit.record("pin_failed", "terminal", row.id, note=f"wrong PIN or badge ({purpose})")
    until = terminals.lockout_until(now)
    locks = on_terminal >= limit, on_account >= limit
    TerminalSession.update(
        pin_failures=0 if locks[0] else on_terminal,
        last_pin_failure_at=now,
        pin_locked_until=until if locks[0] else row.pin_locked_until,
    ).where(TerminalSession.id == row.id).execute()
    User.update(
        pin_entry_failures=0 if locks[1] else on_account,
        last_pin_entry_failure_at=now,
        pin_entry_locked_until=until if locks[1] else opener.pin_entry_locked_until,
    ).where(User.id == opener.id).execute()
    if locks[0]:
        row.pin_locked_until = g.terminal.pin_locked_until = until
        audit.record(
            "lockout",
            "terminal",
            row.id,
            note=f"PIN entry locked until {until:%H:%M} UTC after {limit} wrong PINs",
        )
    if locks[1]:
        opener.pin_entry_locked_until = until
        audit.record(
            "lockout",
            "user",
            opener.id,
            note=f"PIN entry at terminals {opener.full_name} signed in to locked until "
            f"{until:%H:%M} UTC after {limit} wrong PINs",
        )
    if any(locks):
        return pin_entry_locked_message(row, opener, now)
    left = limit - max(on_terminal, on_account)
    return ngettext(
        "That PIN or badge is not right. %(num)d more wrong try and PIN entry at this "
        "terminal locks for %(minutes)s minutes.",
        "That PIN or badge is not right. %(num)d more wrong tries and PIN entry at this "
        "terminal locks for %(minutes)s minutes.",
        left,
        minutes=terminals.pin_lock_minutes(),
    )


def pin_entry_locked_message(row: TerminalSession, opener: User, now) -> str:
    """Says that PIN entry is locked, where, until when, and what still works."""
    here, theirs = row.pin_entry_locked(now), opener.pin_entry_locked(now)
    until = max(
        moment
        for moment, locked in (
            (row.pin_locked_until, here),
            (opener.pin_entry_locked_until, theirs),
        )
        if locked
    )
    everywhere = _("any terminal %(full_name)s signs in to", full_name=opener.full_name)
    where = _("this terminal") if here else everywhere
    also = _(" (and at %(everywhere)s)", everywhere=everywhere) if here and theirs else ""
    return _(
        "Too many wrong PINs: PIN and badge entry at %(where)s is locked until "
        "%(until)s%(also)s. Sign out; anyone can still sign in with their own username and "
        "password, and an administrator can lift the lock on the staff page.",
        where=where,
        until=local_time(until, "%I:%M %p"),
        also=also,
    )


def pin_entry_notice() -> str:
    """The lock message the PIN dialogs of this terminal show before anyone types ("" when
    PIN entry is open), so nobody types a PIN into a dialog that will refuse it."""
    terminal = g.get("terminal")
    if terminal is None:
        return ""
    if "pin_entry_notice" not in g:
        now = utcnow()
        same = terminal.signed_in_by_id == terminal.user_id
        opener = terminal.user if same else terminal.signed_in_by  # read with the terminal
        locked = terminal.pin_entry_locked(now) or opener.pin_entry_locked(now)
        g.pin_entry_notice = pin_entry_locked_message(terminal, opener, now) if locked else ""
    return g.pin_entry_notice
