"""Time: stored as naive UTC, shown in the pharmacy's local time zone."""

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

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
