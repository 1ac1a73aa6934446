"""Master formulation records: the choices a formula is made of and the checks before a
pharmacist may approve one. Pure functions on plain values (no Flask, no database).

The preparation types are USP <795>'s water-activity classes, spelled as
portal.compounding.bud.table spells them (the catalog does not import compounding: a
formula is dispensable like a product, and compounding builds on the catalog).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from portal.foundation.i18n import N_

PREPARATION_TYPES: tuple[tuple[str, str], ...] = (
    ("aqueous", N_("Aqueous (water activity 0.60 or more): creams, gels, solutions, suspensions")),
    ("nonaqueous_oral_liquid", N_("Nonaqueous oral liquid: oily solutions or suspensions")),
    ("nonaqueous", N_("Other nonaqueous: ointments, suppositories, troches")),
    ("solid", N_("Solid: capsules, tablets, powders, granules")),
)
PREPARATION_LABELS = dict(PREPARATION_TYPES)

# USP <795> (2023) Table 4: emulsions, gels, creams, solutions, sprays and suspensions are
# aqueous (water activity 0.60 or more) unless made without water; "transdermal" cream bases
# are emulsions. Classing one nonaqueous gives it a 180-day BUD instead of 14 or 35 days.
AQUEOUS_FORM_WORDS = ("cream", "gel", "emulsion", "solution", "suspension", "spray", "lotion")


def preparation_type_warning(dosage_form: str, preparation_type: str) -> str | None:
    """Words for a dosage form that is usually aqueous classed as nonaqueous, or None."""
    if preparation_type not in ("nonaqueous", "nonaqueous_oral_liquid"):
        return None
    words = dosage_form.lower().replace("-", " ").split()
    found = next((w for w in AQUEOUS_FORM_WORDS if w in words or f"{w}s" in words), None)
    if found is None:
        return None
    return (
        f"A {found} is usually aqueous (water activity 0.60 or more; USP <795>), with a "
        "14-day BUD unpreserved or 35 days preserved; nonaqueous would allow up to 180 days. "
        "Choose aqueous, or confirm below that this one is made without water."
    )


ROUTES: tuple[tuple[str, str], ...] = tuple(
    (route, route.capitalize())
    for route in (
        "oral",
        "topical",
        "transdermal",
        "buccal",
        "sublingual",
        "nasal",
        "otic",
        "rectal",
        "vaginal",
        "mucosal",
    )
)


class FormulaStatus(StrEnum):
    """A master formulation record's life (USP <795>, Master Formulation Record): drafted,
    approved by a pharmacist before anything is compounded from it, retired when a newer
    version is approved or it is no longer made. An approved version is never edited."""

    DRAFT = "draft"
    APPROVED = "approved"
    RETIRED = "retired"

    @property
    def label(self) -> str:
        return STATUS_LABELS[self]


STATUS_LABELS = {
    FormulaStatus.DRAFT: N_("Draft"),
    FormulaStatus.APPROVED: N_("Approved"),
    FormulaStatus.RETIRED: N_("Retired"),
}
# A draft may be approved (or given up); an approved version is retired; retired is final
# (a new version is a new draft in the same family).
FORMULA_MOVES = {
    FormulaStatus.DRAFT: frozenset({FormulaStatus.APPROVED, FormulaStatus.RETIRED}),
    FormulaStatus.APPROVED: frozenset({FormulaStatus.RETIRED}),
    FormulaStatus.RETIRED: frozenset(),
}

# What a batch basis or an ingredient line may be measured in, and the stock unit (each, g,
# mL: portal.catalog.stock.rules.UNITS) each belongs with.
LINE_UNITS: tuple[tuple[str, str], ...] = (
    ("g", "g"),
    ("mg", "mg"),
    ("mcg", "mcg"),
    ("kg", "kg"),
    ("mL", "mL"),
    ("L", "L"),
    ("each", "each"),
)
STOCK_UNIT_OF = {"g": "g", "mg": "g", "mcg": "g", "kg": "g", "mL": "mL", "L": "mL", "each": "each"}
BASIS_UNITS: tuple[tuple[str, str], ...] = (
    ("g", "g"),
    ("mL", "mL"),
    ("each", N_("each (capsules, troches, suppositories…)")),
)

QUALITY_CHECK_KINDS: tuple[tuple[str, str], ...] = (
    ("final_weight", N_("Final weight or volume within ± %")),
    ("ph", N_("pH within a range")),
    ("appearance", N_("Appearance")),
    ("other", N_("Other check")),
)
QUALITY_CHECK_LABELS = dict(QUALITY_CHECK_KINDS)

# USP <795>: a stability-indicating study may support a longer BUD, never beyond 180 days.
MAX_STABILITY_DAYS = 180


def unit_fits_stock(line_unit: str, stock_unit: str) -> bool:
    """Whether an amount in line_unit can be taken from lots counted in stock_unit."""
    return STOCK_UNIT_OF.get(line_unit) == stock_unit


@dataclass(frozen=True)
class LineFacts:
    """One ingredient line, as the approval check sees it."""

    name: str
    amount: Decimal
    unit: str
    stock_unit: str
    is_active: bool


def approval_problems(
    *,
    lines: list[LineFacts],
    basis_quantity: Decimal | None,
    stability_days: int | None,
    bud_reference: str,
    method: str,
    quality_checks: int,
) -> list[str]:
    """What keeps a draft formula from approval, in words; empty when it may be approved."""
    problems = []
    if not lines:
        problems.append(N_("Add the ingredients: a formula needs at least one."))
    elif not any(line.is_active for line in lines):
        problems.append(
            N_("Mark the active ingredient(s): the label and the record list them with amounts.")
        )
    for line in lines:
        if not unit_fits_stock(line.unit, line.stock_unit):
            problems.append(
                f"{line.name} is measured in {line.unit} but stocked in {line.stock_unit}: "
                "use a unit the stock is counted in."
            )
        if line.amount <= 0:
            problems.append(f"{line.name} needs an amount above zero.")
    if basis_quantity is None or basis_quantity <= 0:
        problems.append(N_("Say how much the formula makes (the batch basis)."))
    if stability_days is not None:
        if not 1 <= stability_days <= MAX_STABILITY_DAYS:
            problems.append(
                f"A stability-supported BUD is 1 to {MAX_STABILITY_DAYS} days (USP <795>), "
                f"not {stability_days}."
            )
        if not bud_reference.strip():
            problems.append(N_("Cite the stability study that supports the BUD."))
    if not method.strip():
        problems.append(N_("Write the method of preparation."))
    if quality_checks == 0:
        problems.append(N_("Add at least one quality check (e.g. final weight ± 5%)."))
    return problems
