"""Beyond-use dates per USP <795> (domain/compounding.md)."""

from datetime import date, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from portal.compounding.bud.rules import (
    PREPARATION_TYPES,
    REFRIGERATOR,
    ROOM_OR_REFRIGERATOR,
    beyond_use_date,
    explain_beyond_use_date,
    storage_for,
    table_beyond_use_days,
)

MARCH_1 = date(2026, 3, 1)
FAR_EXPIRY = date(2030, 1, 1)


@pytest.mark.parametrize(
    ("preparation_type", "preserved", "expected"),
    [
        ("aqueous", False, date(2026, 3, 14)),  # 14 days
        ("aqueous", True, date(2026, 4, 4)),  # 35 days
        ("nonaqueous_oral_liquid", False, date(2026, 5, 29)),  # 90 days
        ("nonaqueous_oral_liquid", True, date(2026, 5, 29)),
        ("nonaqueous", False, date(2026, 8, 27)),  # 180 days
        ("nonaqueous", True, date(2026, 8, 27)),
        ("solid", False, date(2026, 8, 27)),  # 180 days
        ("solid", True, date(2026, 8, 27)),
    ],
)
def test_bud_follows_the_usp_2023_table(preparation_type, preserved, expected):
    assert beyond_use_date(MARCH_1, preparation_type, preserved, [FAR_EXPIRY]) == expected


def test_day_of_compounding_counts_as_day_one():
    # 14-day BUD for a preparation compounded on 1 March is 14 March, not 15 March.
    assert beyond_use_date(MARCH_1, "aqueous", False, [FAR_EXPIRY]) == date(2026, 3, 14)
    explanation = explain_beyond_use_date(MARCH_1, "aqueous", False, [("lot A", FAR_EXPIRY)])
    assert explanation.days == 14


def test_bud_counting_crosses_a_leap_day():
    compounded = date(2028, 2, 20)  # 2028 is a leap year
    assert beyond_use_date(compounded, "aqueous", False, [FAR_EXPIRY]) == date(2028, 3, 4)


def test_bud_is_capped_by_the_earliest_component_expiry():
    expiries = [date(2027, 1, 1), date(2026, 3, 10), date(2026, 12, 31)]
    assert beyond_use_date(MARCH_1, "aqueous", False, expiries) == date(2026, 3, 10)


def test_component_expiring_after_the_table_bud_does_not_shorten_it():
    assert beyond_use_date(MARCH_1, "solid", False, [date(2026, 8, 28)]) == date(2026, 8, 27)


def test_component_expiring_on_the_compounding_date_gives_a_one_day_bud():
    # Not past its expiry on the day of compounding, so usable that day only.
    explanation = explain_beyond_use_date(MARCH_1, "solid", False, [("lot Z", MARCH_1)])
    assert explanation.beyond_use_date == MARCH_1
    assert explanation.days == 1
    assert explanation.limiting_components == ("lot Z",)


def test_expired_component_cannot_be_compounded():
    with pytest.raises(ValueError, match="expired component.*lot OLD expired 2026-02-28"):
        explain_beyond_use_date(
            MARCH_1, "solid", False, [("lot OK", FAR_EXPIRY), ("lot OLD", date(2026, 2, 28))]
        )


def test_expired_component_is_refused_without_labels_too():
    with pytest.raises(ValueError, match="expired"):
        beyond_use_date(MARCH_1, "aqueous", True, [date(2026, 2, 28), FAR_EXPIRY])


def test_unknown_preparation_type_is_refused():
    with pytest.raises(ValueError, match="unknown preparation type 'cream'"):
        beyond_use_date(MARCH_1, "cream", False, [FAR_EXPIRY])


def test_bud_needs_at_least_one_component_expiry():
    with pytest.raises(ValueError, match="at least one component expiry"):
        beyond_use_date(MARCH_1, "solid", False, [])


def test_preserved_must_be_a_real_boolean():
    # "false" is truthy; taking it as preserved would give 35 days instead of 14.
    with pytest.raises(TypeError, match="preserved"):
        beyond_use_date(MARCH_1, "aqueous", "false", [FAR_EXPIRY])


def test_dates_must_be_dates_not_datetimes():
    with pytest.raises(TypeError, match="compounding date"):
        beyond_use_date(datetime(2026, 3, 1, 9, 30), "solid", False, [FAR_EXPIRY])
    with pytest.raises(TypeError, match="component expiry"):
        beyond_use_date(MARCH_1, "solid", False, ["2030-01-01"])


def test_unknown_table_is_refused():
    with pytest.raises(ValueError, match="unknown BUD table"):
        beyond_use_date(MARCH_1, "solid", False, [FAR_EXPIRY], table="usp2010")


# Stability-study BUD


def test_stability_days_replace_the_table():
    bud = beyond_use_date(
        MARCH_1, "aqueous", False, [FAR_EXPIRY], stability_days=60, stability_reference="J Ref 1"
    )
    assert bud == date(2026, 4, 29)


def test_stability_days_may_be_shorter_than_the_table():
    bud = beyond_use_date(
        MARCH_1, "solid", False, [FAR_EXPIRY], stability_days=7, stability_reference="Study 7"
    )
    assert bud == date(2026, 3, 7)


def test_stability_days_of_180_are_allowed_and_181_refused():
    bud = beyond_use_date(
        MARCH_1, "aqueous", False, [FAR_EXPIRY], stability_days=180, stability_reference="S"
    )
    assert bud == date(2026, 8, 27)
    with pytest.raises(ValueError, match="180"):
        beyond_use_date(
            MARCH_1, "aqueous", False, [FAR_EXPIRY], stability_days=181, stability_reference="S"
        )


@pytest.mark.parametrize("days", [0, -5])
def test_stability_days_must_be_at_least_one(days):
    with pytest.raises(ValueError, match="at least 1"):
        beyond_use_date(
            MARCH_1, "solid", False, [FAR_EXPIRY], stability_days=days, stability_reference="S"
        )


def test_stability_days_still_capped_by_component_expiry():
    bud = beyond_use_date(
        MARCH_1, "solid", False, [date(2026, 3, 20)], stability_days=90, stability_reference="S"
    )
    assert bud == date(2026, 3, 20)


def test_stability_days_need_their_reference():
    with pytest.raises(ValueError, match="reference"):
        beyond_use_date(MARCH_1, "solid", False, [FAR_EXPIRY], stability_days=90)
    with pytest.raises(ValueError, match="reference"):
        beyond_use_date(
            MARCH_1, "solid", False, [FAR_EXPIRY], stability_days=90, stability_reference="  "
        )


def test_stability_reference_without_days_is_refused():
    with pytest.raises(ValueError, match="without its stability days"):
        beyond_use_date(MARCH_1, "aqueous", True, [FAR_EXPIRY], stability_reference="J Ref 1")


def test_stability_days_must_be_a_whole_number():
    with pytest.raises(TypeError, match="whole number"):
        beyond_use_date(
            MARCH_1, "solid", False, [FAR_EXPIRY], stability_days=True, stability_reference="S"
        )


# Legacy 2014 table


def test_legacy_2014_nonaqueous_is_six_months_counted_as_180_days():
    for preparation_type in ("nonaqueous", "nonaqueous_oral_liquid", "solid"):
        bud = beyond_use_date(MARCH_1, preparation_type, False, [FAR_EXPIRY], table="usp2014")
        assert bud == date(2026, 8, 27)


def test_legacy_2014_water_containing_oral_is_14_days_refrigerated():
    bud = beyond_use_date(MARCH_1, "aqueous", True, [FAR_EXPIRY], table="usp2014", route="oral")
    assert bud == date(2026, 3, 14)  # preserved or not: 2014 did not distinguish
    assert storage_for("aqueous", True, table="usp2014", route="oral") == REFRIGERATOR


@pytest.mark.parametrize("route", ["topical", " Topical ", "rectal", "vaginal", "otic"])
def test_legacy_2014_water_containing_topical_or_mucosal_is_30_days(route):
    bud = beyond_use_date(MARCH_1, "aqueous", False, [FAR_EXPIRY], table="usp2014", route=route)
    assert bud == date(2026, 3, 30)


def test_legacy_2014_aqueous_needs_a_known_route():
    with pytest.raises(ValueError, match="route"):
        beyond_use_date(MARCH_1, "aqueous", False, [FAR_EXPIRY], table="usp2014")
    with pytest.raises(ValueError, match="route 'ophthalmic'"):
        beyond_use_date(
            MARCH_1, "aqueous", False, [FAR_EXPIRY], table="usp2014", route="ophthalmic"
        )


def test_2023_is_the_default_table_and_ignores_route():
    assert beyond_use_date(MARCH_1, "aqueous", False, [FAR_EXPIRY], route="topical") == date(
        2026, 3, 14
    )


# Storage and days for the formula record


@pytest.mark.parametrize(
    ("preparation_type", "preserved", "storage", "days"),
    [
        ("aqueous", False, REFRIGERATOR, 14),
        ("aqueous", True, ROOM_OR_REFRIGERATOR, 35),
        ("nonaqueous_oral_liquid", False, ROOM_OR_REFRIGERATOR, 90),
        ("nonaqueous", False, ROOM_OR_REFRIGERATOR, 180),
        ("solid", False, ROOM_OR_REFRIGERATOR, 180),
    ],
)
def test_storage_and_days_per_table(preparation_type, preserved, storage, days):
    assert storage_for(preparation_type, preserved) == storage
    assert table_beyond_use_days(preparation_type, preserved) == days


def test_refrigerator_advice_gives_the_temperature_range():
    assert storage_for("aqueous", False) == "store in a refrigerator (2–8 °C)"


def test_storage_for_unknown_type_is_refused():
    with pytest.raises(ValueError, match="unknown preparation type"):
        storage_for("lotion", False)


# Explanation


def test_explanation_names_the_limiting_lot():
    explanation = explain_beyond_use_date(
        MARCH_1,
        "aqueous",
        False,
        [("lot X", date(2026, 3, 10)), ("lot Y", FAR_EXPIRY)],
    )
    assert explanation.beyond_use_date == date(2026, 3, 10)
    assert explanation.days == 10
    assert explanation.basis_days == 14
    assert explanation.storage == REFRIGERATOR
    assert explanation.limiting_components == ("lot X",)
    assert explanation.limiting_expiry == date(2026, 3, 10)
    assert str(explanation) == (
        "10 days, through 2026-03-10: aqueous, no preservative "
        "(14 days by USP <795> 2023 table); store in a refrigerator (2–8 °C); "
        "limited by lot X expiring 2026-03-10."
    )


def test_explanation_without_a_limiting_lot():
    explanation = explain_beyond_use_date(MARCH_1, "aqueous", True, [("lot Y", FAR_EXPIRY)])
    assert explanation.limiting_components == ()
    assert explanation.limiting_expiry is None
    assert explanation.sentence == (
        "35 days, through 2026-04-04: aqueous, preserved (USP <795> 2023 table); "
        "store at controlled room temperature or in a refrigerator."
    )


def test_explanation_names_every_lot_sharing_the_earliest_expiry():
    explanation = explain_beyond_use_date(
        MARCH_1,
        "solid",
        False,
        [("lot A", date(2026, 4, 1)), ("lot B", FAR_EXPIRY), ("lot C", date(2026, 4, 1))],
    )
    assert explanation.limiting_components == ("lot A", "lot C")
    assert explanation.sentence.endswith("limited by lot A and lot C expiring 2026-04-01.")


def test_explanation_cites_the_stability_study():
    explanation = explain_beyond_use_date(
        MARCH_1,
        "aqueous",
        True,
        [("lot Y", FAR_EXPIRY)],
        stability_days=60,
        stability_reference="Trissel's Stability, 6th ed.",
    )
    assert explanation.source == "stability study Trissel's Stability, 6th ed."
    assert explanation.sentence.startswith(
        "60 days, through 2026-04-29: aqueous, preserved (stability study Trissel's"
    )


def test_explanation_of_the_legacy_table_says_so():
    explanation = explain_beyond_use_date(
        MARCH_1, "aqueous", False, [("lot Y", FAR_EXPIRY)], table="usp2014", route="topical"
    )
    assert "legacy USP <795> 2014 table" in explanation.sentence
    assert explanation.days == 30


def test_one_day_is_singular_in_the_sentence():
    explanation = explain_beyond_use_date(MARCH_1, "solid", False, [("lot Z", MARCH_1)])
    assert explanation.sentence.startswith("1 day, through 2026-03-01: solid dosage form")


# Properties

compounding_dates = st.dates(min_value=date(2000, 1, 1), max_value=date(2090, 12, 31))


@st.composite
def compounding_cases(draw):
    compounded_on = draw(compounding_dates)
    offsets = draw(st.lists(st.integers(min_value=0, max_value=400), min_size=1, max_size=6))
    expiries = [compounded_on + timedelta(days=offset) for offset in offsets]
    preparation_type = draw(st.sampled_from(PREPARATION_TYPES))
    preserved = draw(st.booleans())
    return compounded_on, preparation_type, preserved, expiries


@settings(deadline=None)
@given(compounding_cases())
def test_bud_is_never_after_the_earliest_expiry_nor_before_compounding(case):
    compounded_on, preparation_type, preserved, expiries = case
    bud = beyond_use_date(compounded_on, preparation_type, preserved, expiries)
    assert compounded_on <= bud <= min(expiries)
    table_days = table_beyond_use_days(preparation_type, preserved)
    assert bud == min(min(expiries), compounded_on + timedelta(days=table_days - 1))


@settings(deadline=None)
@given(compounding_cases())
def test_explanation_and_date_always_agree(case):
    compounded_on, preparation_type, preserved, expiries = case
    labelled = [(f"lot {index}", expiry) for index, expiry in enumerate(expiries)]
    explanation = explain_beyond_use_date(compounded_on, preparation_type, preserved, labelled)
    assert explanation.beyond_use_date == beyond_use_date(
        compounded_on, preparation_type, preserved, expiries
    )
    assert explanation.days == (explanation.beyond_use_date - compounded_on).days + 1
    assert explanation.beyond_use_date.isoformat() in explanation.sentence


@settings(deadline=None)
@given(compounding_cases(), st.integers(min_value=1, max_value=180))
def test_stability_bud_is_never_more_than_180_days(case, stability_days):
    compounded_on, preparation_type, preserved, expiries = case
    bud = beyond_use_date(
        compounded_on,
        preparation_type,
        preserved,
        expiries,
        stability_days=stability_days,
        stability_reference="study",
    )
    assert compounded_on <= bud <= compounded_on + timedelta(days=179)
    assert bud <= min(expiries)
