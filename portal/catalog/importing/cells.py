"""Reading CSV tables and their cells for the catalog import: rows by line number, and
cell readers that record what is wrong with a cell instead of raising.

Pure functions (no Flask, no database). importing/layouts.py and importing/fda.py build on these.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from decimal import Decimal

from portal.catalog.rules import normalize_ndc
from portal.catalog.stock import rules as stock_rules
from portal.foundation.i18n import N_

# A confirmed import writes every row in one request (a few ms a row with its audit events):
# keep a file to what a request finishes well inside a minute.
MAX_ROWS = 5_000


@dataclass
class ParsedRow:
    """One data line: the values to store (None where unreadable) and what is wrong."""

    line: int
    values: dict = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    # Active ingredients as (name, strength) pairs (products only).
    ingredients: list[tuple[str, str]] = field(default_factory=list)


@dataclass
class ParsedFile:
    kind: str  # "products" | "ingredients"
    layout: str  # "mortar" | "fda"
    rows: list[ParsedRow]
    problems: list[str] = field(default_factory=list)  # about the whole file


class LayoutError(ValueError):
    """The file as a whole cannot be read (no header, unknown columns...)."""


def decode(data: bytes) -> str:
    """Bytes of an uploaded file as text: UTF-8 (with or without BOM), else Windows-1252."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def read_table(text: str) -> tuple[list[str], list[tuple[int, dict]]]:
    """Header and (line number, row) pairs; tab- or comma-separated, found from the header."""
    if "\x00" in text:
        raise LayoutError(N_("This is not a text file (it contains NUL bytes)."))
    first_line = text.split("\n", 1)[0]
    delimiter = "\t" if first_line.count("\t") > first_line.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = next(reader)
    except StopIteration:
        raise LayoutError(N_("The file is empty."))
    except csv.Error as error:
        raise LayoutError(f"The first line cannot be read as CSV: {error}.")
    header = [name.strip() for name in header]
    rows: list[tuple[int, dict]] = []
    try:
        for cells in reader:
            if not any(cell.strip() for cell in cells):
                continue
            if len(rows) >= MAX_ROWS:
                raise LayoutError(f"The file has more than {MAX_ROWS:,} rows; split it.")
            padded = cells + [""] * (len(header) - len(cells))
            row = {name: padded[i].strip() for i, name in enumerate(header) if name}
            row["_extra"] = len(cells) > len(header) and any(
                c.strip() for c in cells[len(header) :]
            )
            rows.append((reader.line_num, row))
    except csv.Error as error:
        raise LayoutError(f"Line {reader.line_num} cannot be read as CSV: {error}.")
    return header, rows


COLUMN_LABELS = {
    "ndc": "NDC", "name": "Name", "generic_name": "Generic name", "strength": "Strength",
    "dosage_form": "Dosage form", "package_size": "Package size", "package_unit": "Package unit",
    "schedule": "Schedule", "manufacturer": "Manufacturer", "acquisition_cost": "Cost",
    "reorder_point": "Reorder point", "allergen_classes": "Allergen classes",
    "potency": "Potency", "unit": "Unit", "cost_per_unit": "Cost per unit",
    "salt_factor": "Salt factor", "bulk_ndc": "Bulk NDC",
}  # fmt: skip


def problem(column: str, message: str) -> str:
    """ "Package size: 'five hundred' is not a number" — the column, then what is wrong."""
    return f"{COLUMN_LABELS.get(column, column)}: {message}"


def read_cell(row: ParsedRow, name: str, reader, *args, **kwargs):
    """Apply a cell reader; on ValueError record the message and store None."""
    try:
        value = reader(*args, **kwargs)
    except ValueError as error:
        row.errors.append(problem(name, str(error)))
        value = None
    row.values[name] = value
    return value


def text_cell(value: str, max_length: int, required: bool = False) -> str:
    """Text with runs of spaces collapsed; ValueError when missing, too long or not plain."""
    value = re.sub(r"\s+", " ", value or "").strip()
    if required and not value:
        raise ValueError("missing")
    if len(value) > max_length:
        raise ValueError(f"longer than {max_length} characters")
    if re.search(r"[\x00-\x1f\x7f]", value):
        raise ValueError(N_("contains control characters"))
    return value


def number_cell(
    text: str, *, required=True, minimum=None, above_zero=False, places=4, maximum=None
) -> Decimal | None:
    """A Decimal (None when empty and optional); ValueError in words."""
    if not (text or "").strip():
        if required:
            raise ValueError("missing")
        return None
    value = stock_rules.parse_decimal(text, minimum=minimum, places=places)
    if above_zero and value <= 0:
        raise ValueError(N_("must be more than zero"))
    if maximum is not None and value > maximum:
        raise ValueError(f"cannot be more than {maximum:,}")
    return value


def ndc_cell(text: str, required: bool = True) -> str | None:
    if not (text or "").strip():
        if required:
            raise ValueError("missing")
        return None
    return normalize_ndc(text[:40])
