"""The start page's "today" cards: each area adds what needs someone's attention.

An area registers a function that returns the lines of its card for the signed-in user;
a line is a count with words and a link to the page where the work is. Counts must come
from indexes: the start page is opened many times a day.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from flask import Flask, current_app


@dataclass(frozen=True)
class Line:
    count: int | None  # None: a warning without a number
    text: str  # "waiting for data verification"
    url: str
    tone: str = ""  # "", "warn" or "alert": how urgent a non-zero count is


@dataclass(frozen=True)
class Card:
    title: str
    roles: frozenset[str]  # empty: every signed-in user
    order: int
    lines: Callable[[object], list[Line]]  # (user) -> lines


def add(app: Flask, title: str, lines, roles=(), order: int = 50) -> None:
    cards = app.extensions.setdefault("portal_today", [])
    cards.append(Card(title, frozenset(roles), order, lines))
    cards.sort(key=lambda card: card.order)


def cards_for(user) -> list[tuple[str, list[Line]]]:
    """(title, lines) of every card the user's roles open, in order."""
    found = []
    for card in current_app.extensions.get("portal_today", []):
        if card.roles and not user.has_any_role(card.roles):
            continue
        found.append((card.title, card.lines(user)))
    return found
