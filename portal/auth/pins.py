"""PINs and badges: finding who is at the counter from a PIN alone, and locking out guessers.

How a PIN finds its account: each user row keeps `pin_lookup`, an HMAC of the PIN under the
app's secret key (unique among accounts, so two people can never share a PIN; a new PIN
that collides is refused with "choose another PIN"). Entering a PIN looks the digest up,
then proves it against the argon2 `pin_hash`. A badge scan (a keyboard-wedge string) works
the same way through `badge_lookup` / `badge_hash`.

Lockout (settings `pin_max_failures`, default 5, and `pin_lock_minutes`, default 15):

* A wrong PIN typed alone names no account, so wrong PINs are counted against the
  *terminal*: after 5 wrong entries, each within 15 minutes of the one before, PIN and
  badge entry at that terminal is refused for 15 minutes. A right PIN does not reset the
  count (else someone who knows their own PIN could keep guessing a pharmacist's). A
  password sign-in (which starts a new terminal) still works, and a terminal exists only
  after a password sign-in, so clearing cookies does not reset the count without knowing a
  password.
* Failures that do name an account count against the *account*: a wrong password for a
  username, or a digest that matches but an argon2 check that fails. After 5 the account
  is locked (PIN, badge and password) for 15 minutes; an admin can unlock it on its staff
  page. Each failure and each lockout is written to the audit trail.
* Sign-in attempts are also rate limited per network address (see portal.auth.ratelimit).
"""

from dataclasses import dataclass
from datetime import timedelta

from flask import g

from portal.audit import log as audit
from portal.auth import terminal as terminals
from portal.auth.models import TerminalSession, User
from portal.auth.passwords import check_secret, lookup_digest
from portal.foundation.dates import utcnow
from portal.foundation.db import write_transaction
from portal.foundation.filters import local_time

MAX_SECRET_LENGTH = 64
PIN_COUNTERS = [
    TerminalSession.pin_failures,
    TerminalSession.last_pin_failure_at,
    TerminalSession.pin_locked_until,
]


@dataclass
class PinCheck:
    """The outcome of a PIN or badge entry: the user, or a message saying what went wrong."""

    user: User | None
    error: str = ""

    def __bool__(self) -> bool:
        return self.user is not None


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
    """Count a failed attempt against an account; lock it at the limit. True if now locked."""
    now = utcnow()
    with write_transaction():
        user = User.get_by_id(user.id)
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
    return (
        f"{user.full_name}'s account is locked until "
        f"{local_time(user.pin_locked_until, '%I:%M %p')} after too many wrong attempts. "
        "An administrator can unlock it on the staff page."
    )


def identify(secret: str, purpose: str) -> PinCheck:
    """Who does this PIN or badge belong to? Counts wrong entries against this terminal.

    purpose names the use in the audit trail ("unlock", "switch user", "co-sign").
    Needs a signed-in terminal (g.terminal)."""
    terminal: TerminalSession = g.terminal
    now = utcnow()
    if terminal.pin_entry_locked(now):
        return PinCheck(None, _terminal_locked_message(terminal))
    if not (secret or "").strip():
        return PinCheck(None, "Enter a PIN or scan a badge.")
    user = find_holder(secret)
    if user is not None and user.is_locked(now):
        return PinCheck(None, account_locked_message(user))
    with write_transaction():
        if user is not None:
            clear_account_failures(user)
            return PinCheck(user)
        return PinCheck(None, _count_terminal_failure(terminal, purpose, now))


def _count_terminal_failure(terminal: TerminalSession, purpose: str, now) -> str:
    row = TerminalSession.get_by_id(terminal.id)
    window = timedelta(minutes=terminals.pin_lock_minutes())
    if row.last_pin_failure_at is None or now - row.last_pin_failure_at > window:
        row.pin_failures = 0
    row.pin_failures += 1
    row.last_pin_failure_at = now
    limit = terminals.pin_max_failures()
    audit.record("pin_failed", "terminal", terminal.id, note=f"wrong PIN or badge ({purpose})")
    if row.pin_failures >= limit:
        row.pin_failures, row.pin_locked_until = 0, terminals.lockout_until(now)
        row.save(only=PIN_COUNTERS)
        terminal.pin_locked_until = row.pin_locked_until
        audit.record(
            "lockout",
            "terminal",
            terminal.id,
            note=f"PIN entry locked until {row.pin_locked_until:%H:%M} UTC "
            f"after {limit} wrong PINs",
        )
        return _terminal_locked_message(terminal)
    row.save(only=PIN_COUNTERS)
    left = limit - row.pin_failures
    return (
        "That PIN or badge is not right. "
        f"{left} more wrong {'try' if left == 1 else 'tries'} and PIN entry at this terminal "
        f"locks for {terminals.pin_lock_minutes()} minutes."
    )


def _terminal_locked_message(terminal: TerminalSession) -> str:
    return (
        "Too many wrong PINs: PIN and badge entry at this terminal is locked until "
        f"{local_time(terminal.pin_locked_until, '%I:%M %p')}. "
        "Sign out and sign in with a username and password."
    )
