"""Checking a measured weight or volume against the amount the record calls for."""

from __future__ import annotations

from decimal import Decimal

from portal.compounding.calculations.working import HUNDRED, Number, not_negative, positive

# A common SOP tolerance, not a USP <795> figure: the pharmacy's own setting
# should be passed in by the caller.
DEFAULT_TOLERANCE_PERCENT = Decimal(5)


def deviation(required: Number, measured: Number) -> Decimal:
    """Percent by which `measured` differs from `required`: positive over, negative under.

    10.2 g weighed for 10 g required is +2%.
    """
    wanted = positive(required, "required amount")
    actual = not_negative(measured, "measured amount")
    return (actual - wanted) / wanted * HUNDRED


def within_tolerance(
    required: Number, measured: Number, tolerance_percent: Number = DEFAULT_TOLERANCE_PERCENT
) -> bool:
    """True when `measured` is within ± `tolerance_percent` of `required` (limits included)."""
    tolerance = not_negative(tolerance_percent, "tolerance percent")
    return abs(deviation(required, measured)) <= tolerance
