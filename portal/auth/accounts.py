"""Creating and changing staff accounts: shared by the admin pages and `flask user ...`.

Every change is audited in its own transaction; secrets never enter the trail
(audit.snapshot drops hash and lookup columns; events say "PIN changed", not the PIN).
Accounts are deactivated, never deleted: the audit trail names them.
"""

import re

from peewee import IntegrityError

from portal.audit import log as audit
from portal.auth import password_policy, pins
from portal.auth import terminal as terminals
from portal.auth.models import ROLES, TerminalSession, User
from portal.auth.passwords import hash_secret, lookup_digest
from portal.foundation.dates import utcnow
from portal.foundation.db import write_transaction
from portal.foundation.i18n import N_

PIN_PATTERN = re.compile(r"^[0-9]{4,8}$")
USERNAME_PATTERN = re.compile(r"^[a-z0-9._-]{2,40}$")
MIN_BADGE = 4


class AccountError(ValueError):
    """A change that cannot be made; the message says why in plain words."""

    def __init__(self, message: str, field: str = ""):
        super().__init__(message)
        self.field = field


def pin_problem(pin: str, user: User | None = None) -> str | None:
    """Why this PIN cannot be used (None when it can)."""
    if not PIN_PATTERN.match(pin or ""):
        return N_("A PIN is 4 to 8 digits.")
    if len(set(pin)) == 1 or pin in "0123456789" or pin in "9876543210":
        return N_("That PIN is too easy to guess (repeated or running digits). Choose another PIN.")
    if pins.pin_collides(pin, user):
        return N_("Someone else already uses that PIN. Choose another PIN.")
    return None


def badge_problem(badge: str, user: User | None = None) -> str | None:
    if len((badge or "").strip()) < MIN_BADGE or len(badge.strip()) > pins.MAX_SECRET_LENGTH:
        return (
            f"A badge code is {MIN_BADGE} to {pins.MAX_SECRET_LENGTH} characters: scan the badge."
        )
    if pins.pin_collides(badge.strip(), user):
        return N_("That badge is already assigned to someone, or is someone's PIN.")
    return None


def password_problem(password: str, user: User | None = None, names=()) -> str | None:
    """Why this password may not be used (portal.auth.password_policy), checked against
    the person's own names (the user's, or names for an account not yet made)."""
    if user is not None:
        names = (user.username, user.full_name, user.initials, *names)
    return password_policy.password_problem(password, names)


def clean_roles(roles) -> str:
    chosen = [role for role in ROLES if role in set(roles)]
    if not chosen:
        raise AccountError(N_("Choose at least one role."), "roles")
    return " ".join(chosen)


def name_parts(full_name: str) -> tuple[str, str]:
    """(last, first) guessed from a one-line name ("Paul Okonkwo"): the last word the last
    name, the words before it the first name; what an account starts with until an
    administrator corrects it (a one-word name is the last name alone)."""
    words = (full_name or "").split()
    if not words:
        return "", ""
    return words[-1][:80], " ".join(words[:-1])[:80]


def _full_name(full_name: str) -> str:
    """The full name as typed, refused in words when empty or longer than its column."""
    full_name = (full_name or "").strip()
    if not full_name:
        raise AccountError(N_("Enter the person's full name."), "full_name")
    if len(full_name) > User.full_name.max_length:
        raise AccountError(N_("A full name is at most 120 characters."), "full_name")
    return full_name


def _last_and_first(full_name: str, last_name: str, first_name: str) -> tuple[str, str]:
    """The names as typed; both left empty, from the full name (name_parts). A name longer
    than its column is refused in words, as the staff form refuses it, never cut short: the
    state PMP file would carry a name that is not the pharmacist's."""
    last_name, first_name = (last_name or "").strip(), (first_name or "").strip()
    if not (last_name or first_name):
        return name_parts(full_name)
    if not last_name:
        raise AccountError(N_("Enter the last name, or leave both names empty."), "last_name")
    if len(last_name) > User.last_name.max_length:
        raise AccountError(N_("A last name is at most 80 characters."), "last_name")
    if len(first_name) > User.first_name.max_length:
        raise AccountError(N_("A first name is at most 80 characters."), "first_name")
    return last_name, first_name


def initials_for(full_name: str) -> str:
    return "".join(part[0] for part in full_name.split()[:3]).upper()


def create_user(
    username, full_name, roles, password, pin=None, initials="", last_name="", first_name=""
) -> User:
    """A new active account. Raises AccountError naming the problem."""
    username = (username or "").strip().lower()
    if not USERNAME_PATTERN.match(username):
        raise AccountError(N_("2–40 letters, digits, dots, dashes or underscores."), "username")
    full_name = _full_name(full_name)
    role_text = clean_roles(roles)
    last_name, first_name = _last_and_first(full_name, last_name, first_name)
    if problem := password_problem(password, names=(username, full_name, initials)):
        raise AccountError(problem, "password")
    if pin and (problem := pin_problem(pin)):
        raise AccountError(problem, "pin")
    with write_transaction():
        if User.get_or_none(User.username == username) is not None:
            raise AccountError(f"The username {username} is taken.", "username")
        try:
            user = User.create(
                username=username,
                full_name=full_name,
                last_name=last_name,
                first_name=first_name,
                initials=(initials or initials_for(full_name))[:5],
                roles=role_text,
                password_hash=hash_secret(password),
                pin_hash=hash_secret(pin) if pin else None,
                pin_lookup=lookup_digest("pin", pin) if pin else None,
            )
        except IntegrityError:
            raise AccountError(N_("That username or PIN was just taken. Try again."), "username")
        audit.record("create", "user", user.id, after=audit.snapshot(user))
    return user


def update_profile(
    user: User, full_name: str, initials: str, roles, *, last_name="", first_name=""
) -> list[str]:
    """Name (with the last and first name apart, as the state PMP report sends them),
    initials and roles. The last active admin keeps the admin role.

    A changed name is passed on to User.after_name_change in the same transaction; what
    its listeners say for the person making the change (dispensings sent again with the
    corrected name) is returned, to be shown to them."""
    full_name = _full_name(full_name)
    role_text = clean_roles(roles)
    last_name, first_name = _last_and_first(full_name, last_name, first_name)
    with write_transaction():
        user = User.get_by_id(user.id)
        if "admin" not in role_text.split() and _is_last_admin(user):
            raise AccountError(
                N_(
                    "This is the only active administrator: give someone else the admin role first."
                ),
                "roles",
            )
        before = audit.snapshot(user)
        renamed = (user.full_name, user.last_name, user.first_name) != (
            full_name,
            last_name,
            first_name,
        )
        user.full_name = full_name
        user.last_name, user.first_name = last_name, first_name
        user.initials = (initials or initials_for(full_name)).strip().upper()[:5]
        user.roles = role_text
        user.save()
        audit.record("update", "user", user.id, before=before, after=audit.snapshot(user))
        said = [listener(user) for listener in User.after_name_change] if renamed else []
    return [sentence for sentence in said if sentence]


def set_pin(user: User, pin: str, keep_terminal: int | None = None) -> None:
    """A new PIN; the person's other terminals are signed out or locked (keep_terminal:
    the terminal the change was made at, which stays)."""
    if problem := pin_problem(pin, user):
        raise AccountError(problem, "pin")
    with write_transaction():
        ended = terminals.end_other_sessions(user, keep_terminal)
        User.update(
            pin_hash=hash_secret(pin),
            pin_lookup=lookup_digest("pin", pin),
            pin_failures=0,
            pin_locked_until=None,
        ).where(User.id == user.id).execute()
        audit.record("reset_pin", "user", user.id, note="PIN changed")
        _record_ended(user, ended, "PIN changed")


def set_badge(user: User, badge: str | None) -> None:
    """Assign a badge code (or remove it with None/"")."""
    badge = (badge or "").strip()
    if badge and (problem := badge_problem(badge, user)):
        raise AccountError(problem, "badge")
    with write_transaction():
        User.update(
            badge_hash=hash_secret(badge) if badge else None,
            badge_lookup=lookup_digest("badge", badge) if badge else None,
        ).where(User.id == user.id).execute()
        audit.record("set_badge", "user", user.id, note="badge set" if badge else "badge removed")


def set_password(user: User, password: str, keep_terminal: int | None = None) -> None:
    """A new password (see password_policy); the person's other terminals are signed out
    or locked (keep_terminal: the terminal the change was made at, which stays)."""
    if problem := password_problem(password, user):
        raise AccountError(problem, "password")
    with write_transaction():
        ended = terminals.end_other_sessions(user, keep_terminal)
        User.update(password_hash=hash_secret(password)).where(User.id == user.id).execute()
        audit.record("reset_password", "user", user.id, note="password changed")
        _record_ended(user, ended, "password changed")


def _record_ended(user: User, ended: tuple[int, int], why: str) -> None:
    signed_out, locked = ended
    if signed_out or locked:
        audit.record(
            "end_sessions",
            "user",
            user.id,
            note=f"{why}: {signed_out} other terminal(s) signed out, {locked} locked",
        )


def set_active(user: User, active: bool) -> None:
    """Deactivate (every terminal it acts at is signed out) or reactivate an account."""
    with write_transaction():
        user = User.get_by_id(user.id)
        if user.active == active:
            return
        if not active and _is_last_admin(user):
            raise AccountError(
                N_("This is the only active administrator; it cannot be deactivated.")
            )
        before = audit.snapshot(user)
        user.active = active
        user.save()
        if not active:
            TerminalSession.update(ended_at=utcnow()).where(
                (TerminalSession.user == user) & TerminalSession.ended_at.is_null()
            ).execute()
        audit.record(
            "reactivate" if active else "deactivate",
            "user",
            user.id,
            before=before,
            after=audit.snapshot(user),
        )


def unlock_account(user: User) -> None:
    """Clear the account's lockout and the PIN-entry lock at the terminals it signs in to."""
    with write_transaction():
        User.update(
            pin_failures=0,
            pin_locked_until=None,
            pin_entry_failures=0,
            pin_entry_locked_until=None,
        ).where(User.id == user.id).execute()
        audit.record("unlock_account", "user", user.id, note="lockout cleared")


def _is_last_admin(user: User) -> bool:
    if not (user.active and user.has_role("admin")):
        return False
    return not User.active_admins().where(User.id != user.id).exists()
