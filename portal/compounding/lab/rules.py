"""Lab log rules: when cleaning is overdue, whether a balance reads true. Pure functions."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from portal.compounding.calculations.working import Number, not_negative, positive
from portal.compounding.records.weighing import deviation


def cleaning_due_by(last_cleaned_on: date | None, interval_days: int) -> date | None:
    """The last day the work surfaces may go without cleaning again (None: never cleaned).

    USP <795>: work surfaces are cleaned at least daily on compounding days. With an
    interval of 1, a cleaning on Monday covers Monday only; Tuesday needs its own.
    """
    if last_cleaned_on is None:
        return None
    return last_cleaned_on + timedelta(days=max(1, interval_days) - 1)


def cleaning_overdue(last_cleaned_on: date | None, today: date, interval_days: int) -> bool:
    """True when compounding today would happen on surfaces not cleaned within the interval."""
    due = cleaning_due_by(last_cleaned_on, interval_days)
    return due is None or due < today


def balance_check(
    standard_weight: Number, reading: Number, tolerance_percent: Number
) -> tuple[Decimal, bool]:
    """(deviation %, within tolerance) of a balance reading against a standard weight.

    USP <41> accepts a balance whose reading is within 0.10% of the test weight; the
    tolerance is the pharmacy's setting. The limits themselves pass.
    """
    standard = positive(standard_weight, "standard weight")
    measured = not_negative(reading, "reading")
    tolerance = positive(tolerance_percent, "balance tolerance")
    off = deviation(standard, measured)
    return off, abs(off) <= tolerance
