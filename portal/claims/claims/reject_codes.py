"""NCPDP reject codes: what a payer's rejection means and what to do next.

The table is data (``reject_codes.csv``, NCPDP External Code List field 511-FB) so it can be
read and extended without touching code; a pharmacy adds its own rows (a
payer-specific code, its own next step) with ``reject_code_table(extra_rows)``.

NCPDP D.0 field 511-FB Reject Code is up to 3 letters or digits, and a
response carries at most 20 of them (510-FA Reject Count).
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from importlib import resources
from types import MappingProxyType

from portal.foundation.digits import is_digits

MAX_REJECT_CODES_PER_CLAIM = 20  # NCPDP D.0 510-FA Reject Count: at most 20

_CODE_PATTERN = re.compile(r"[A-Z0-9]{1,3}")
_SEPARATORS = re.compile(r"[\s,;]+")


@dataclass(frozen=True)
class RejectCode:
    """One reject code with its meaning and the usual next step."""

    code: str
    meaning: str
    next_step: str

    @property
    def meaning_in_words(self) -> str:
        """The meaning with NCPDP's "M/I" spelled out as "Missing or invalid"."""
        if self.meaning.startswith("M/I "):
            return "Missing or invalid " + self.meaning[4:]
        return self.meaning


class RejectCodeError(ValueError):
    """Reject codes typed or imported in a form NCPDP does not allow."""


def normalize_code(code: str) -> str:
    """Upper-case a code and give a lone digit its leading zero ("7" -> "07").

    The NCPDP reject code list writes the one-digit codes as 01-09, so "7"
    typed by hand means "07".
    """
    code = code.strip().upper()
    return f"0{code}" if len(code) == 1 and is_digits(code) else code


def is_valid_code(code: str) -> bool:
    """Whether ``code`` (already normalized) has the shape of an NCPDP reject code."""
    return _CODE_PATTERN.fullmatch(code) is not None


@cache
def standard_reject_codes() -> Mapping[str, RejectCode]:
    """The reject codes shipped with Mortar, read once from reject_codes.csv."""
    text = resources.files(__package__).joinpath("reject_codes.csv").read_text("utf-8")
    rows = csv.DictReader(text.splitlines())
    return MappingProxyType(_table_from_rows(rows, source="reject_codes.csv"))


def reject_code_table(
    extra_rows: Iterable[Mapping[str, str]] = (),
) -> Mapping[str, RejectCode]:
    """The standard table plus the pharmacy's own rows (code, meaning, next_step).

    A pharmacy row for a code already in the table replaces it, so a pharmacy
    can write its own next step (e.g. which help desk to call).
    """
    table = dict(standard_reject_codes())
    table.update(_table_from_rows(extra_rows, source="the pharmacy's reject codes"))
    return MappingProxyType(table)


def lookup(code: str, table: Mapping[str, RejectCode] | None = None) -> RejectCode | None:
    """The table entry for ``code``, or None when the code is not in the table."""
    table = standard_reject_codes() if table is None else table
    return table.get(normalize_code(code))


def describe(code: str, table: Mapping[str, RejectCode] | None = None) -> str:
    """A reject code in words, with its next step; unknown codes say so plainly."""
    entry = lookup(code, table)
    if entry is None:
        shown = normalize_code(code)
        return (
            f"{shown}: unknown reject code. It is not in Mortar's list; "
            "look it up in the payer's NCPDP reject code list or call the payer's help desk."
        )
    if not entry.next_step:
        return f"{entry.code}: {entry.meaning_in_words}."
    return f"{entry.code}: {entry.meaning_in_words}. Next step: {entry.next_step}."


def parse_reject_codes(text: str) -> list[str]:
    """Split codes typed as "75, 76 MR" into ["75", "76", "MR"]; raise RejectCodeError.

    Codes are separated by commas, semicolons or spaces; repeats are dropped;
    codes not in the table are accepted (the NCPDP list is much longer).
    """
    codes: list[str] = []
    bad: list[str] = []
    for raw in _SEPARATORS.split(text.strip()):
        if not raw:
            continue
        code = normalize_code(raw)
        if not is_valid_code(code):
            bad.append(raw)
        elif code not in codes:
            codes.append(code)
    if bad:
        shown = ", ".join(f'"{raw}"' for raw in bad)
        raise RejectCodeError(
            f"Reject codes are 1 to 3 letters or digits (like 75 or MR); not a code: {shown}."
        )
    if len(codes) > MAX_REJECT_CODES_PER_CLAIM:
        raise RejectCodeError(
            f"A claim carries at most {MAX_REJECT_CODES_PER_CLAIM} reject codes; "
            f"there are {len(codes)}."
        )
    return codes


def _table_from_rows(rows: Iterable[Mapping[str, str]], source: str) -> dict[str, RejectCode]:
    """Build table entries from rows, refusing malformed codes and empty meanings."""
    table: dict[str, RejectCode] = {}
    for number, row in enumerate(rows, start=1):
        code = normalize_code(row.get("code") or "")
        meaning = (row.get("meaning") or "").strip()
        next_step = (row.get("next_step") or "").strip()
        if not is_valid_code(code):
            raise RejectCodeError(
                f"Row {number} of {source}: {row.get('code')!r} is not a reject code "
                "(1 to 3 letters or digits)."
            )
        if not meaning:
            raise RejectCodeError(f"Row {number} of {source}: code {code} has no meaning.")
        table[code] = RejectCode(code, meaning, next_step)
    return table
