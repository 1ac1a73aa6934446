"""The portal's request: NUL characters are taken out of every query string and form, and
ids in URLs are only numbers the database can hold.

NUL never belongs in anything staff type or scan, and PostgreSQL refuses it in any
string it is given (a search, a filter, a saved note), so one that arrives from a
tampered link or a pasted binary would be a server error wherever it reached the
database. Dropping it here spares every view and form the check.
"""

from flask import Request
from werkzeug.datastructures import ImmutableMultiDict, iter_multi_items
from werkzeug.routing import IntegerConverter


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


class DatabaseId(IntegerConverter):
    """``<int:...>`` in every route: a number too large for the database's 64-bit ids is a
    page that does not exist (404), not an overflow in the query (500)."""

    def __init__(self, map, *args, **kwargs):
        kwargs.setdefault("max", 2**63 - 1)
        super().__init__(map, *args, **kwargs)
