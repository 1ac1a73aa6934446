"""Money: exact to the cent, always Decimal, never float.

One module for every area (claims bill with it; the ``money`` template filter
shows amounts with ``format_money``).

Floats cannot hold 0.10 exactly, and a month of claims summed in floats drifts
by cents; so amounts are parsed from text into Decimal with at most two
decimal places, and floats are refused outright rather than converted.
The database may store integer cents (``to_cents``/``from_cents``).
"""

from __future__ import annotations

import re
from decimal import Decimal

CENT = Decimal("0.01")
ZERO = Decimal("0.00")
_MAX_WHOLE_DIGITS = 12  # under a trillion dollars; anything bigger is a typo

# "$1,234.56", "1234.5", "-12", ".50": thousands commas must be in groups of three.
_AMOUNT_PATTERN = re.compile(
    r"(?P<sign>-?)\s*\$?\s*(?P<sign_after_dollar>-?)"
    r"(?P<whole>[0-9]{1,3}(?:,[0-9]{3})+|[0-9]*)"
    r"(?:\.(?P<cents>[0-9]*))?"
)


class MoneyError(ValueError):
    """An amount that is not a valid amount of money, in words for the user."""


def parse_money(value: str | Decimal | int, *, allow_negative: bool = False) -> Decimal:
    """Parse "12.5", "$1,234.56" or a Decimal into a Decimal with exactly two places.

    Refuses floats (TypeError), more than two decimal places, and negative
    amounts unless ``allow_negative`` (reversals and adjustments can be negative).
    """
    if isinstance(value, float | bool):
        raise TypeError(
            f"Amounts must be Decimal, int or text, not {type(value).__name__} "
            "(a float cannot hold cents exactly)."
        )
    if isinstance(value, int):
        amount = Decimal(value)
    elif isinstance(value, Decimal):
        amount = value
    elif isinstance(value, str):
        amount = _decimal_from_text(value)
    else:
        raise TypeError(f"Cannot read an amount of money from {type(value).__name__}.")
    if not amount.is_finite():
        raise MoneyError(f"{value} is not an amount of money.")
    if amount and amount.adjusted() >= _MAX_WHOLE_DIGITS:
        raise MoneyError(f"{value} is too large to be an amount of money.")
    if amount != amount.quantize(CENT):
        raise MoneyError(f"{value} has more than two decimal places; money is kept to the cent.")
    if amount < 0 and not allow_negative:
        raise MoneyError(f"The amount cannot be negative (got {value}).")
    # Decimal("-0") would print as "-0.00"; money has no negative zero.
    return amount.quantize(CENT) + ZERO


def format_money(amount: Decimal) -> str:
    """Show an amount as "$1,234.56" or "-$12.50"; parse_money reads it back exactly."""
    amount = parse_money(amount, allow_negative=True)
    sign = "-" if amount < 0 else ""
    return f"{sign}${abs(amount):,.2f}"


def to_cents(amount: Decimal) -> int:
    """The amount as a whole number of cents, for integer storage."""
    return int(parse_money(amount, allow_negative=True) * 100)


def from_cents(cents: int) -> Decimal:
    """An amount from a whole number of cents."""
    if not isinstance(cents, int) or isinstance(cents, bool):
        raise TypeError(f"Cents must be a whole number, not {type(cents).__name__}.")
    return (Decimal(cents) / 100).quantize(CENT)


def billed_amount(
    ingredient_cost: Decimal,
    dispensing_fee: Decimal,
    compounding_fee: Decimal = ZERO,
) -> Decimal:
    """What the claim bills: ingredient cost + dispensing fee + compounding fee.

    NCPDP D.0 prices a claim from 409-D9 Ingredient Cost Submitted,
    412-DC Dispensing Fee Submitted and, for compounds, the compounding
    (incentive) fee; none of them may be negative.
    """
    parts = (ingredient_cost, dispensing_fee, compounding_fee)
    return sum((parse_money(part) for part in parts), ZERO)


def remaining_after_primary(billed: Decimal, primary_paid: Decimal) -> Decimal:
    """What is left to bill the secondary payer: billed minus primary paid, never negative."""
    remaining = parse_money(billed) - parse_money(primary_paid)
    return max(remaining, ZERO)


def _decimal_from_text(text: str) -> Decimal:
    """Read a typed amount; raise MoneyError naming what is wrong with it."""
    cleaned = text.strip()
    match = _AMOUNT_PATTERN.fullmatch(cleaned)
    if not cleaned or match is None or (match["sign"] and match["sign_after_dollar"]):
        raise MoneyError(f'"{text}" is not an amount of money; write it like 12.50 or $1,234.56.')
    whole = match["whole"].replace(",", "")
    cents = match["cents"]
    if not whole and not cents:
        raise MoneyError(f'"{text}" is not an amount of money; write it like 12.50 or $1,234.56.')
    if cents is not None and len(cents) > 2:
        raise MoneyError(f'"{text}" has more than two decimal places; money is kept to the cent.')
    if cents == "":
        raise MoneyError(f'"{text}" ends with a decimal point; write it like 12.50.')
    sign = "-" if match["sign"] or match["sign_after_dollar"] else ""
    return Decimal(f"{sign}{whole or '0'}.{cents or '0'}")
