"""Error pages in the layout; a 500 rolls back and never shows a stack trace."""

import logging

from flask import Flask, render_template, request
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from portal.foundation.db import db

log = logging.getLogger("portal")

MESSAGES = {
    400: (
        "Something in that request was not right",
        "Go back, check what you entered and try again.",
    ),
    403: ("Not allowed for your role", "Ask a pharmacist or manager to do this, or switch user."),
    404: ("Not found", "The page or record you asked for does not exist."),
    405: ("Not allowed here", "That action cannot be done from this address."),
    413: (
        "File too large",
        "The file is larger than the portal accepts. Scan at a lower resolution.",
    ),
    429: ("Too many attempts", "Wait a minute before trying again."),
    500: (
        "Something went wrong on our side",
        "Nothing was saved. Try again; if it keeps happening, tell the manager.",
    ),
}


def _render(code: int, detail: str = ""):
    title, advice = MESSAGES.get(code, (f"Error {code}", ""))
    template = "core/_error.html" if request.headers.get("HX-Request") else "core/error.html"
    return render_template(template, code=code, title=title, advice=advice, detail=detail), code


def init_app(app: Flask) -> None:
    @app.errorhandler(CSRFError)
    def _csrf(error):
        return _render(
            400,
            "This form has expired or was not sent from the portal. "
            "Reload the page and submit it again.",
        )

    @app.errorhandler(HTTPException)
    def _http(error):
        if error.code is None or error.code < 400:
            return error
        return _render(error.code, error.description if error.code == 400 else "")

    @app.errorhandler(Exception)
    def _unexpected(error):
        log.exception("unhandled error on %s %s", request.method, request.path)
        if not db.is_closed() and db.in_transaction():
            db.rollback()
        return _render(500)
