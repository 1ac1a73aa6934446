"""Aging of outstanding claims by days since the date of service.

Managers look at unpaid money in five buckets, the usual accounts-receivable aging: 0-30,
31-60, 61-90, 91-120 and over 120 days. Day 0 is the date of service itself,
so a claim is 30 days old on the 30th day after service and still "0-30".

The app can aggregate in SQL either with the day boundaries
(``AGING_BUCKETS``) or, more portably across SQLite and PostgreSQL, with the
date-of-service ranges for a given day (``service_date_ranges(today)``), which
need no date arithmetic in SQL: ``date_of_service BETWEEN earliest AND latest``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta


@dataclass(frozen=True)
class AgingBucket:
    """Claims from ``min_days`` to ``max_days`` days old, both inclusive; no max is open."""

    label: str
    key: str  # safe as a SQL alias, CSS class or CSV column
    min_days: int
    max_days: int | None

    def holds(self, days: int) -> bool:
        """Whether a claim this many days old falls in the bucket."""
        return self.min_days <= days and (self.max_days is None or days <= self.max_days)


AGING_BUCKETS: tuple[AgingBucket, ...] = (
    AgingBucket("0–30", "days_0_30", 0, 30),
    AgingBucket("31–60", "days_31_60", 31, 60),
    AgingBucket("61–90", "days_61_90", 61, 90),
    AgingBucket("91–120", "days_91_120", 91, 120),
    AgingBucket(">120", "days_over_120", 121, None),
)


@dataclass(frozen=True)
class ServiceDateRange:
    """The dates of service that fall in a bucket on a given day; None is open-ended."""

    label: str
    key: str
    earliest: date | None
    latest: date


def days_since_service(date_of_service: date, today: date) -> int:
    """Whole days from the date of service to today; refuse a date of service after today."""
    days = (today - date_of_service).days
    if days < 0:
        raise ValueError(
            f"The date of service {date_of_service.isoformat()} is after today "
            f"({today.isoformat()}); a claim cannot be aged before it happens."
        )
    return days


def bucket_for(date_of_service: date, today: date) -> str:
    """The aging bucket label for a claim, e.g. "31–60"."""
    days = days_since_service(date_of_service, today)
    return next(bucket.label for bucket in AGING_BUCKETS if bucket.holds(days))


def service_date_ranges(today: date) -> list[ServiceDateRange]:
    """For each bucket, the range of dates of service that fall in it on ``today``."""
    return [
        ServiceDateRange(
            bucket.label,
            bucket.key,
            None if bucket.max_days is None else today - timedelta(days=bucket.max_days),
            today - timedelta(days=bucket.min_days),
        )
        for bucket in AGING_BUCKETS
    ]
