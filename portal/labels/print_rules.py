"""Plain words for print warnings (no Flask, no database)."""

from __future__ import annotations

FIELD_WORDS = {
    "label": "the label is still too full: some text is not on it at all",
    "auxiliary": "auxiliary warnings",
    "directions": "directions",
    "ingredients": "compound ingredients",
    "drug": "drug name",
    "storage": "storage",
}


def overflow_words(fields) -> str:
    """ "directions, auxiliary warnings" from the engine's field keys."""
    return ", ".join(FIELD_WORDS.get(name, name.replace("_", " ")) for name in fields)
