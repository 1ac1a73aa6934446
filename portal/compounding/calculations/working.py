"""Shared pieces of the compounding math: a result with its working, Decimal
coercion and rounding. Floats are refused: 0.1 + 0.2 is not 0.3 on a balance."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

Number = Decimal | int | str

HUNDRED = Decimal(100)


@dataclass(frozen=True)
class Working:
    """A calculated amount, its unit, and the steps that got there, for a page to show.

    `result` is kept unrounded so further steps do not compound rounding error;
    round it for display or weighing with `rounded()`.
    """

    result: Decimal
    unit: str
    steps: tuple[str, ...]

    def rounded(self, places: int = 4) -> Decimal:
        """The result rounded half up to `places` decimal places."""
        return round_half_up(self.result, places)

    def __str__(self) -> str:
        return f"{show(self.result)} {self.unit}".rstrip()


def to_decimal(value: Number, what: str) -> Decimal:
    """Coerce an int, str or Decimal to a finite Decimal; refuse floats and bools."""
    if isinstance(value, bool) or not isinstance(value, Decimal | int | str):
        raise TypeError(f"{what} must be a Decimal, int or str, not {type(value).__name__}")
    try:
        number = Decimal(value.strip() if isinstance(value, str) else value)
    except InvalidOperation:
        raise ValueError(f"{what} is not a number: {value!r}")
    if not number.is_finite():
        raise ValueError(f"{what} must be a finite number, not {value!r}")
    return number


def positive(value: Number, what: str) -> Decimal:
    """A Decimal that must be greater than zero."""
    number = to_decimal(value, what)
    if number <= 0:
        raise ValueError(f"{what} must be greater than zero, not {show(number)}")
    return number


def not_negative(value: Number, what: str) -> Decimal:
    """A Decimal that must be zero or more."""
    number = to_decimal(value, what)
    if number < 0:
        raise ValueError(f"{what} must not be negative, not {show(number)}")
    return number


def round_half_up(value: Decimal, places: int = 4) -> Decimal:
    """Round half up (2.5 -> 3), the way a pharmacist rounds by hand, to `places` decimals."""
    if places < 0:
        raise ValueError(f"places must not be negative, not {places}")
    return value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def show(value: Decimal, places: int = 4) -> str:
    """A number for a step of working: rounded to `places` decimals (more for a
    small value, so it keeps four significant figures), no trailing zeros."""
    if value != 0:
        places = max(places, 3 - value.adjusted())
    text = format(round_half_up(value, places).normalize(), "f")
    return "0" if text in ("-0", "0") else text
