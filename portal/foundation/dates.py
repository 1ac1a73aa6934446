"""Dates and times: stored as naive UTC, shown in the pharmacy's local time zone; the
pharmacy's "today"; months added the way prescriptions count them; dates typed by staff."""

import calendar
import re
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from flask import g, has_request_context

DEFAULT_ZONE = "America/New_York"


def utcnow() -> datetime:
    """Now in UTC without tzinfo: the form every DateTimeField stores."""
    return datetime.now(UTC).replace(tzinfo=None)


def zone(name: str | None) -> ZoneInfo:
    try:
        return ZoneInfo(name or DEFAULT_ZONE)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo(DEFAULT_ZONE)


def to_local(moment: datetime | None, zone_name: str | None) -> datetime | None:
    if moment is None:
        return None
    return moment.replace(tzinfo=UTC).astimezone(zone(zone_name))


def local_today(zone_name: str | None) -> date:
    """The pharmacy's calendar date now: dates of service and fills use this."""
    return datetime.now(UTC).astimezone(zone(zone_name)).date()


# Outside a request (a command, a daily job) the pharmacy area says where the zone is read.
_zone_outside_requests: Callable[[], str | None] = lambda: None  # noqa: E731


def read_zone_outside_requests(source: Callable[[], str | None]) -> None:
    """The pharmacy area registers how to read its time zone without a request."""
    global _zone_outside_requests
    _zone_outside_requests = source


def today() -> date:
    """The pharmacy's calendar date: during a request from the pharmacy the pharmacy area put
    on flask.g, outside one (a command, a job) from the zone the pharmacy area registered."""
    if has_request_context() and "pharmacy" in g:
        pharmacy = g.pharmacy
        return local_today(pharmacy.time_zone if pharmacy else None)
    return local_today(_zone_outside_requests())


def add_months(day: date, months: int) -> date:
    """The same day of the month ``months`` later, or that month's last day if it is shorter.

    Aug 31 + 6 months is Feb 28 (29 in a leap year): the earlier date, which is the stricter
    reading of "6 months after the date written" (21 CFR 1306.22(a)).
    """
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


_MONTH_YEAR = re.compile(r"^([0-9]{1,2})[/.-]([0-9]{2}|[0-9]{4})$")
_US_DATE = re.compile(r"^([0-9]{1,2})[/.-]([0-9]{1,2})[/.-]([0-9]{4})$")
_ISO_DATE = re.compile(r"^([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})$")
_ISO_MONTH = re.compile(r"^([0-9]{4})-([0-9]{1,2})$")


def _last_day(year: int, month: int) -> date:
    if not 1 <= month <= 12:
        raise ValueError(f"month {month} does not exist")
    following = date(year + (month == 12), month % 12 + 1, 1)
    return following - timedelta(days=1)


def parse_date(text: str | None, *, month_only_means_end: bool = False) -> date:
    """A date typed as 03/31/2026, 2026-03-31 or, with month_only_means_end, 03/2026 / 03/26.

    USP: an expiration printed as month and year means the last day of that month.
    Raises ValueError in words.
    """
    raw = (text or "").strip()
    if not raw:
        raise ValueError("date is missing")
    try:
        if match := _US_DATE.match(raw):
            month, day, year = (int(g) for g in match.groups())
            return date(year, month, day)
        if match := _ISO_DATE.match(raw):
            year, month, day = (int(g) for g in match.groups())
            return date(year, month, day)
        if month_only_means_end and (match := _MONTH_YEAR.match(raw)):
            month, year = int(match.group(1)), int(match.group(2))
            return _last_day(year + 2000 if year < 100 else year, month)
        if month_only_means_end and (match := _ISO_MONTH.match(raw)):
            return _last_day(int(match.group(1)), int(match.group(2)))
    except ValueError:
        raise ValueError(f"{raw[:20]} is not a real date")
    shapes = "MM/DD/YYYY or MM/YYYY" if month_only_means_end else "MM/DD/YYYY"
    raise ValueError(f"type the date as {shapes}")
