"""Beyond-use dates (BUD) for compounded non-sterile preparations, USP <795>.

Plain functions on plain values. The master formulation record supplies the
preparation type (its water-activity class), the preserved flag, the route and
any stability-study BUD; the compounding record supplies the component lots.
`beyond_use_date` and `explain_beyond_use_date` share `_assign_bud`, so the
date a label prints and the sentence a page shows can never disagree.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from portal.compounding.bud.table import (
    AQUEOUS,
    MAX_STABILITY_DAYS,
    NONAQUEOUS,
    NONAQUEOUS_ORAL_LIQUID,
    PREPARATION_TYPES,
    REFRIGERATOR,
    ROOM_OR_REFRIGERATOR,
    SOLID,
    TABLES,
    USP_2014,
    USP_2023,
    TableRow,
    table_row,
)
from portal.foundation.i18n import N_

__all__ = [
    "AQUEOUS",
    "MAX_STABILITY_DAYS",
    "NONAQUEOUS",
    "NONAQUEOUS_ORAL_LIQUID",
    "PREPARATION_TYPES",
    "REFRIGERATOR",
    "ROOM_OR_REFRIGERATOR",
    "SOLID",
    "TABLES",
    "USP_2014",
    "USP_2023",
    "BudExplanation",
    "beyond_use_date",
    "explain_beyond_use_date",
    "storage_for",
    "table_beyond_use_days",
]


@dataclass(frozen=True)
class BudExplanation:
    """A beyond-use date with the reasons for it, in words a pharmacist checks."""

    beyond_use_date: date
    days: int  # days of use, the day of compounding counted as day 1
    basis: str  # e.g. "aqueous, no preservative"
    basis_days: int  # what the table or the stability study allows
    source: str  # "USP <795> 2023 table", or "stability study <reference>"
    storage: str
    limiting_components: tuple[str, ...]  # components whose expiry cut the BUD short
    limiting_expiry: date | None
    sentence: str

    def __str__(self) -> str:
        return self.sentence


def beyond_use_date(
    compounded_on: date,
    preparation_type: str,
    preserved: bool,
    component_expiries: Iterable[date],
    *,
    stability_days: int | None = None,
    stability_reference: str | None = None,
    table: str = USP_2023,
    route: str | None = None,
) -> date:
    """Return the BUD of a preparation compounded on `compounded_on`.

    Uses the USP <795> 2023 table unless the formula carries a stability-study
    BUD (`stability_days`, 1..180, with its `stability_reference`), and never
    goes past the earliest component expiry. `table="usp2014"` selects the
    legacy 2014 defaults, which need the `route` for aqueous preparations.
    Raises ValueError, with the reason in words, for anything it cannot date.
    """
    components = [(None, expiry) for expiry in component_expiries]
    return _assign_bud(
        compounded_on,
        preparation_type,
        preserved,
        components,
        stability_days=stability_days,
        stability_reference=stability_reference,
        table=table,
        route=route,
    ).beyond_use_date


def explain_beyond_use_date(
    compounded_on: date,
    preparation_type: str,
    preserved: bool,
    components: Iterable[tuple[str, date]],
    *,
    stability_days: int | None = None,
    stability_reference: str | None = None,
    table: str = USP_2023,
    route: str | None = None,
) -> BudExplanation:
    """Like `beyond_use_date`, with components as (lot label, expiry) pairs,
    returning the date together with the days, storage, limiting lot and a sentence."""
    labelled = [(label, expiry) for label, expiry in components]
    return _assign_bud(
        compounded_on,
        preparation_type,
        preserved,
        labelled,
        stability_days=stability_days,
        stability_reference=stability_reference,
        table=table,
        route=route,
    )


def table_beyond_use_days(
    preparation_type: str, preserved: bool, *, table: str = USP_2023, route: str | None = None
) -> int:
    """Days the BUD table allows, before any component-expiry cap (for the formula record)."""
    return table_row(preparation_type, preserved, table=table, route=route).days


def storage_for(
    preparation_type: str, preserved: bool, *, table: str = USP_2023, route: str | None = None
) -> str:
    """Storage advice for the label, per the BUD table's storage column."""
    return table_row(preparation_type, preserved, table=table, route=route).storage


def _assign_bud(
    compounded_on: date,
    preparation_type: str,
    preserved: bool,
    components: list[tuple[str | None, date]],
    *,
    stability_days: int | None,
    stability_reference: str | None,
    table: str,
    route: str | None,
) -> BudExplanation:
    """The one implementation behind `beyond_use_date` and `explain_beyond_use_date`."""
    _require_date(compounded_on, "the compounding date")
    row = table_row(preparation_type, preserved, table=table, route=route)
    basis_days, source = _basis_days(row, stability_days, stability_reference)
    _check_components(compounded_on, components)

    # USP <795> leaves the counting open; we count the day of compounding as
    # day 1 (a 14-day BUD for 1 March is 14 March), the conservative reading
    # many pharmacies' SOPs use: one day shorter than counting from the next day.
    bud = compounded_on + timedelta(days=basis_days - 1)

    # USP <795>: the BUD may not be later than the earliest expiration date of
    # any component, including a manufactured product's labeled expiry.
    earliest = min(expiry for _, expiry in components)
    limiting: tuple[str, ...] = ()
    limiting_expiry: date | None = None
    if earliest < bud:
        bud = earliest
        limiting_expiry = earliest
        limiting = tuple(
            label or "a component" for label, expiry in components if expiry == earliest
        )
    days = (bud - compounded_on).days + 1
    return BudExplanation(
        beyond_use_date=bud,
        days=days,
        basis=row.basis,
        basis_days=basis_days,
        source=source,
        storage=row.storage,
        limiting_components=limiting,
        limiting_expiry=limiting_expiry,
        sentence=_sentence(bud, days, row, basis_days, source, limiting, limiting_expiry),
    )


def _basis_days(
    row: TableRow, stability_days: int | None, stability_reference: str | None
) -> tuple[int, str]:
    reference = (stability_reference or "").strip()
    if stability_days is None:
        if reference:
            # A reference with no days is a half-entered study; the table could
            # then give a longer BUD than the study supports.
            raise ValueError(N_("a stability reference was given without its stability days"))
        return row.days, row.source
    if isinstance(stability_days, bool) or not isinstance(stability_days, int):
        raise TypeError(f"stability days must be a whole number, not {stability_days!r}")
    if stability_days < 1:
        raise ValueError(f"stability days must be at least 1, not {stability_days}")
    if stability_days > MAX_STABILITY_DAYS:
        raise ValueError(
            f"stability days {stability_days} exceed the USP <795> maximum of "
            f"{MAX_STABILITY_DAYS} days, even with a stability study"
        )
    if not reference:
        raise ValueError(N_("a stability-study BUD needs the study's reference"))
    return stability_days, f"stability study {reference}"


def _check_components(compounded_on: date, components: list[tuple[str | None, date]]) -> None:
    if not components:
        raise ValueError(
            N_(
                "at least one component expiry is needed: the BUD may not be later "
                "than the earliest component expiry"
            )
        )
    for _, expiry in components:
        _require_date(expiry, "a component expiry")
    # A component expiring ON the compounding date is still within its dating
    # that day and may be used (the BUD is then that same day); one whose
    # expiry is before the compounding date is expired and cannot be used.
    expired = [(label, expiry) for label, expiry in components if expiry < compounded_on]
    if expired:
        described = "; ".join(
            f"{label or 'a component'} expired {expiry.isoformat()}" for label, expiry in expired
        )
        raise ValueError(
            f"expired component, cannot compound on {compounded_on.isoformat()}: {described}"
        )


def _require_date(value: object, what: str) -> None:
    # datetime is a date subclass but compares badly with dates; BUDs are dates.
    if isinstance(value, datetime) or not isinstance(value, date):
        raise TypeError(f"{what} must be a date, not {value!r}")


def _sentence(
    bud: date,
    days: int,
    row: TableRow,
    basis_days: int,
    source: str,
    limiting: tuple[str, ...],
    limiting_expiry: date | None,
) -> str:
    allowed = f"{_days(basis_days)} by {source}" if days != basis_days else source
    parts = [f"{_days(days)}, through {bud.isoformat()}: {row.basis} ({allowed})", row.storage]
    if limiting_expiry is not None:
        parts.append(f"limited by {' and '.join(limiting)} expiring {limiting_expiry.isoformat()}")
    return "; ".join(parts) + "."


def _days(count: int) -> str:
    return f"{count} day" if count == 1 else f"{count} days"
