"""The prescribers list, a page at a time: keyset paging by name (last name, first name, id).

- a page starts after (``?after=<id>``) or ends before (``?before=<id>``) the prescriber at
  its boundary, found by id; the page is read from the (last_name, first_name, id) index
  from that row on (migration 0161), so the hundredth page costs what the first does (no
  OFFSET, no COUNT);
- the id breaks ties between prescribers of the same name, so every prescriber is on
  exactly one page whatever the names;
- the search text and "include inactive" narrow the list as they narrow the search
  (``Prescriber.matching``); the boundary need not match them (a prescriber deactivated
  since the link was made still marks a place in the order);
- a boundary that is no number or no prescriber, a page after the last row, or a page
  back to the start gives the first page, never an error.
"""

from __future__ import annotations

from dataclasses import dataclass

from peewee import Tuple, Value

from portal.foundation.digits import as_id
from portal.prescribers.models import Prescriber

PAGE_SIZE = 50


@dataclass(frozen=True)
class Page:
    rows: list[Prescriber]
    has_previous: bool
    has_next: bool

    @property
    def after(self) -> int | None:
        """The ``?after=`` of the next page: its last prescriber's id."""
        return self.rows[-1].id if self.has_next else None

    @property
    def before(self) -> int | None:
        """The ``?before=`` of the previous page: its first prescriber's id."""
        return self.rows[0].id if self.has_previous else None


def _key():
    return Tuple(*Prescriber.by_name())


def _key_of(prescriber: Prescriber):
    return Tuple(prescriber.last_name, prescriber.first_name, prescriber.id)


def _boundary(value, condition) -> tuple[Tuple, bool] | None:
    """Where the prescriber of id ``value`` stands in the order, and whether they match the
    list's condition; None if ``value`` names no prescriber."""
    prescriber_id = as_id(None if value is None else str(value))
    if prescriber_id is None:
        return None
    matches = Value(True) if condition is None else condition
    found = (
        Prescriber.select(*Prescriber.by_name(), matches)
        .where(Prescriber.id == prescriber_id)
        .tuples()
        .first()
    )
    return (Tuple(*found[:3]), bool(found[3])) if found else None


def _any(query, order) -> bool:
    """Whether ``query`` has a row, looked for along the index in ``order``: the first row
    read, not EXISTS, which PostgreSQL may plan as a scan of the whole table without the
    order, however near the boundary the row is."""
    return query.select(Prescriber.id).order_by(*order).limit(1).tuples().first() is not None


def page(
    text: str = "",
    include_inactive: bool = False,
    after=None,
    before=None,
    size: int = PAGE_SIZE,
) -> Page:
    """One page of the prescribers matching ``text``, by name: the first, the one after the
    prescriber of id ``after``, or the one before the prescriber of id ``before``."""
    condition = Prescriber.matching(text, include_inactive)
    matching = Prescriber.select()
    if condition is not None:
        matching = matching.where(condition)
    ascending = Prescriber.by_name()
    descending = [field.desc() for field in ascending]
    after_at = _boundary(after, condition)
    before_at = _boundary(before, condition) if after_at is None else None
    if after_at is not None:
        key, boundary_matches = after_at
        rows = list(matching.where(_key() > key).order_by(*ascending).limit(size + 1))
        if rows:
            # The boundary came before the page: when it matches, so there is a page before.
            has_previous = boundary_matches or _any(
                matching.where(_key() < _key_of(rows[0])), descending
            )
            return Page(rows[:size], has_previous, len(rows) > size)
    elif before_at is not None:
        key, boundary_matches = before_at
        rows = list(matching.where(_key() < key).order_by(*descending).limit(size + 1))
        if len(rows) > size:  # not yet back at the start: a page that has one before it
            rows = rows[:size][::-1]
            has_next = boundary_matches or _any(
                matching.where(_key() > _key_of(rows[-1])), ascending
            )
            return Page(rows, True, has_next)
    rows = list(matching.order_by(*ascending).limit(size + 1))
    return Page(rows[:size], False, len(rows) > size)
