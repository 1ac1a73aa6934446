"""Reading catalog CSV files: Mortar's own column layouts and the FDA NDC Directory's.

Pure functions (no Flask, no database): text in, one ``ParsedRow`` per data line out, each
with the values it would store and the problems found, by line number. Checking rows
against what is already on file is importing.py's job; the FDA layout is in importing/fda.py.

Mortar layouts (header names, any order; extra columns are ignored):
    products:    ndc,name,strength,dosage_form,package_size,package_unit,schedule,
                 manufacturer,acquisition_cost  [+ generic_name, active_ingredients,
                 reorder_point]
    ingredients: name,schedule,allergen_classes,potency,unit,cost_per_unit
                 [+ salt_factor, reorder_point, bulk_ndc]

FDA NDC Directory (product.txt, tab-separated, or its CSV/Excel export): PRODUCTNDC,
PROPRIETARYNAME, NONPROPRIETARYNAME, DOSAGEFORMNAME, SUBSTANCENAME,
ACTIVE_NUMERATOR_STRENGTH, ACTIVE_INGRED_UNIT, LABELERNAME, DEASCHEDULE. The product file
names a product (labeler-product) but not its packages, so each row needs a package NDC:
either from an NDCPACKAGECODE column in the same file (with PACKAGEDESCRIPTION for the
size), or from the FDA package.txt uploaded alongside, joined on PRODUCTNDC: one catalog
product per package.
"""

from __future__ import annotations

import re
from decimal import Decimal
from functools import partial

from portal.catalog.importing.cells import (
    MAX_ROWS,
    LayoutError,
    ParsedFile,
    ParsedRow,
    decode,
    ndc_cell,
    number_cell,
    read_cell,
    read_table,
    text_cell,
)
from portal.catalog.importing.fda import FDA_PRODUCT_COLUMNS, fda_rows, packages_by_product
from portal.catalog.stock import rules as stock_rules
from portal.foundation.i18n import N_

__all__ = ["MAX_ROWS", "LayoutError", "ParsedFile", "ParsedRow", "decode", "detect", "parse"]

PRODUCT_COLUMNS = (
    "ndc", "name", "strength", "dosage_form", "package_size", "package_unit", "schedule",
    "manufacturer", "acquisition_cost",
)  # fmt: skip
PRODUCT_OPTIONAL = ("generic_name", "active_ingredients", "reorder_point")
INGREDIENT_COLUMNS = ("name", "schedule", "allergen_classes", "potency", "unit", "cost_per_unit")
INGREDIENT_OPTIONAL = ("salt_factor", "reorder_point", "bulk_ndc")


def detect(header: list[str]) -> tuple[str, str]:
    """(kind, layout) from a header row; LayoutError names the missing columns."""
    names = {name.strip() for name in header}
    lower = {name.lower() for name in names}
    if "PRODUCTNDC" in names:
        missing = [c for c in FDA_PRODUCT_COLUMNS if c not in names]
        if missing:
            raise LayoutError(f"FDA product file is missing columns: {', '.join(missing)}.")
        return "products", "fda"
    if "ndc" in lower:
        missing = [c for c in PRODUCT_COLUMNS if c not in lower]
        if missing:
            raise LayoutError(f"Products file is missing columns: {', '.join(missing)}.")
        return "products", "mortar"
    if "name" in lower and ("potency" in lower or "allergen_classes" in lower):
        missing = [c for c in INGREDIENT_COLUMNS if c not in lower]
        if missing:
            raise LayoutError(f"Ingredients file is missing columns: {', '.join(missing)}.")
        return "ingredients", "mortar"
    raise LayoutError(
        N_(
            "The first line does not name the columns of a products file (ndc, name, ...), an "
            "ingredients file (name, schedule, allergen_classes, potency, ...) or an FDA NDC "
            "Directory product file (PRODUCTNDC, PROPRIETARYNAME, ...)."
        )
    )


def parse(text: str, package_text: str | None = None) -> ParsedFile:
    """Read a catalog file (and, for FDA products, the optional package file)."""
    header, rows = read_table(text)
    kind, layout = detect(header)
    if layout == "fda":
        packages = packages_by_product(package_text) if package_text else None
        parsed = ParsedFile(kind, layout, fda_rows(rows, packages))
    else:
        lowered = [{k.lower(): v for k, v in row.items()} for _, row in rows]
        readers = PRODUCT_CELLS if kind == "products" else INGREDIENT_CELLS
        parsed = ParsedFile(
            kind,
            layout,
            [_mortar_row(line, row, readers) for (line, _), row in zip(rows, lowered, strict=True)],
        )
    _mark_repeats(parsed.rows, "ndc" if kind == "products" else "name")
    if not parsed.rows:
        parsed.problems.append(N_("The file has a header but no rows."))
    return parsed


def _mark_repeats(rows: list[ParsedRow], column: str) -> None:
    """A product (by NDC) or an ingredient (by name) may appear only once in a file."""
    seen: dict[str, int] = {}
    for row in rows:
        key = (row.values.get(column) or "").lower()
        if not key:
            continue
        if key in seen:
            what = "NDC" if column == "ndc" else "name"
            row.errors.append(f"Same {what} as line {seen[key]}.")
        else:
            seen[key] = row.line


def _ingredient_list(text: str) -> list[tuple[str, str]]:
    """Active ingredients cell: entries separated by semicolons, each "name" or
    "name: strength", e.g. "Acetaminophen: 325 mg; Hydrocodone Bitartrate: 5 mg"."""
    pairs = []
    for entry in re.split(r"[;|]", text or ""):
        name, _, strength = entry.partition(":")
        name, strength = name.strip(), strength.strip()
        if name:
            pairs.append((name[:120], strength[:60]))
    return pairs


# ---- Mortar layouts ----------------------------------------------------------------------

MAX_QUANTITY = Decimal(10_000_000)


def _allergen_classes(text: str) -> str:
    return text_cell(
        stock_rules.allergen_classes_text(stock_rules.parse_allergen_classes(text)), 250
    )


# Column -> cell reader (raises ValueError in words).
PRODUCT_CELLS = {
    "ndc": ndc_cell,
    "name": partial(text_cell, max_length=120, required=True),
    "generic_name": partial(text_cell, max_length=200),
    "strength": partial(text_cell, max_length=60),
    "dosage_form": partial(text_cell, max_length=60, required=True),
    "package_size": partial(number_cell, above_zero=True, maximum=MAX_QUANTITY),
    "package_unit": lambda text: stock_rules.unit_of(text or "each"),
    "schedule": stock_rules.parse_schedule,
    "manufacturer": partial(text_cell, max_length=120),
    "acquisition_cost": partial(
        number_cell, required=False, minimum=0, places=2, maximum=Decimal(9_999_999)
    ),
    "reorder_point": partial(number_cell, required=False, minimum=0, maximum=MAX_QUANTITY),
}
INGREDIENT_CELLS = {
    "name": partial(text_cell, max_length=120, required=True),
    "schedule": stock_rules.parse_schedule,
    "allergen_classes": _allergen_classes,
    "potency": lambda text: number_cell(text or "1", above_zero=True, maximum=Decimal("1.5")),
    "unit": stock_rules.unit_of,
    "cost_per_unit": partial(number_cell, required=False, minimum=0, maximum=Decimal(99_999_999)),
    "salt_factor": partial(number_cell, required=False, above_zero=True, maximum=Decimal(10)),
    "reorder_point": partial(number_cell, required=False, minimum=0, maximum=MAX_QUANTITY),
    "bulk_ndc": partial(ndc_cell, required=False),
}


def _mortar_row(line: int, cells: dict, readers: dict) -> ParsedRow:
    row = ParsedRow(line)
    for column, reader in readers.items():
        read_cell(row, column, reader, cells.get(column, ""))
    row.values["reorder_point"] = row.values.get("reorder_point") or Decimal(0)
    if "active_ingredients" in cells:
        row.ingredients = _ingredient_list(cells["active_ingredients"])
    if cells.get("_extra"):
        row.errors.append(N_("More cells than columns: check for an unquoted comma."))
    return row
