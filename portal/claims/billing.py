"""What a new claim bills for a fill: the billed split and what was dispensed.

Ingredient cost defaults to the product's acquisition cost for the quantity dispensed
(acquisition cost x quantity / package size), or for a compound to the sum of its
ingredients' costs; the dispensing and compounding fees come from the claim settings.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from portal.claims import settings as claim_settings
from portal.money import CENT, ZERO


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


def default_fees(is_compound: bool) -> dict:
    return {
        "dispensing_fee": claim_settings.dispensing_fee(),
        "compounding_fee": claim_settings.compounding_fee() if is_compound else ZERO,
    }


def compound_lines_for_record(record) -> list[dict]:
    """The compound segment from a compounding record (portal.compounding.models): each
    ingredient's NDC, the amount measured (or required, before weighing) and its cost."""
    lines = []
    for line in record.lines():
        item = line.item
        ndc = getattr(item, "ndc", None) or getattr(item, "bulk_ndc", None) or ""
        quantity = (
            line.measured_amount if line.measured_amount is not None else line.required_amount
        )
        lines.append(
            compound_line(line.name, ndc, Decimal(quantity), line.unit, item.cost_per_unit)
        )
    return lines


def claim_values_for_fill(fill) -> dict:
    """Claim.open's values for a fill (portal.prescriptions: Fill with its Prescription).

    Date of service: the day it was filled (NCPDP 401-D1), else today's record date.
    A compound (the prescription names a formula and a compounding record exists for the
    fill) bills its ingredient lines; a product bills its acquisition cost for the quantity.
    """
    prescription = fill.prescription
    record = _compounding_record(fill)
    lines = compound_lines_for_record(record) if record is not None else []
    product = getattr(prescription, "product", None) if prescription.product_id else None
    values = {
        "rx_number": str(prescription.rx_number),
        "fill_number": fill.fill_number,
        "date_of_service": fill.filled_on or fill.created_at.date(),
        "quantity": Decimal(fill.quantity),
        "quantity_unit": prescription.quantity_unit,
        "days_supply": fill.days_supply,
        "daw": prescription.daw or "0",
        **default_fees(bool(lines)),
    }
    if lines:
        values["compound_lines"] = lines
        values["ingredient_cost"] = sum((line["cost"] for line in lines), ZERO)
        values["product_description"] = record.formula.title
    else:
        values["ingredient_cost"] = (
            product_ingredient_cost(product.acquisition_cost, product.package_size, fill.quantity)
            if product
            else ZERO
        )
        values["product_id"] = fill.dispensed_ndc or (product.ndc if product else "")
        values["product_description"] = product.description if product else ""
    return values


def _compounding_record(fill):
    """The completed compounding record made for this fill, if the compounding area has one."""
    records = getattr(fill, "compounding_records", None)
    if records is None:
        return None
    return records.order_by(records.model.id.desc()).first()
