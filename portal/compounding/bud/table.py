"""The USP <795> beyond-use-date tables: days and storage by preparation type.

The 2023 table is the default; the 2014 table only an explicit legacy
per-pharmacy setting for states whose rules still cite it (USP <795> before its 2023 revision).
"""

from __future__ import annotations

from dataclasses import dataclass

from portal.foundation.i18n import N_

USP_2023 = "usp2023"
USP_2014 = "usp2014"
TABLES = (USP_2023, USP_2014)

AQUEOUS = "aqueous"
NONAQUEOUS_ORAL_LIQUID = "nonaqueous_oral_liquid"
NONAQUEOUS = "nonaqueous"
SOLID = "solid"
PREPARATION_TYPES = (AQUEOUS, NONAQUEOUS_ORAL_LIQUID, NONAQUEOUS, SOLID)

# USP <795> (2023): a stability-indicating study may support a longer BUD,
# but never more than 180 days.
MAX_STABILITY_DAYS = 180

REFRIGERATOR = N_("store in a refrigerator (2–8 °C)")
ROOM_OR_REFRIGERATOR = N_("store at controlled room temperature or in a refrigerator")

# Only the legacy 2014 table depends on the route, for water-containing
# preparations: oral 14 days refrigerated, topical/dermal and mucosal 30 days.
# Buccal and sublingual are mapped to the shorter oral limit, the safe side of
# an ambiguous case; any other route must be mapped by the caller.
ORAL_ROUTES_2014 = frozenset({"oral", "buccal", "sublingual"})
TOPICAL_ROUTES_2014 = frozenset(
    {"topical", "dermal", "transdermal", "mucosal", "otic", "nasal", "rectal", "vaginal"}
)


@dataclass(frozen=True)
class TableRow:
    """One row of a BUD table."""

    days: int
    basis: str
    storage: str
    source: str


def table_row(preparation_type: str, preserved: bool, *, table: str, route: str | None) -> TableRow:
    """The table row for a preparation; ValueError/TypeError when it cannot be dated."""
    if preparation_type not in PREPARATION_TYPES:
        raise ValueError(
            f"unknown preparation type {preparation_type!r}: "
            f"expected one of {', '.join(PREPARATION_TYPES)}"
        )
    if not isinstance(preserved, bool):
        # A stray string such as "false" is truthy and would give 35 days.
        raise TypeError(f"preserved must be True or False, not {preserved!r}")
    if table == USP_2023:
        return _row_2023(preparation_type, preserved)
    if table == USP_2014:
        return _row_2014(preparation_type, route)
    raise ValueError(f"unknown BUD table {table!r}: expected one of {', '.join(TABLES)}")


def _row_2023(preparation_type: str, preserved: bool) -> TableRow:
    # USP <795> (2023) BUD table, for a preparation with no USP monograph or stability study.
    source = N_("USP <795> 2023 table")
    if preparation_type == AQUEOUS and preserved:
        return TableRow(35, N_("aqueous, preserved"), ROOM_OR_REFRIGERATOR, source)
    if preparation_type == AQUEOUS:
        return TableRow(14, N_("aqueous, no preservative"), REFRIGERATOR, source)
    if preparation_type == NONAQUEOUS_ORAL_LIQUID:
        return TableRow(90, N_("nonaqueous oral liquid"), ROOM_OR_REFRIGERATOR, source)
    if preparation_type == NONAQUEOUS:
        return TableRow(180, N_("nonaqueous"), ROOM_OR_REFRIGERATOR, source)
    return TableRow(180, N_("solid dosage form"), ROOM_OR_REFRIGERATOR, source)


def _row_2014(preparation_type: str, route: str | None) -> TableRow:
    # USP <795> (2014): a legacy per-pharmacy setting for states that still cite it.
    source = N_("legacy USP <795> 2014 table")
    if preparation_type != AQUEOUS:
        # "6 months" counted as 180 days: never longer than six calendar months.
        return TableRow(180, N_("nonaqueous (6 months)"), ROOM_OR_REFRIGERATOR, source)
    route_name = (route or "").strip().lower()
    if route_name in ORAL_ROUTES_2014:
        return TableRow(14, N_("water-containing oral"), REFRIGERATOR, source)
    if route_name in TOPICAL_ROUTES_2014:
        return TableRow(30, N_("water-containing topical or mucosal"), ROOM_OR_REFRIGERATOR, source)
    raise ValueError(
        f"the 2014 table dates water-containing preparations by route, and route {route!r} "
        "is neither oral nor topical/mucosal"
    )
