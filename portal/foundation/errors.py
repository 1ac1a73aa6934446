"""Error pages in the layout; a 500 rolls back and never shows a stack trace."""

import logging

from flask import Flask, render_template, request
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from portal.foundation.db import db
from portal.foundation.i18n import lazy_gettext as _l

log = logging.getLogger("portal")

MESSAGES = {
    400: (
        _l("Something in that request was not right"),
        _l("Go back, check what you entered and try again."),
    ),
    403: (
        _l("Not allowed for your role"),
        _l("Ask a pharmacist or manager to do this, or switch user."),
    ),
    404: (_l("Not found"), _l("The page or record you asked for does not exist.")),
    405: (_l("Not allowed here"), _l("That action cannot be done from this address.")),
    413: (
        _l("File too large"),
        _l("The file is larger than the portal accepts. Scan at a lower resolution."),
    ),
    429: (_l("Too many attempts"), _l("Wait a minute before trying again.")),
    500: (
        _l("Something went wrong on our side"),
        _l("Nothing was saved. Try again; if it keeps happening, tell the manager."),
    ),
}


def _render(code: int, detail: str = ""):
    title, advice = MESSAGES.get(code, (_("Error %(code)s", code=code), ""))
    template = "core/_error.html" if request.headers.get("HX-Request") else "core/error.html"
    return render_template(template, code=code, title=title, advice=advice, detail=detail), code


def init_app(app: Flask) -> None:
    @app.errorhandler(CSRFError)
    def _csrf(error):
        return _render(
            400,
            _(
                "This form has expired or was not sent from the portal. "
                "Reload the page and submit it again."
            ),
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
