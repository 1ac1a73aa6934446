"""Tests build a new app for every test, and Werkzeug compiles two URL-builder functions per
route each time (about 0.1 s for this app's routes, most of a test's setup). The generated code
depends only on the rule's parsed parts and its defaults, and the functions take the rule as
their first argument, so one compiled builder serves every app built from the same rule.

Test-only: a served app compiles its routes once at start."""

from werkzeug.routing.rules import Rule

_original = getattr(Rule, "_compile_builder", None)
_cache: dict = {}


def _cached_compile_builder(self, append_unknown=True):
    defaults = self.defaults or {}
    key = (
        append_unknown,
        tuple(self._trace),
        tuple(sorted((name, repr(value)) for name, value in defaults.items())),
        tuple(sorted((name, repr(self._converters.get(name))) for name in defaults)),
    )
    builder = _cache.get(key)
    if builder is None:
        builder = _cache[key] = _original(self, append_unknown)
    return builder


def install() -> None:
    if _original is not None:
        Rule._compile_builder = _cached_compile_builder
