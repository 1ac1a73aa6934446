"""Rate limits on sign-in and PIN entry, per network address.

The counters live in the database (`RateLimitCounter`): the `limits` library ships memory,
Redis, Memcached and MongoDB storages only, and per-process memory would give each gunicorn
worker its own count (a guesser gets workers x the limit) and forget everything at a
restart. A pharmacy runs no Redis, so the database it already has does the job: one small
upsert per sign-in attempt, shared by every worker, thread and (with PostgreSQL) machine.
Limit: LOGIN_RATE_LIMIT (default "10 per minute") per address, counted separately for
sign-in, for the current password on the own-account page, and for PIN or badge entry
(unlock, switch user and co-sign share one count).

The views call `take_slot` before checking a secret (rather than a route decorator, whose
refusal is an error page: here the form comes back with the typed values and says until
when, with HTTP 429). Each attempt takes its place with one atomic upsert (INSERT ... ON
CONFLICT DO UPDATE ... RETURNING), so a burst of parallel requests cannot all read the same
old count (OWASP ASVS 2.2.1). Only failures stay counted: a right password or PIN gives its
place back, so staff switching all day never meet the limit.

`limits` reads the limit's text and makes the keys. It is imported on the first attempt,
not at start: it brings asyncio with it, a large part of a start's time.
RATELIMIT_ENABLED=False switches the limits off (tests do).
"""

import time
from dataclasses import dataclass
from datetime import UTC, datetime

from flask import Flask, current_app, request
from flask_babel import gettext as _
from peewee import Case

from portal.auth.models import RateLimitCounter
from portal.foundation.db import write_transaction
from portal.foundation.filters import local_time

SIGN_IN = "sign-in"
OWN_ACCOUNT = "own-account"  # the current password asked to change one's PIN or password
PIN_ENTRY = "pin-entry"  # unlock, switch user and co-sign
STALE_SECONDS = 3600


def count_attempt(key: str, expiry: int, amount: int = 1) -> int:
    """Add amount to the key's count in one statement and return the new count.

    The upsert is atomic on both databases (the row is locked while it is updated),
    so parallel attempts each see a different count and no more than the limit pass."""
    now = time.time()
    expired = RateLimitCounter.expires_at <= now
    query = (
        RateLimitCounter.insert(key=key, count=amount, expires_at=now + expiry)
        .on_conflict(
            conflict_target=[RateLimitCounter.key],
            update={
                RateLimitCounter.count: Case(
                    None, [(expired, amount)], RateLimitCounter.count + amount
                ),
                RateLimitCounter.expires_at: Case(
                    None, [(expired, now + expiry)], RateLimitCounter.expires_at
                ),
            },
        )
        .returning(RateLimitCounter.count)
    )
    with write_transaction():
        count = next(iter(query.execute())).count
    if count == amount:
        # A new window (a first attempt from an address) is rare: tidy up then, in a
        # statement of its own (holding no other row), rows long out of use.
        stale = RateLimitCounter.expires_at < now - STALE_SECONDS
        with write_transaction():
            RateLimitCounter.delete().where(stale).execute()
    return count


def give_back(key: str) -> None:
    """Take one attempt off a count (a right password or PIN is not held against anyone)."""
    with write_transaction():
        RateLimitCounter.update(count=RateLimitCounter.count - 1).where(
            (RateLimitCounter.key == key) & (RateLimitCounter.count > 0)
        ).execute()


def window_end(key: str) -> float:
    """When the key's count starts afresh (seconds since the epoch)."""
    row = RateLimitCounter.get_or_none(RateLimitCounter.key == key)
    return row.expires_at if row is not None else time.time()


def client_address() -> str:
    """The address to count against (the proxy's client address when TRUST_PROXY is set)."""
    return request.remote_addr or "unknown"


@dataclass
class Slot:
    """One attempt's place in its per-address count (see take_slot)."""

    allowed: bool
    key: str = ""
    retry_at: float = 0.0  # seconds since the epoch: when a refused address may try again

    def give_back(self) -> None:
        """The password or PIN was right: this attempt is not held against the address."""
        if self.key:
            give_back(self.key)

    @property
    def refusal(self) -> str:
        """What the form says when the attempt is refused: why, and until when."""
        moment = datetime.fromtimestamp(self.retry_at, tz=UTC).replace(tzinfo=None)
        return _("Try again after %(moment)s.", moment=local_time(moment, "%I:%M:%S %p"))


def take_slot(scope: str) -> Slot:
    """Count an attempt from this address in scope (SIGN_IN, OWN_ACCOUNT or PIN_ENTRY, the
    one count unlock, switch user and co-sign share).

    Refused (allowed False, with retry_at) past LOGIN_RATE_LIMIT. Call before checking the
    secret, and give the slot back when it was right: the count then holds failures only,
    and a parallel burst cannot check more than the limit."""
    if not current_app.config["RATELIMIT_ENABLED"]:
        return Slot(True)
    from limits import parse

    item = parse(current_app.config["LOGIN_RATE_LIMIT"])
    key = item.key_for(scope, client_address())
    if count_attempt(key, item.get_expiry()) <= item.amount:
        return Slot(True, key)
    give_back(key)  # refused, never checked: the count stays at the limit
    return Slot(False, retry_at=window_end(key))


def init_app(app: Flask) -> None:
    app.config.setdefault("RATELIMIT_ENABLED", True)
