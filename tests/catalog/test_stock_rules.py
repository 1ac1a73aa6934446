"""Units, schedules, allergen classes, numbers and dates as typed."""

import contextlib
from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from portal.catalog.stock import rules as r
from portal.foundation import dates


@pytest.mark.parametrize(
    "typed, schedule",
    [
        ("CII", "2"),
        ("C-II", "2"),
        ("c ii", "2"),
        ("2", "2"),
        ("C2", "2"),
        ("CIIN", "2"),
        ("CIII", "3"),
        ("IV", "4"),
        ("CV", "5"),
        ("", None),
        ("  ", None),
        ("Rx", None),
    ],
)
def test_schedules_are_read_in_every_usual_spelling(typed, schedule):
    assert r.parse_schedule(typed) == schedule


def test_schedule_one_and_nonsense_are_refused_in_words():
    with pytest.raises(ValueError, match="C-I substances cannot be stocked"):
        r.parse_schedule("CI")
    with pytest.raises(ValueError, match="'C7' is not C-II, C-III, C-IV or C-V"):
        r.parse_schedule("C7")


def test_units_accept_common_spellings():
    assert [r.unit_of(u) for u in ("EA", "tablets", "GM", "ml", "mL")] == [
        "each",
        "each",
        "g",
        "mL",
        "mL",
    ]
    with pytest.raises(ValueError, match="'bottle' is not a stock unit"):
        r.unit_of("bottle")


def test_allergen_classes_keep_their_case_and_drop_repeats():
    assert r.parse_allergen_classes("Sulfonamides; NSAIDs, parabens,, nsaids") == (
        "NSAIDs",
        "parabens",
        "Sulfonamides",
    )
    assert r.allergen_classes_text(["parabens", "NSAIDs"]) == "NSAIDs, parabens"
    assert r.parse_allergen_classes("") == ()


@pytest.mark.parametrize(
    "typed, value",
    [("12", Decimal(12)), ("1,250.50", Decimal("1250.50")), ("$4.20", Decimal("4.20"))],
)
def test_numbers_as_people_type_them(typed, value):
    assert r.parse_decimal(typed, "cost") == value


@pytest.mark.parametrize(
    "typed, message",
    [
        ("abc", "cost 'abc' is not a number"),
        ("NaN", "is not a number"),
        ("-1", "cost cannot be less than 0"),
        ("1.23456", "more than 4 decimal places"),
        ("1e12", "is too large"),
        ("", "cost is missing"),
    ],
)
def test_bad_numbers_are_explained(typed, message):
    with pytest.raises(ValueError, match=message):
        r.parse_decimal(typed, "cost", minimum=0)


def test_expiry_month_and_year_means_the_last_day_of_the_month():
    assert dates.parse_date("03/2027", month_only_means_end=True) == date(2027, 3, 31)
    assert dates.parse_date("02/28", month_only_means_end=True) == date(2028, 2, 29)
    assert dates.parse_date("2026-12", month_only_means_end=True) == date(2026, 12, 31)
    assert dates.parse_date("3/31/2026") == date(2026, 3, 31)
    assert dates.parse_date("2026-03-31") == date(2026, 3, 31)
    with pytest.raises(ValueError, match="MM/DD/YYYY"):
        dates.parse_date("03/2027")
    with pytest.raises(ValueError, match="not a real date"):
        dates.parse_date("02/30/2026")
    with pytest.raises(ValueError, match="not a real date"):
        dates.parse_date("13/2026", month_only_means_end=True)


@given(st.text(max_size=30))
def test_date_and_number_readers_only_ever_raise_value_error(text):
    for reader in (
        lambda t: dates.parse_date(t, month_only_means_end=True),
        lambda t: r.parse_decimal(t, "x"),
        r.parse_schedule,
        r.unit_of,
    ):
        with contextlib.suppress(ValueError):
            reader(text)


def test_movement_signs_follow_the_reason():
    assert r.signed_delta("received", Decimal(5)) == 5
    assert r.signed_delta("dispensed", Decimal(5)) == -5
    assert r.signed_delta("compounded", Decimal(-5)) == -5
    assert r.signed_delta("adjusted", Decimal(-2)) == -2
    assert r.signed_delta("returned", Decimal(3)) == 3
    with pytest.raises(ValueError):
        r.signed_delta("stolen", Decimal(1))


def test_quantities_read_plainly():
    assert r.plain_quantity(Decimal("40.0000"), "g") == "40 g"
    assert r.plain_quantity(Decimal("2500"), "mL") == "2,500 mL"
    assert r.plain_quantity(Decimal("0.1250"), "g") == "0.125 g"
