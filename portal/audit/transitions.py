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
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from peewee import Model

from portal.audit import log as audit
from portal.foundation import locks
from portal.foundation.db import db, write_transaction

Moves = Mapping[StrEnum, frozenset[StrEnum]]


def _chain_first() -> None:
    """Take the audit chain's lock before any row's: the audit event at the end of the move
    takes it anyway, and a transaction that holds it and then writes this row (an 835 import
    posting thousands of claims) would otherwise deadlock with this one on PostgreSQL: each
    waiting for what the other holds."""
    locks.hold_for_transaction(locks.AUDIT_CHAIN)


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
        _chain_first()
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


def mark_once(
    row: Model,
    column: str,
    value: Any,
    *,
    user,
    entity: str,
    action: str,
    check_stored: Callable[[Model], None] | None = None,
    note: str = "",
    patient_id: int | None = None,
    what: str = "",
) -> Model:
    """Set ``column`` of ``row`` once, from empty (NULL) to ``value``: a step that is not a
    change of state but may happen only once (a partial fill's remainder voided).

    As move(): the audit chain's lock first, the stored row read and checked by
    ``check_stored`` (raising in the caller's words), the UPDATE guarded on the column still
    being empty, so of two terminals (or the unattended job and a person) one sets it and
    the other is refused in words, never both. Joins the caller's transaction, or opens one.
    Returns the stored row as it now is; ``user`` None is the portal itself (no person).
    """
    model = type(row)
    field_ = model._meta.fields[column]
    with write_transaction():
        _chain_first()
        stored = model.get_by_id(row.get_id())
        if check_stored is not None:
            check_stored(stored)
        label = what or words(entity)
        if getattr(stored, column) is not None:
            raise IllegalMove(f"This {label} was already done; reload the page.")
        before = {column: None}
        updated = (
            model.update({field_: value})
            .where((model._meta.primary_key == row.get_id()) & field_.is_null())
            .execute()
        )
        if updated != 1:
            raise IllegalMove(f"Someone else changed this {label} just now; reload the page.")
        setattr(stored, column, value)
        setattr(row, column, value)
        audit.record(
            action,
            entity,
            row.get_id(),
            before=before,
            after={column: audit.plain_value(value)},
            patient_id=patient_id,
            note=note,
            user=user,
        )
    return stored


@dataclass
class Step:
    """One row's move in move_many: where it goes, the other columns it sets, its note."""

    row: Model
    to_state: str
    changes: Mapping[str, Any] = field(default_factory=dict)
    note: str = ""
    patient_id: int | None = None
    from_state: str = ""  # the stored state it moved from (set by move_many)


@dataclass
class Refused:
    """A step move_many did not make, and why, in words."""

    step: Step
    why: str


_CHUNK = 500  # ids per IN when reading the stored states


def move_many(
    model: type[Model],
    steps: list[Step],
    *,
    moves: Moves,
    user,
    entity: str,
    events: Callable[[list[Step]], list[Model]] | None = None,
    check_stored: Callable[[Step, str], str] | None = None,
    what: str = "",
    action: str = "transition",
) -> tuple[list[tuple[Step, Model | None]], list[Refused]]:
    """move() for many rows of one table at once, with the same guarantees.

    One SELECT reads every row's stored state; each move is checked from it and its UPDATE
    guarded on it, so a row another terminal changed meanwhile is refused in words (in
    ``Refused``, for the caller to show or queue), never skipped in silence or overwritten.
    ``events(moved_steps)`` writes the life cycle's event rows for the moves made (in bulk)
    and returns them in order; the audit events go in with audit.record_many (one chain
    lock). ``check_stored(step, stored_state)`` returns why a move may not be made, or "".
    Returns ([(step, its event row)], [Refused]).
    """
    ids = [step.row.get_id() for step in steps]
    if len(set(ids)) != len(ids):
        raise ValueError("move_many moves each row once; merge the steps of a row first.")
    key, name = model._meta.primary_key, what or words(entity)
    moved: list[Step] = []
    refused: list[Refused] = []
    statements: dict[tuple[str, ...], str] = {}
    with write_transaction():
        _chain_first()
        stored: dict[Any, str] = {}
        for start in range(0, len(ids), _CHUNK):
            query = model.select(key, model.status).where(key.in_(ids[start : start + _CHUNK]))
            stored.update((i, str(status)) for i, status in query.tuples())
        for step, row_id in zip(steps, ids, strict=True):
            to_state = str(step.to_state)
            if row_id not in stored:
                refused.append(Refused(step, f"This {name} no longer exists."))
                continue
            from_state = stored[row_id]
            why = check_stored(step, from_state) if check_stored is not None else ""
            if not why:
                try:
                    check(moves, from_state, to_state, name)
                except IllegalMove as illegal:
                    why = str(illegal)
            if why:
                refused.append(Refused(step, why))
                continue
            values = {"status": to_state, **step.changes}
            updated = _guarded_update(model, values, row_id, from_state, statements)
            if updated != 1:
                refused.append(
                    Refused(step, f"Someone else changed this {name} just now; reload the page.")
                )
                continue
            for column, value in values.items():
                setattr(step.row, column, value)
            step.from_state = from_state
            moved.append(step)
        made = events(moved) if events is not None and moved else [None] * len(moved)
        audit.record_many(
            [
                {
                    "action": action,
                    "entity": entity,
                    "entity_id": step.row.get_id(),
                    "before": {"status": step.from_state},
                    "after": {
                        column: audit.plain_value(value)
                        for column, value in {"status": str(step.to_state), **step.changes}.items()
                    },
                    "patient_id": step.patient_id,
                    "note": step.note,
                }
                for step in moved
            ],
            user=user,
        )
    return list(zip(moved, made, strict=True)), refused


def _guarded_update(model, values: dict, row_id, from_state: str, statements: dict) -> int:
    """UPDATE one row guarded on its stored state; returns the rows changed (0 or 1).

    The same statement as model.update(...).where(...), written once per set of columns:
    building peewee's query for each of thousands of rows cost more than running them."""
    names = tuple(values)
    if names not in statements:
        fields = [model._meta.fields[name] for name in names]
        param = db.param
        assignments = ", ".join(f"{_quoted(f.column_name)} = {param}" for f in fields)
        statements[names] = (
            f"UPDATE {_quoted(model._meta.table_name)} SET {assignments} "
            f"WHERE {_quoted(model._meta.primary_key.column_name)} = {param} "
            f"AND {_quoted(model.status.column_name)} = {param}"
        )
    fields = model._meta.fields
    params = [fields[name].db_value(values[name]) for name in names]
    cursor = db.execute_sql(statements[names], (*params, row_id, from_state))
    return cursor.rowcount


def _quoted(name: str) -> str:
    """A table or column name quoted as the database quotes it."""
    opening, closing = db.quote[0], db.quote[1]
    return f"{opening}{name.replace(closing, closing * 2)}{closing}"
