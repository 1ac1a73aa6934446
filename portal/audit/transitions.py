"""One way through every life cycle (fills, compounding records, claims, prior authorizations,
formulas): check the move is allowed from the stored state, update the row guarded on that
state, write the life cycle's event row and the audit event, all in one transaction.

Each life cycle names its states with a StrEnum and its moves with a ``Moves`` table; the
row keeps its state in a column called ``status``. What a move means beyond the state
(dates, who did it, amounts) goes in ``changes``, and the event row is made by the caller's
``event`` function, so each table keeps its own columns.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from enum import StrEnum
from typing import Any

from peewee import Model

from portal.audit import log as audit
from portal.foundation.db import write_transaction

Moves = Mapping[StrEnum, frozenset[StrEnum]]


class IllegalMove(ValueError):
    """A move the life cycle does not allow, or that another terminal made first; the
    message says so in words."""

    def __init__(self, message: str, from_state: str = "", to_state: str = "") -> None:
        super().__init__(message)
        self.from_state, self.to_state = from_state, to_state


def words(state: str) -> str:
    """ "final_verify" -> "final verify": a state as staff read it when nothing better exists."""
    return str(state).replace("_", " ")


def check(moves: Moves, from_state: str, to_state: str, what: str) -> None:
    """Raise IllegalMove unless ``moves`` allows from_state -> to_state."""
    if to_state not in moves.get(from_state, frozenset()):
        raise IllegalMove(
            f"A {what} that is {words(from_state)} cannot become {words(to_state)}.",
            from_state,
            to_state,
        )


def move(
    row: Model,
    to_state: StrEnum | str,
    *,
    moves: Moves,
    user,
    entity: str,
    event: Callable[[str, str], Model] | None = None,
    changes: Mapping[str, Any] | Callable[[Model], Mapping[str, Any]] | None = None,
    check_stored: Callable[[Model], None] | None = None,
    note: str | Callable[[Model], str] = "",
    patient_id: int | None = None,
    what: str = "",
    action: str = "transition",
) -> Model | None:
    """Move ``row`` to ``to_state``: the one transition every life cycle uses.

    Reads the stored state (not the caller's copy), checks ``moves``, updates the row only
    if its state is still the one read (a second terminal's move in between fails in words),
    calls ``event(from_state, to_state)`` for the life cycle's own event row, and records
    the audit event. Joins the caller's transaction, or opens one. Returns the event row.

    ``action`` names the audit event where the trail already has a word for the step
    ("approve", "retire").
    ``check_stored(stored)`` runs first, on the row as stored: a life cycle's own checks
    (who may make the move, a reason it needs), raising in that life cycle's words.
    ``changes`` are the other columns the move sets, or a function of the stored row
    giving them (step users and times that depend on where the row comes from); ``note``,
    the audit event's note, may likewise be a function of the stored row.
    """
    model = type(row)
    to_state = str(to_state)
    with write_transaction():
        stored = model.get_by_id(row.get_id())
        from_state = str(stored.status)
        if check_stored is not None:
            check_stored(stored)
        check(moves, from_state, to_state, what or entity.replace("_", " "))
        if callable(changes):
            changes = changes(stored)
        if callable(note):
            note = note(stored)
        values = {"status": to_state, **(changes or {})}
        updated = (
            model.update(**values)
            .where((model._meta.primary_key == row.get_id()) & (model.status == from_state))
            .execute()
        )
        if updated != 1:
            raise IllegalMove(
                f"Someone else changed this {what or words(entity)} just now; reload the page.",
                from_state,
                to_state,
            )
        for name, value in values.items():
            setattr(row, name, value)
        made = event(from_state, to_state) if event is not None else None
        audit.record(
            action,
            entity,
            row.get_id(),
            before={"status": from_state},
            after={name: audit.plain_value(value) for name, value in values.items()},
            patient_id=patient_id,
            note=note,
            user=user,
        )
    return made
