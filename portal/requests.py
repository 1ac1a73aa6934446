"""The portal's request: NUL characters are taken out of every query string and form.

NUL never belongs in anything staff type or scan, and PostgreSQL refuses it in any
string it is given (a search, a filter, a saved note), so one that arrives from a
tampered link or a pasted binary would be a server error wherever it reached the
database. Dropping it here spares every view and form the check.
"""

from flask import Request
from werkzeug.datastructures import ImmutableMultiDict, iter_multi_items


class WithoutNul(ImmutableMultiDict):
    """Query string and form values, each without NUL characters."""

    def __init__(self, mapping=None):
        super().__init__(
            (
                key.replace("\x00", ""),
                value.replace("\x00", "") if isinstance(value, str) else value,
            )
            for key, value in iter_multi_items(mapping or ())
        )


class PortalRequest(Request):
    parameter_storage_class = WithoutNul
