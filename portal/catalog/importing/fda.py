"""The FDA NDC Directory's files as a catalog import.

product.txt (tab-separated, or its CSV export) is read by its own column names. It names a
product (labeler-product) but not its packages, so each row needs a package NDC: either
from NDCPACKAGECODE and PACKAGEDESCRIPTION columns in the same file, or from the FDA
package.txt uploaded alongside, joined on PRODUCTNDC: one catalog product per package.
Pure functions (no Flask, no database).
"""

from __future__ import annotations

import re
from decimal import Decimal

from portal.catalog.importing.cells import (
    LayoutError,
    ParsedRow,
    ndc_cell,
    problem,
    read_cell,
    read_table,
    text_cell,
)
from portal.catalog.stock import rules as stock_rules
from portal.foundation.i18n import N_

FDA_PRODUCT_COLUMNS = (
    "PRODUCTNDC", "PROPRIETARYNAME", "NONPROPRIETARYNAME", "DOSAGEFORMNAME",
    "ACTIVE_NUMERATOR_STRENGTH", "ACTIVE_INGRED_UNIT", "LABELERNAME", "DEASCHEDULE",
)  # fmt: skip
FDA_PACKAGE_COLUMNS = ("PRODUCTNDC", "NDCPACKAGECODE", "PACKAGEDESCRIPTION")

# FDA package units that are counted one by one on the shelf.
_FDA_EACH = {
    "TABLET", "CAPSULE", "PATCH", "SUPPOSITORY", "INHALER", "KIT", "LOZENGE", "TROCHE",
    "PACKET", "POUCH", "VIAL", "AMPULE", "SYRINGE", "CARTRIDGE", "FILM", "PEN", "APPLICATOR",
    "BLISTER PACK", "CAPSULE, GELATIN COATED", "TABLET, FILM COATED", "TABLET, COATED",
}  # fmt: skip
_FDA_UNITS = {"ML": "mL", "G": "g", "GRAM": "g", "MG": None, "L": None}


_PACKAGE_STEP = re.compile(r"^\s*([0-9]+(?:\.[0-9]+)?)\s+([A-Za-z][A-Za-z ,]*?)\s+in\s+1\b", re.I)


def fda_package_size(description: str) -> tuple[Decimal, str]:
    """Size and stock unit of the innermost package in an FDA PACKAGEDESCRIPTION.

    "1 BOTTLE in 1 CARTON (0591-0405-01) > 100 TABLET in 1 BOTTLE" -> (100, "each");
    "473 mL in 1 BOTTLE" -> (473, "mL"). ValueError when it cannot be read.
    """
    last = (description or "").split(">")[-1]
    match = _PACKAGE_STEP.match(last)
    if not match:
        raise ValueError(f"cannot read the package size from “{description[:60]}”")
    amount, unit = Decimal(match.group(1)), match.group(2).strip().upper()
    if unit in _FDA_UNITS:
        if _FDA_UNITS[unit] is None:
            raise ValueError(f"package counted in {unit}; add it by hand")
        return amount, _FDA_UNITS[unit]
    if unit in _FDA_EACH or unit.split(",")[0] in _FDA_EACH:
        return amount, "each"
    raise ValueError(f"package unit {unit.lower()} is not counted in each, g or mL")


def packages_by_product(text: str) -> dict[str, list[tuple[str, str]]]:
    """PRODUCTNDC -> [(NDCPACKAGECODE, PACKAGEDESCRIPTION), ...] from package.txt."""
    header, rows = read_table(text)
    missing = [c for c in FDA_PACKAGE_COLUMNS if c not in header]
    if missing:
        raise LayoutError(f"The package file is missing columns: {', '.join(missing)}.")
    packages: dict[str, list[tuple[str, str]]] = {}
    for _, row in rows:
        packages.setdefault(row["PRODUCTNDC"], []).append(
            (row["NDCPACKAGECODE"], row["PACKAGEDESCRIPTION"])
        )
    return packages


def _fda_strength(numerators: str, units: str) -> str:
    """ "325; 5" and "mg/1; mg/1" -> "325 mg; 5 mg" (per dose unit, as labelled)."""
    amounts = [a.strip() for a in (numerators or "").split(";")]
    unit_list = [u.strip() for u in (units or "").split(";")]
    parts = []
    for i, amount in enumerate(amounts):
        if not amount:
            continue
        unit = unit_list[i] if i < len(unit_list) else ""
        parts.append(f"{amount} {unit.removesuffix('/1')}".strip())
    return "; ".join(parts)[:60]


def fda_rows(rows: list[tuple[int, dict]], packages) -> list[ParsedRow]:
    parsed = []
    for line, cells in rows:
        if packages is not None:
            found = packages.get(cells.get("PRODUCTNDC", ""), [])
            if not found:
                row = ParsedRow(line)
                row.values["name"] = cells.get("PROPRIETARYNAME", "")[:120]
                row.errors.append(
                    f"Product NDC {cells.get('PRODUCTNDC', '')} is not in the package file."
                )
                parsed.append(row)
            for packagendc_cell, description in found:
                parsed.append(_fda_row(line, cells, packagendc_cell, description))
        else:
            parsed.append(
                _fda_row(line, cells, cells.get("NDCPACKAGECODE"), cells.get("PACKAGEDESCRIPTION"))
            )
    return parsed


def _fda_row(line: int, cells: dict, package_ndc: str | None, description: str | None) -> ParsedRow:
    row = ParsedRow(line)
    if package_ndc is None:
        row.values["ndc"] = None
        row.errors.append(
            N_(
                "NDC: the FDA product file has no package NDC; upload package.txt with it, "
                "or add NDCPACKAGECODE and PACKAGEDESCRIPTION columns"
            )
        )
    else:
        read_cell(row, "ndc", ndc_cell, package_ndc)
    name = " ".join(
        p for p in (cells.get("PROPRIETARYNAME"), cells.get("PROPRIETARYNAMESUFFIX")) if p
    )
    read_cell(row, "name", text_cell, name, 120, required=True)
    read_cell(row, "generic_name", text_cell, cells.get("NONPROPRIETARYNAME", ""), 200)
    strength = _fda_strength(
        cells.get("ACTIVE_NUMERATOR_STRENGTH", ""), cells.get("ACTIVE_INGRED_UNIT", "")
    )
    read_cell(row, "strength", text_cell, strength, 60)
    form = cells.get("DOSAGEFORMNAME", "").lower()
    read_cell(row, "dosage_form", text_cell, form, 60, required=True)
    size_unit = None
    if description is not None or package_ndc is not None:
        try:
            size_unit = fda_package_size(description or "")
        except ValueError as error:
            row.errors.append(problem("package_size", str(error)))
    row.values["package_size"] = size_unit[0] if size_unit else None
    row.values["package_unit"] = size_unit[1] if size_unit else None
    read_cell(row, "schedule", stock_rules.parse_schedule, cells.get("DEASCHEDULE", ""))
    read_cell(row, "manufacturer", text_cell, cells.get("LABELERNAME", ""), 120)
    row.values["acquisition_cost"] = None
    row.values["reorder_point"] = Decimal(0)
    names = [n.strip() for n in (cells.get("SUBSTANCENAME") or "").split(";") if n.strip()]
    amounts = [
        a.strip()
        for a in _fda_strength(
            cells.get("ACTIVE_NUMERATOR_STRENGTH", ""), cells.get("ACTIVE_INGRED_UNIT", "")
        ).split(";")
    ]
    row.ingredients = [
        (name.title()[:120], amounts[i] if i < len(amounts) else "") for i, name in enumerate(names)
    ]
    return row
