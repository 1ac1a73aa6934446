"""Report periods: presets, typed dates, and the UTC bounds of the pharmacy's days."""

from datetime import date, datetime

import pytest
from werkzeug.datastructures import MultiDict

from portal.reports.periods import MAX_DAYS, Period, from_args, preset

TODAY = date(2026, 11, 25)  # a Wednesday


@pytest.mark.parametrize(
    ("name", "start", "end"),
    [
        ("today", date(2026, 11, 25), date(2026, 11, 25)),
        ("week", date(2026, 11, 22), date(2026, 11, 25)),  # from Sunday
        ("last7", date(2026, 11, 19), date(2026, 11, 25)),
        ("month", date(2026, 11, 1), date(2026, 11, 25)),
        ("last_month", date(2026, 10, 1), date(2026, 10, 31)),
    ],
)
def test_presets(name, start, end):
    assert preset(name, TODAY) == Period(start, end)


def test_last_month_in_january_is_december():
    assert preset("last_month", date(2027, 1, 10)) == Period(date(2026, 12, 1), date(2026, 12, 31))


def test_the_week_of_a_sunday_is_that_day():
    assert preset("week", date(2026, 11, 22)) == Period(date(2026, 11, 22), date(2026, 11, 22))


def test_typed_dates_are_read_and_swapped_when_backwards():
    period, problems = from_args(MultiDict({"start": "2026-11-20", "end": "2026-11-02"}), TODAY)
    assert period == Period(date(2026, 11, 2), date(2026, 11, 20))
    assert problems == ["The dates were the wrong way round; they have been swapped."]


@pytest.mark.parametrize(
    "args",
    [{"start": "2026-13-01"}, {"start": "yesterday"}, {"start": "2026-11-01", "end": "11/20/2026"}],
)
def test_unreadable_dates_fall_back_with_a_message(args):
    period, problems = from_args(MultiDict(args), TODAY)
    assert period == preset("week", TODAY)
    assert problems == ["Dates must be written YYYY-MM-DD."]


def test_an_unknown_preset_falls_back_with_a_message():
    period, problems = from_args(MultiDict({"preset": "decade"}), TODAY, default="month")
    assert period == preset("month", TODAY)
    assert "Unknown period" in problems[0]


def test_a_period_is_at_most_a_year_ending_on_the_last_day_asked():
    period, problems = from_args(MultiDict({"start": "2020-01-01", "end": "2026-11-25"}), TODAY)
    assert period.end == date(2026, 11, 25)
    assert period.days == MAX_DAYS
    assert "at most" in problems[0]


def test_bounds_are_local_midnights_in_utc():
    begin, end = Period(date(2026, 7, 1), date(2026, 7, 1)).utc_bounds("America/Chicago")
    assert (begin, end) == (datetime(2026, 7, 1, 5, 0), datetime(2026, 7, 2, 5, 0))  # CDT


def test_bounds_across_the_end_of_daylight_time_cover_25_hours():
    begin, end = Period(date(2026, 11, 1), date(2026, 11, 1)).utc_bounds("America/Chicago")
    assert (end - begin).total_seconds() == 25 * 3600
