"""Configuration: defaults, then the instance folder's config.py, then PORTAL_* variables."""

import os
import secrets
from pathlib import Path

from portal.foundation.files import FILE_MODE, FOLDER_MODE, create_private, private_folder, tighten

DEFAULTS = {
    # None means "SQLite file in the instance folder"; see database_url().
    "DATABASE_URL": None,
    # Keep connections open between requests (see foundation/db.py).
    "DATABASE_POOL": True,
    # Serve the counter pages' last rendering while nothing under it changed (page_cache.py).
    "PAGE_CACHE": True,
    "SESSION_COOKIE_HTTPONLY": True,
    "SESSION_COOKIE_SAMESITE": "Lax",
    # Flask only marks the cookie Secure when told; auth switches it on per request over HTTPS.
    "SESSION_COOKIE_SECURE": False,
    "PERMANENT_SESSION_LIFETIME": 12 * 3600,
    # Send the session cookie only when the session changed. Refreshed on every response, a
    # background poll that started before a form's answer would write back the session as
    # it read it, dropping the flash message (or the CSRF token) the form had just stored.
    "SESSION_REFRESH_EACH_REQUEST": False,
    "MAX_CONTENT_LENGTH": 16 * 1024 * 1024,
    "WTF_CSRF_TIME_LIMIT": None,  # a counter terminal stays open all day
    "IDLE_LOCK_MINUTES": 5,
    "PIN_MAX_FAILURES": 5,
    "PIN_LOCK_MINUTES": 15,
    "LOGIN_RATE_LIMIT": "10 per minute",
    # Argon2 cost; tests lower it so thousands of logins stay fast.
    "ARGON2_TIME_COST": 3,
    "ARGON2_MEMORY_COST": 65536,
    # Processes that lay out labels (a large batch in parts; served on 2+ cores, single labels
    # in a worker too); None: one per core, at most 4.
    "LABEL_WORKERS": None,
    # The audit chain's checkpoint in the instance folder is renewed on a request at most this
    # often (and by every backup and every check); 0 leaves it to backups and checks.
    "AUDIT_CHECKPOINT_MINUTES": 15,
    # The audit page warns when the scheduled daily check has not run for this long.
    "AUDIT_CHECK_OVERDUE_HOURS": 26,
    # `db upgrade` copies a SQLite database to instance/backups/pre-upgrade-*.db before it
    # applies migrations, keeping this many such copies; 0 takes none.
    "UPGRADE_BACKUPS_KEPT": 5,
    # Logs (foundation/logs.py): JSON lines to stdout; LOG_FILES also writes
    # instance/logs/portal.log, rotated at LOG_FILE_MAX_BYTES, keeping LOG_FILE_COUNT old files.
    "LOG_LEVEL": "INFO",
    "LOG_FILES": False,
    "LOG_FILE_MAX_BYTES": 10 * 1024 * 1024,
    "LOG_FILE_COUNT": 10,
    "SLOW_REQUEST_MS": 500,  # a request slower than this is logged with its SQL count
}


def load(app, test_config=None):
    """Fill app.config from defaults, instance config, environment, then test_config."""
    app.config.from_mapping(DEFAULTS)
    app.config.from_pyfile("config.py", silent=True)
    app.config.from_prefixed_env("PORTAL")
    if test_config:
        app.config.from_mapping(test_config)
    instance = Path(app.instance_path)
    private_folder(instance)
    tighten(instance, FOLDER_MODE)
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = _instance_secret_key(instance)
    if not app.config.get("AUDIT_KEY"):
        app.config["AUDIT_KEY"] = _instance_audit_key(instance)
    if not app.config["DATABASE_URL"]:
        app.config["DATABASE_URL"] = "sqlite:///" + os.path.join(app.instance_path, "portal.db")


def _instance_secret_key(instance: Path) -> str:
    """Read the key generated on first run, or generate and keep it (never a hard-coded one)."""
    return _read_or_create_key(instance / "secret_key")


def _instance_audit_key(instance: Path) -> str:
    """The key of the audit trail's HMAC chain and checkpoints: kept in the instance folder,
    never in the database, so someone who can change rows cannot recompute the chain."""
    folder = private_folder(instance / "audit")
    tighten(folder, FOLDER_MODE)
    return _read_or_create_key(folder / "key")


def _read_or_create_key(path: Path) -> str:
    """A random key kept in an owner-only file; two workers starting at once agree on it."""
    if not path.exists():
        # Written whole under a temporary name, then linked into place: a worker starting at
        # the same moment never reads a half-written key, and the first link wins.
        temporary = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}")
        create_private(temporary, secrets.token_hex(32).encode())
        try:
            os.link(temporary, path)
        except FileExistsError:
            pass
        finally:
            temporary.unlink()
    tighten(path, FILE_MODE)
    return path.read_text().strip()
