"""Hashing of passwords, PINs and badge codes (argon2), and keyed lookups for PIN switching."""

import hashlib
import hmac

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app


def _hasher() -> PasswordHasher:
    config = current_app.config
    return PasswordHasher(
        time_cost=config["ARGON2_TIME_COST"], memory_cost=config["ARGON2_MEMORY_COST"]
    )


def hash_secret(secret: str) -> str:
    return _hasher().hash(secret)


def check_secret(stored_hash: str | None, secret: str) -> bool:
    if not stored_hash or not secret:
        return False
    try:
        return _hasher().verify(stored_hash, secret)
    except (VerificationError, InvalidHashError):
        return False


def lookup_digest(kind: str, secret: str) -> str:
    """HMAC of a PIN or badge under the app's secret key: finds the account, proves nothing."""
    key = current_app.config["SECRET_KEY"].encode()
    return hmac.new(key, f"{kind}:{secret}".encode(), hashlib.sha256).hexdigest()
