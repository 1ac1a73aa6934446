"""Configuration: defaults, then the instance folder's config.py, then PORTAL_* variables."""

import os
import secrets
from pathlib import Path

DEFAULTS = {
    # None means "SQLite file in the instance folder"; see database_url().
    "DATABASE_URL": None,
    "SESSION_COOKIE_HTTPONLY": True,
    "SESSION_COOKIE_SAMESITE": "Lax",
    # Flask only marks the cookie Secure when told; auth switches it on per request over HTTPS.
    "SESSION_COOKIE_SECURE": False,
    "PERMANENT_SESSION_LIFETIME": 12 * 3600,
    "MAX_CONTENT_LENGTH": 16 * 1024 * 1024,
    "WTF_CSRF_TIME_LIMIT": None,  # a counter terminal stays open all day
    "IDLE_LOCK_MINUTES": 5,
    "PIN_MAX_FAILURES": 5,
    "PIN_LOCK_MINUTES": 15,
    "LOGIN_RATE_LIMIT": "10 per minute",
    # Argon2 cost; tests lower it so thousands of logins stay fast.
    "ARGON2_TIME_COST": 3,
    "ARGON2_MEMORY_COST": 65536,
    # Processes that lay out a large label batch at once; None: one per core, at most 4.
    "LABEL_WORKERS": None,
}


def load(app, test_config=None):
    """Fill app.config from defaults, instance config, environment, then test_config."""
    app.config.from_mapping(DEFAULTS)
    app.config.from_pyfile("config.py", silent=True)
    app.config.from_prefixed_env("PORTAL")
    if test_config:
        app.config.from_mapping(test_config)
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = _instance_secret_key(Path(app.instance_path))
    if not app.config["DATABASE_URL"]:
        app.config["DATABASE_URL"] = "sqlite:///" + os.path.join(app.instance_path, "portal.db")


def _instance_secret_key(instance: Path) -> str:
    """Read the key generated on first run, or generate and keep it (never a hard-coded one)."""
    path = instance / "secret_key"
    if path.exists():
        return path.read_text().strip()
    instance.mkdir(parents=True, exist_ok=True)
    key = secrets.token_hex(32)
    # Created with owner-only permissions: the key signs every session cookie.
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(key)
    return key
