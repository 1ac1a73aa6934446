"""Addresses in templates, each built once: every page asks for the same links (the menu,
the stylesheet and scripts, the terminal's dialogs, a queue's rows) on every request.

Each route's address builder is compiled on its first use (`Rule`), not at start: Werkzeug
compiles two Python functions per route as it is added, a large part of a start's time for
the portal's 190 routes, most of which a process never builds an address for.

A template's ``url_for`` keeps what Flask built, keyed by where the app is mounted (the
script root), the endpoint and its values with their types, for as long as the app runs:
the routes never change after start. Only plain relative addresses are kept; anything else
(a blueprint-relative ".endpoint", ``_external``, ``_anchor`` and the like, a value that
cannot be a key, no request) is built by Flask each time, as before.
"""

from flask import Flask, has_request_context, request, url_for
from werkzeug.routing import Rule as WerkzeugRule

# Addresses kept at most (a queue's rows add one per record); past this, start afresh.
KEPT = 4096


class Rule(WerkzeugRule):
    """A route whose address builders are compiled when first called."""

    def _compile_builder(self, append_unknown: bool = True):
        # Werkzeug 3.1 calls this twice from compile() (Werkzeug==3.1.9 is pinned); what it
        # returns is bound to the rule and called with the address's values.
        compile_now = super()._compile_builder
        compiled = None

        def build(rule, /, **values):  # positional: a route may have a value named "rule"
            nonlocal compiled
            if compiled is None:
                compiled = compile_now(append_unknown)
            return compiled(rule, **values)

        return build


def init_app(app: Flask) -> None:
    if app.url_map.host_matching or app.config.get("SERVER_NAME"):
        return  # addresses may then depend on the host asked for: leave them to Flask
    built: dict[tuple, str] = {}

    def kept_url_for(endpoint: str, **values) -> str:
        if endpoint[:1] == "." or not has_request_context() or app.url_default_functions:
            return url_for(endpoint, **values)
        try:
            key = (request.script_root, endpoint, *_values_key(values))
            url = built.get(key)
        except TypeError:  # a list of values (several ?a=1&a=2): not a key
            return url_for(endpoint, **values)
        if url is None:
            url = url_for(endpoint, **values)
            if len(built) >= KEPT:
                built.clear()
            built[key] = url
        return url

    app.jinja_env.globals["url_for"] = kept_url_for


def _values_key(values: dict) -> list[tuple]:
    """The values as part of a key: with their types (1 and True and "1" differ), and none
    of Flask's own options (_external, _anchor, _method, _scheme)."""
    if any(name[:1] == "_" for name in values):
        raise TypeError("Flask's own options are not kept")
    return [(name, type(value), value) for name, value in sorted(values.items())]
