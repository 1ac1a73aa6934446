"""The days supply proposed from the directions and the quantity, as the quantity check
reads them (fill_checks.check_quantity): the technician confirms it instead of working it out.

NCPDP Telecommunication D.0 field 405-D5 (Days Supply) is the days the quantity lasts at
the prescribed use; "as needed" directions give a maximum, not a use, so none is proposed.
"""

import math
from decimal import Decimal, InvalidOperation

from portal.prescriptions.sig.directions import parse_sig_quantity


def proposed_days_supply(sig: str, quantity: Decimal | None) -> int | None:
    """Days written in the directions ("x10d"), else the quantity over the daily use, rounded
    down (a partial day is not supplied); None when the directions cannot be read."""
    dose = parse_sig_quantity(sig or "")
    if dose is None:
        return None
    if dose.duration_days:
        return dose.duration_days if 1 <= dose.duration_days <= 365 else None
    if dose.is_maximum or not quantity or quantity <= 0 or not dose.units_per_day:
        return None
    days = math.floor(Decimal(quantity) / dose.units_per_day)
    return days if 1 <= days <= 365 else None


def as_quantity(text: str) -> Decimal | None:
    """A quantity as typed so far (for the live preview), or None."""
    try:
        value = Decimal((text or "").replace(",", ""))
    except (InvalidOperation, ValueError):
        return None
    return value if value.is_finite() and 0 < value < 100000 else None
