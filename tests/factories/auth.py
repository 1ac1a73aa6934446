"""Staff accounts and signing a test client in."""

import itertools
import secrets

from portal.auth.models import TerminalSession, User
from portal.auth.passwords import hash_secret, lookup_digest

__all__ = ["make_user", "sign_in", "DEFAULT_PASSWORD"]

DEFAULT_PASSWORD = "correct horse battery staple"
_numbers = itertools.count(1)


def make_user(
    roles=("technician",),
    username=None,
    full_name=None,
    password=DEFAULT_PASSWORD,
    pin=None,
    active=True,
) -> User:
    """A staff member; PIN defaults to a unique 6-digit one (user.pin keeps it for tests)."""
    number = next(_numbers)
    role_list = [roles] if isinstance(roles, str) else list(roles)
    pin = pin or f"{400000 + number:06d}"
    user = User.create(
        username=username or f"{role_list[0][:4]}{number}",
        full_name=full_name or f"{role_list[0].title()} Number{number}",
        initials=f"{role_list[0][0].upper()}N{number % 1000}",  # the column holds 5
        roles=" ".join(role_list),
        password_hash=hash_secret(password),
        pin_hash=hash_secret(pin),
        pin_lookup=lookup_digest("pin", pin),
        active=active,
    )
    user.pin = pin
    return user


def sign_in(client, user: User) -> TerminalSession:
    """Sign a test client in as user without going through the login form: a new counter
    terminal acting as user (returned; `.terminal` is the id in the session cookie)."""
    terminal = TerminalSession.create(terminal=secrets.token_hex(16), user=user, signed_in_by=user)
    with client.session_transaction() as session:
        session.clear()
        session["terminal"] = terminal.terminal
    return terminal
