"""Money (portal.foundation.money): parsed to the cent, never float, sums exact."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from portal.foundation.money import (
    MoneyError,
    billed_amount,
    format_money,
    from_cents,
    parse_money,
    remaining_after_primary,
    to_cents,
)


@pytest.mark.parametrize(
    ("typed", "amount"),
    [
        ("12.5", "12.50"),
        ("12.50", "12.50"),
        ("12", "12.00"),
        ("$1,234.56", "1234.56"),
        ("1,234,567.01", "1234567.01"),
        ("  $ 7.05 ", "7.05"),
        (".5", "0.50"),
        ("0", "0.00"),
        ("0.01", "0.01"),
    ],
)
def test_typed_amounts_parse_to_the_cent(typed, amount):
    parsed = parse_money(typed)
    assert parsed == Decimal(amount)
    assert str(parsed) == amount  # always two places


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("12.345", "more than two decimal places"),
        ("0.001", "more than two decimal places"),
        ("12.", "ends with a decimal point"),
        ("1,23", "not an amount of money"),
        ("12,34.00", "not an amount of money"),
        ("1 234", "not an amount of money"),
        ("abc", "not an amount of money"),
        ("$", "not an amount of money"),
        ("", "not an amount of money"),
        ("1e3", "not an amount of money"),
        ("--5", "not an amount of money"),
        ("-$-5", "not an amount of money"),
        ("1000000000000", "too large"),
    ],
)
def test_bad_amounts_are_refused_in_words(typed, message):
    with pytest.raises(MoneyError, match=message):
        parse_money(typed, allow_negative=True)


def test_floats_are_refused_not_converted():
    with pytest.raises(TypeError, match="float"):
        parse_money(0.1)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        billed_amount(10.0, Decimal("1.00"))  # type: ignore[arg-type]


def test_booleans_are_not_amounts():
    with pytest.raises(TypeError):
        parse_money(True)  # type: ignore[arg-type]


def test_negative_amounts_need_permission():
    with pytest.raises(MoneyError, match="cannot be negative"):
        parse_money("-12.50")
    assert parse_money("-$12.50", allow_negative=True) == Decimal("-12.50")
    assert parse_money("$-12.50", allow_negative=True) == Decimal("-12.50")


def test_decimals_finer_than_a_cent_are_refused():
    with pytest.raises(MoneyError, match="more than two decimal places"):
        parse_money(Decimal("1.005"))
    assert parse_money(Decimal("1.500")) == Decimal("1.50")  # same value, just written longer
    with pytest.raises(MoneyError):
        parse_money(Decimal("NaN"))


def test_negative_zero_is_plain_zero():
    assert str(parse_money("-0.00", allow_negative=True)) == "0.00"
    assert format_money(Decimal("-0")) == "$0.00"


def test_format_money_shows_dollars_with_thousands():
    assert format_money(Decimal("1234.5")) == "$1,234.50"
    assert format_money(Decimal("-12.5")) == "-$12.50"
    assert format_money(Decimal("0.07")) == "$0.07"


def test_cents_for_integer_storage():
    assert to_cents(Decimal("12.34")) == 1234
    assert to_cents(Decimal("-0.05")) == -5
    assert from_cents(1234) == Decimal("12.34")
    assert str(from_cents(5)) == "0.05"
    with pytest.raises(TypeError):
        from_cents(12.34)  # type: ignore[arg-type]


def test_ten_thousand_dimes_make_exactly_a_thousand_dollars():
    total = sum((parse_money("0.10") for _ in range(10_000)), Decimal("0.00"))
    assert total == Decimal("1000.00")
    assert sum(0.10 for _ in range(10_000)) != 1000.0  # why floats are refused


def test_billed_is_ingredient_cost_plus_dispensing_plus_compounding_fee():
    assert billed_amount(Decimal("38.17"), Decimal("10.50"), Decimal("15.00")) == Decimal("63.67")
    assert billed_amount(Decimal("4.10"), Decimal("1.75")) == Decimal("5.85")
    assert billed_amount("12.5", "1", "0.1") == Decimal("13.60")


def test_billed_parts_cannot_be_negative():
    with pytest.raises(MoneyError, match="cannot be negative"):
        billed_amount(Decimal("10.00"), Decimal("-1.00"))


@pytest.mark.parametrize(
    ("billed", "primary_paid", "remaining"),
    [("63.67", "40.00", "23.67"), ("20.00", "20.00", "0.00"), ("20.00", "25.00", "0.00")],
)
def test_secondary_is_billed_what_the_primary_left_never_negative(billed, primary_paid, remaining):
    left = remaining_after_primary(Decimal(billed), Decimal(primary_paid))
    assert left == Decimal(remaining)
    assert str(left) == remaining


_cents = st.integers(min_value=-(10**13) + 1, max_value=10**13 - 1)


@given(_cents)
def test_format_then_parse_gives_back_the_same_amount(cents):
    amount = from_cents(cents)
    assert parse_money(format_money(amount), allow_negative=True) == amount
    assert to_cents(amount) == cents


@given(st.decimals(min_value=0, max_value=10**9, places=2, allow_nan=False))
def test_plain_decimal_text_parses_to_its_value(amount):
    assert parse_money(str(amount)) == amount
    assert parse_money(f"{amount:,}") == amount  # with thousands commas


@given(st.lists(_cents, max_size=200))
def test_sum_of_parsed_amounts_is_exact(cents_list):
    parsed = [parse_money(format_money(from_cents(c)), allow_negative=True) for c in cents_list]
    assert sum(parsed, Decimal("0.00")) == from_cents(sum(cents_list))


@given(st.decimals(min_value=-(10**6), max_value=10**6, places=3, allow_nan=False))
def test_text_with_three_decimal_places_is_refused(amount):
    with pytest.raises(MoneyError, match="more than two decimal places"):
        parse_money(f"{amount:.3f}", allow_negative=True)


@given(st.integers(min_value=-(10**9), max_value=10**9).filter(lambda n: n % 10))
def test_decimals_with_fractions_of_a_cent_are_refused(mills):
    with pytest.raises(MoneyError, match="more than two decimal places"):
        parse_money(Decimal(mills) / 1000, allow_negative=True)


def test_money_template_filter_shows_amounts_as_format_money_does():
    from portal.foundation.filters import money

    assert money(Decimal("1234.5")) == format_money(Decimal("1234.5")) == "$1,234.50"
    assert money(Decimal("-12.5")) == "-$12.50"
    assert money(7) == "$7.00"
    assert money(None) == ""
    # Costs kept finer than a cent (per gram) are shown to the nearest cent.
    assert money(Decimal("0.0151")) == "$0.02"
