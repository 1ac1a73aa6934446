"""Rate limits on sign-in and PIN entry, per network address (Flask-Limiter).

The counters live in the database (`RateLimitCounter`, storage URI "portal-db://"): the
`limits` library ships memory, Redis, Memcached and MongoDB storages only, and per-process
memory would give each gunicorn worker its own count (a guesser gets workers x the limit)
and forget everything at a restart. A pharmacy runs no Redis, so the database it already
has does the job: one small upsert per sign-in attempt, shared by every worker, thread and
(with PostgreSQL) machine. Limit: LOGIN_RATE_LIMIT (default "10 per minute") on POSTs to
the sign-in, unlock and switch-user endpoints, counted separately per endpoint.

Each app gets its own Limiter (tests build many apps in one process; Flask-Limiter keeps
its state on the extension object). RATELIMIT_ENABLED=False switches it off (tests do).
"""

import time

from flask import Flask, request
from flask_limiter import Limiter
from limits.storage import Storage
from peewee import PeeweeException

from portal.auth.models import RateLimitCounter
from portal.foundation.db import write_transaction

LIMITED_ENDPOINTS = (
    "auth.login",
    "auth.unlock",
    "auth.switch",
    "account.change_pin",
    "account.change_password",
)


class DatabaseStorage(Storage):
    """A `limits` storage on the portal's own database (fixed-window strategy)."""

    STORAGE_SCHEME = ["portal-db"]

    @property
    def base_exceptions(self):
        return PeeweeException

    def incr(self, key: str, expiry: int, amount: int = 1) -> int:
        now = time.time()
        with write_transaction():
            row = RateLimitCounter.get_or_none(RateLimitCounter.key == key)
            if row is None:
                # New windows are rare (a first attempt from an address): tidy up then.
                RateLimitCounter.delete().where(RateLimitCounter.expires_at < now).execute()
                RateLimitCounter.create(key=key, count=amount, expires_at=now + expiry)
                return amount
            if row.expires_at <= now:
                row.count, row.expires_at = amount, now + expiry
            else:
                row.count += amount
            row.save()
            return row.count

    def get(self, key: str) -> int:
        row = RateLimitCounter.get_or_none(RateLimitCounter.key == key)
        return row.count if row is not None and row.expires_at > time.time() else 0

    def get_expiry(self, key: str) -> float:
        row = RateLimitCounter.get_or_none(RateLimitCounter.key == key)
        return row.expires_at if row is not None else time.time()

    def check(self) -> bool:
        try:
            RateLimitCounter.select().limit(1).count()
        except PeeweeException:
            return False
        return True

    def reset(self) -> int | None:
        with write_transaction():
            return RateLimitCounter.delete().execute()

    def clear(self, key: str) -> None:
        with write_transaction():
            RateLimitCounter.delete().where(RateLimitCounter.key == key).execute()


def client_address() -> str:
    """The address to count against (the proxy's client address when TRUST_PROXY is set)."""
    return request.remote_addr or "unknown"


def init_app(app: Flask) -> None:
    app.config.setdefault("RATELIMIT_STORAGE_URI", "portal-db://")
    app.config.setdefault("RATELIMIT_HEADERS_ENABLED", True)
    limiter = Limiter(key_func=client_address, app=app)
    app.extensions["portal_limiter"] = limiter
    if not limiter.enabled:
        return
    decorate = limiter.limit(lambda: app.config["LOGIN_RATE_LIMIT"], methods=["POST"])
    for endpoint in LIMITED_ENDPOINTS:
        app.view_functions[endpoint] = decorate(app.view_functions[endpoint])
