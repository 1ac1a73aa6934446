"""Aging buckets by days since date of service, at every boundary."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from portal.claims.claims.aging import (
    AGING_BUCKETS,
    bucket_for,
    days_since_service,
    service_date_ranges,
)

TODAY = date(2025, 3, 31)
LABELS = ["0–30", "31–60", "61–90", "91–120", ">120"]


@pytest.mark.parametrize(
    ("days", "label"),
    [
        (0, "0–30"),
        (1, "0–30"),
        (30, "0–30"),
        (31, "31–60"),
        (60, "31–60"),
        (61, "61–90"),
        (90, "61–90"),
        (91, "91–120"),
        (120, "91–120"),
        (121, ">120"),
        (3650, ">120"),
    ],
)
def test_bucket_at_each_boundary(days, label):
    assert bucket_for(TODAY - timedelta(days=days), TODAY) == label


def test_buckets_are_the_five_manager_buckets_as_data():
    assert [(b.label, b.min_days, b.max_days) for b in AGING_BUCKETS] == [
        ("0–30", 0, 30),
        ("31–60", 31, 60),
        ("61–90", 61, 90),
        ("91–120", 91, 120),
        (">120", 121, None),
    ]
    assert [b.key for b in AGING_BUCKETS] == [
        "days_0_30",
        "days_31_60",
        "days_61_90",
        "days_91_120",
        "days_over_120",
    ]


def test_counting_crosses_month_and_leap_day():
    assert days_since_service(date(2024, 2, 28), date(2024, 3, 1)) == 2
    assert bucket_for(date(2024, 1, 31), date(2024, 3, 1)) == "0–30"  # 30 days, leap year
    assert bucket_for(date(2023, 1, 30), date(2023, 3, 2)) == "31–60"  # 31 days


def test_a_date_of_service_after_today_is_refused():
    with pytest.raises(ValueError, match="is after today"):
        bucket_for(TODAY + timedelta(days=1), TODAY)


def test_service_date_ranges_for_sql_between():
    ranges = service_date_ranges(TODAY)
    assert [(r.label, r.earliest, r.latest) for r in ranges] == [
        ("0–30", date(2025, 3, 1), date(2025, 3, 31)),
        ("31–60", date(2025, 1, 30), date(2025, 2, 28)),
        ("61–90", date(2024, 12, 31), date(2025, 1, 29)),
        ("91–120", date(2024, 12, 1), date(2024, 12, 30)),
        (">120", None, date(2024, 11, 30)),
    ]


_dates = st.dates(min_value=date(2000, 1, 1), max_value=date(2040, 12, 31))


@given(_dates, st.integers(0, 400), st.integers(0, 400))
def test_a_claim_never_gets_younger_as_days_pass(date_of_service, wait, more):
    earlier = date_of_service + timedelta(days=wait)
    later = earlier + timedelta(days=more)
    assert LABELS.index(bucket_for(date_of_service, earlier)) <= LABELS.index(
        bucket_for(date_of_service, later)
    )


@given(_dates, st.integers(0, 400))
def test_date_ranges_agree_with_bucket_for(today, days):
    date_of_service = today - timedelta(days=days)
    holding = [
        r.label
        for r in service_date_ranges(today)
        if (r.earliest is None or r.earliest <= date_of_service) and date_of_service <= r.latest
    ]
    assert holding == [bucket_for(date_of_service, today)]
