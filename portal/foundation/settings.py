"""Pharmacy settings: each area defines its settings with a default; the pharmacy overrides.

Defaults live in code (the federal rule or the common practice); a row in Setting exists
only where the pharmacy chose otherwise, so new settings need no migration.
"""

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from flask import Flask, g, has_app_context, has_request_context
from peewee import CharField, TextField

from portal.foundation.db import BaseModel, Prepared


class Setting(BaseModel):
    """A pharmacy setting that differs from its default (see portal.foundation.settings)."""

    key = CharField(max_length=80, unique=True)
    value = TextField()

    def decoded(self):
        return json.loads(self.value)


# Read at most once a request, by nearly every request (the idle lock): SQL built once.
_ALL = Prepared(lambda: Setting.select())


@dataclass(frozen=True)
class Definition:
    key: str
    default: Any
    label: str
    help: str = ""
    kind: str = "int"  # int | str | bool | choice | text
    choices: tuple[tuple[str, str], ...] = ()
    minimum: int | None = None
    maximum: int | None = None
    area: str = "General"
    # Problems with a value, in words (beyond kind and range), for the settings page.
    check: Callable[[Any], list[str]] | None = None


DEFINITIONS: dict[str, Definition] = {}

# Called as (key, old, new) after a setting changes, in the same transaction: the audit
# area records every change here, so the foundation need not know the audit trail.
LISTENERS: list[Callable[[str, Any, Any], None]] = []


def on_change(listener: Callable[[str, Any, Any], None]) -> None:
    if listener not in LISTENERS:
        LISTENERS.append(listener)


def define(key: str, default: Any, label: str, **options) -> Definition:
    definition = Definition(key, default, label, **options)
    DEFINITIONS[key] = definition
    return definition


def in_area(area: str) -> list[Definition]:
    """An area's settings, in the order they were defined."""
    return [definition for definition in DEFINITIONS.values() if definition.area == area]


def _chosen() -> dict[str, Any]:
    """The pharmacy's choices, read once per request (a page asks for several settings, the
    idle lock alone four times); outside a request each call reads afresh."""
    if not has_request_context():
        return {row.key: row.decoded() for row in _ALL.rows()}
    if "settings_chosen" not in g:
        g.settings_chosen = {row.key: row.decoded() for row in _ALL.rows()}
    return g.settings_chosen


def forget_read() -> None:
    """Drop the request's copy, so the next get() reads the table again."""
    if has_app_context():
        g.pop("settings_chosen", None)


def init_app(app: Flask) -> None:
    # Each request starts from the table: a shared app context (tests, CLI) keeps g between
    # requests, and another terminal may have changed a setting since.
    app.before_request(forget_read)


def get(key: str) -> Any:
    definition = DEFINITIONS[key]
    chosen = _chosen()
    return chosen.get(key, definition.default)


def is_chosen(key: str) -> bool:
    """Whether the pharmacy chose a value for key (rather than leaving the default)."""
    return key in _chosen()


def put(key: str, value: Any) -> None:
    """Store a setting (call inside a write transaction); each listener hears of it."""
    forget_read()
    old = get(key)
    if value == old:
        return
    row = Setting.get_or_none(Setting.key == key)
    if value == DEFINITIONS[key].default and row is not None:
        row.delete_instance()
    elif row is None:
        Setting.create(key=key, value=json.dumps(value))
    else:
        row.value = json.dumps(value)
        row.save()
    forget_read()
    for listener in LISTENERS:
        listener(key, old, value)
