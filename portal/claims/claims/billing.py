"""What a new claim bills for a fill: the billed split and what was dispensed.

Ingredient cost defaults to the product's acquisition cost for the quantity dispensed
(acquisition cost x quantity / package size), or for a compound to the sum of its
ingredients' costs as measured on its compounding record; the dispensing and compounding
fees come from the claim settings.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from portal.catalog.stock.rules import QUANTITY_PLACES
from portal.claims import settings as claim_settings
from portal.claims.claims.lifecycle import ClaimError
from portal.foundation.money import CENT, ZERO


def cost_to_cent(amount: Decimal) -> Decimal:
    """Round a computed cost (4-place unit costs x quantities) to the cent, half up."""
    return Decimal(amount).quantize(CENT, ROUND_HALF_UP) + ZERO


def product_ingredient_cost(
    acquisition_cost: Decimal | None, package_size: Decimal, quantity: Decimal
) -> Decimal:
    """Acquisition cost of the package, prorated to the quantity dispensed (0 if unknown)."""
    if acquisition_cost is None or not package_size:
        return ZERO
    return cost_to_cent(Decimal(acquisition_cost) * Decimal(quantity) / Decimal(package_size))


def compound_line(name: str, ndc: str, quantity: Decimal, unit: str, unit_cost) -> dict:
    """One compound segment line: an ingredient, its NDC, quantity and cost (NCPDP 489-TE,
    448-ED, 449-EE)."""
    cost = cost_to_cent(Decimal(unit_cost or 0) * Decimal(quantity))
    return {
        "ingredient_name": name,
        "ndc": ndc or "",
        "quantity": quantity,
        "unit": unit,
        "cost": cost,
    }


# NCPDP D.0's compound segment lists at most 25 ingredients (447-EC, Compound Ingredient
# Component Count).
MAX_COMPOUND_INGREDIENTS = 25


def default_fees(is_compound: bool) -> dict:
    return {
        "dispensing_fee": claim_settings.dispensing_fee(),
        "compounding_fee": claim_settings.compounding_fee() if is_compound else ZERO,
    }


def compound_lines_for_record(record) -> list[dict]:
    """The compound segment from a completed compounding record (portal.compounding.records.models):
    each ingredient's NDC, the amount actually measured in its billing unit (g, mL or each:
    the catalog's stock unit, in which its cost per unit is kept) and its cost."""
    record_lines = list(record.lines())
    if len(record_lines) > MAX_COMPOUND_INGREDIENTS:
        raise ClaimError(
            f"This compound has {len(record_lines)} ingredients, and a claim's compound "
            f"segment holds at most {MAX_COMPOUND_INGREDIENTS}, so it cannot be billed "
            "electronically. Ask the plan how it wants it billed (often a paper claim form)."
        )
    lines = []
    missing_cost = []
    for line in record_lines:
        item = line.item
        if item.cost_per_unit is None:
            missing_cost.append(line.name)
            continue
        ndc = getattr(item, "ndc", None) or getattr(item, "bulk_ndc", None) or ""
        quantity = line.measured_in_stock_unit.quantize(QUANTITY_PLACES, ROUND_HALF_UP)
        lines.append(compound_line(line.name, ndc, quantity, item.stock_unit, item.cost_per_unit))
    if missing_cost:
        raise ClaimError(
            f"No cost is on file for {_and(missing_cost)}, so the compound cannot be billed "
            "for what it cost. Add the cost per unit under Inventory, then bill the fill."
        )
    return lines


def line_values(line) -> tuple:
    """A compound line, stored (ClaimCompoundLine) or about to be (a dict), for comparing."""
    get = line.get if isinstance(line, dict) else lambda name: getattr(line, name)
    return tuple(get(name) for name in ("ingredient_name", "ndc", "quantity", "unit", "cost"))


def bills_lines(claim, lines: list[dict]) -> bool:
    """Whether a compound claim's stored lines are ``lines``."""
    stored = [line_values(line) for line in claim.compound_lines()]
    return stored == [line_values(line) for line in lines]


def bills_record(claim, record) -> bool:
    """Whether a compound claim's lines are what ``record`` measured."""
    return bills_lines(claim, compound_lines_for_record(record))


def claim_values_for_fill(fill) -> dict:
    """Claim.open's values for a fill (portal.prescriptions: Fill with its Prescription).

    Date of service: the day it was filled (NCPDP 401-D1), else today's record date.
    A compound bills the ingredient lines of its completed compounding record, with product
    id 0 and Compound Code 2 (NCPDP D.0; Claim.open sets both from the lines); a product
    bills its acquisition cost for the quantity. Raises ClaimError, saying why, for a
    compound whose record is not completed yet: its cost is what was actually measured.
    """
    prescription = fill.prescription
    values = {
        "rx_number": str(prescription.rx_number),
        "fill_number": fill.fill_number,
        "date_of_service": fill.filled_on or fill.created_at.date(),
        "quantity": Decimal(fill.quantity),
        "quantity_unit": prescription.quantity_unit,
        "days_supply": fill.days_supply,
        "daw": prescription.daw or "0",
        **default_fees(prescription.is_compound),
    }
    if prescription.is_compound:
        record = billed_compounding_record(fill)
        if record is None:
            raise ClaimError(not_compounded_yet(fill))
        lines = compound_lines_for_record(record)
        values["compound_lines"] = lines
        values["ingredient_cost"] = sum((line["cost"] for line in lines), ZERO)
        values["product_description"] = record.formula.title
        return values
    product = prescription.product if prescription.product_id else None
    if product is None:
        raise ClaimError(
            f"Rx {fill.rx_fill} names no product or formula, so there is nothing to bill."
        )
    if not product.acquisition_cost or not product.package_size:
        raise ClaimError(
            f"No acquisition cost is on file for {product.description}, so the claim would "
            "bill nothing for the drug. Add the package cost under Inventory, then bill the fill."
        )
    values["ingredient_cost"] = product_ingredient_cost(
        product.acquisition_cost, product.package_size, fill.quantity
    )
    values["product_id"] = fill.dispensed_ndc or product.ndc
    values["product_description"] = product.description
    return values


# A record's amounts are final once the technician completes it (the pharmacist's approval
# checks them but changes none); a rejected record's preparation is never dispensed.
BILLABLE_RECORD_STATUSES = ("completed", "approved")


def billed_compounding_record(fill):
    """The fill's newest completed (or approved) compounding record: the one a claim bills."""
    records = fill.compounding_records
    return (
        records.where(records.model.status.in_(BILLABLE_RECORD_STATUSES))
        .order_by(records.model.id.desc())
        .first()
    )


def not_compounded_yet(fill) -> str:
    latest = fill.compounding_records.order_by(fill.compounding_records.model.id.desc()).first()
    start = f"Rx {fill.rx_fill} is a compound, and a compound is billed for what was measured"
    if latest is None:
        return f"{start}: it has no compounding record yet. Bill it once it is compounded."
    if latest.status == "in_progress":
        return (
            f"{start}: its compounding record is still in progress. "
            "Bill it once the record is completed."
        )
    return (
        f"{start}: its compounding record was rejected. Bill it once the new record is completed."
    )


def _and(names: list[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
