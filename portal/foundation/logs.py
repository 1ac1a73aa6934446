"""Logs: JSON lines to stdout (and, when LOG_FILES is set, to instance/logs/ with rotation),
one access line per request, and a warning for each slow request with its SQL count.

Nothing a patient could be recognised by goes in a log (HIPAA, 45 CFR 164.312(b) asks for
activity records, not for copies of the record): the access line holds the path without
its query string (only the names of the query's fields), ids rather than names, and an
error keeps its type and stack but not its message, which can carry a database value
(PostgreSQL's "Key (...)=(...) already exists"). SQL is counted, never written.
"""

import json
import logging
import re
import sys
import time
import traceback
import uuid
from datetime import UTC, datetime
from logging.handlers import RotatingFileHandler
from pathlib import Path

from flask import Flask, g, has_request_context, request
from flask.logging import default_handler

from portal.foundation.db import statements_run
from portal.foundation.files import private_folder

REQUEST_ID_HEADER = "X-Request-ID"
# A request id handed on by the proxy (nginx's $request_id) is kept when it looks like one.
PASSED_ID = re.compile(r"[A-Za-z0-9._-]{8,64}")
FIELDS = ("method", "path", "query", "status", "duration_ms", "sql", "user_id", "request_id")

access_log = logging.getLogger("portal.access")
slow_log = logging.getLogger("portal.slow")


class JsonLines(logging.Formatter):
    """One JSON object a line: time (UTC), level, logger, message and the request's fields."""

    def format(self, record: logging.LogRecord) -> str:
        line = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        line.update({name: getattr(record, name) for name in FIELDS if hasattr(record, name)})
        if record.exc_info and record.exc_info[0]:
            kind, _, trace = record.exc_info
            line["error"] = f"{kind.__module__}.{kind.__qualname__}"
            line["stack"] = [
                f"{frame.filename}:{frame.lineno} in {frame.name}"
                for frame in traceback.extract_tb(trace)
            ]
        return json.dumps(line, default=str)


class RequestFields(logging.Filter):
    """Adds the request id to every line logged while a request is served."""

    def filter(self, record: logging.LogRecord) -> bool:
        if has_request_context() and not hasattr(record, "request_id"):
            record.request_id = g.get("request_id")
        return True


class StdoutHandler(logging.StreamHandler):
    """Writes to whatever sys.stdout is now (a test's capture replaces it per test)."""

    def __init__(self):
        super().__init__()

    @property
    def stream(self):
        return sys.stdout

    @stream.setter
    def stream(self, value):
        pass


def _configure(app: Flask) -> None:
    """Put this app's handlers on the portal logger, replacing any an earlier app set."""
    portal = logging.getLogger("portal")
    # Waitress's own lines (queue depth, socket errors) go out the same way, as JSON.
    server = logging.getLogger("waitress")
    for logger in (portal, server):
        for handler in list(logger.handlers):
            if handler is default_handler or getattr(handler, "mortar", False):
                logger.removeHandler(handler)
    handlers: list[logging.Handler] = [StdoutHandler()]
    if app.config["LOG_FILES"]:
        folder = private_folder(Path(app.instance_path) / "logs")
        handlers.append(
            RotatingFileHandler(
                folder / "portal.log",
                maxBytes=app.config["LOG_FILE_MAX_BYTES"],
                backupCount=app.config["LOG_FILE_COUNT"],
            )
        )
    for handler in handlers:
        handler.mortar = True
        handler.setFormatter(JsonLines())
        handler.addFilter(RequestFields())
        portal.addHandler(handler)
        server.addHandler(handler)
    portal.setLevel(app.config["LOG_LEVEL"])

    # Peewee logs each query with its parameters (patient data) at DEBUG: off, and kept
    # from the portal's handlers even when a test or bench turns it on to read the SQL.
    # Queries are counted by the database itself (portal.foundation.db.statements_run).
    peewee = logging.getLogger("peewee")
    peewee.propagate = False
    peewee.setLevel(logging.INFO)


def _query_names() -> list[str] | None:
    return sorted(set(request.args)) or None


def init_app(app: Flask) -> None:
    """Register before the other areas, so the access line's duration covers their hooks."""
    _configure(app)

    @app.before_request
    def _start():
        passed = request.headers.get(REQUEST_ID_HEADER, "")
        g.request_id = passed if PASSED_ID.fullmatch(passed) else uuid.uuid4().hex
        g.request_started = time.perf_counter()
        statements_run.set(0)

    @app.after_request
    def _access_line(response):
        if "request_started" not in g:  # a request that failed before it began
            return response
        duration_ms = round((time.perf_counter() - g.request_started) * 1000, 1)
        user = g.get("user")
        fields = {
            "method": request.method,
            "path": request.path,
            "query": _query_names(),
            "status": response.status_code,
            "duration_ms": duration_ms,
            "sql": statements_run.get(),
            "user_id": getattr(user, "id", None),
            "request_id": g.request_id,
        }
        response.headers[REQUEST_ID_HEADER] = g.request_id
        access_log.info(
            "%s %s %s", request.method, request.path, response.status_code, extra=fields
        )
        if duration_ms > app.config["SLOW_REQUEST_MS"]:
            slow_log.warning(
                "slow request: %s %s took %.0f ms with %d SQL queries",
                request.method,
                request.path,
                duration_ms,
                fields["sql"],
                extra=fields,
            )
        return response
