"""Report periods: a from/to pair of the pharmacy's calendar dates, read from a query
string with presets, and the UTC bounds that timestamps are compared with."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from portal.foundation.dates import zone
from portal.foundation.i18n import N_

MAX_DAYS = 366

PRESETS = (
    ("today", N_("Today")),
    ("week", N_("This week")),
    ("last7", N_("Last 7 days")),
    ("month", N_("This month")),
    ("last_month", N_("Last month")),
)


@dataclass(frozen=True)
class Period:
    start: date  # first day, inclusive
    end: date  # last day, inclusive

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def label(self) -> str:
        if self.start == self.end:
            return self.start.strftime("%m/%d/%Y")
        return f"{self.start:%m/%d/%Y} to {self.end:%m/%d/%Y}"

    def utc_bounds(self, zone_name: str | None) -> tuple[datetime, datetime]:
        """[start, end) as naive UTC, the form timestamps are stored in: local midnight
        of the first day to local midnight after the last."""
        where = zone(zone_name)
        begin = datetime.combine(self.start, time(), where)
        after = datetime.combine(self.end + timedelta(days=1), time(), where)
        return (
            begin.astimezone(UTC).replace(tzinfo=None),
            after.astimezone(UTC).replace(tzinfo=None),
        )

    def as_args(self) -> dict[str, str]:
        return {"start": self.start.isoformat(), "end": self.end.isoformat()}


def preset(name: str, today: date) -> Period:
    if name == "today":
        return Period(today, today)
    if name == "week":  # weeks start on Sunday, as the pharmacy's schedule does
        return Period(today - timedelta(days=(today.weekday() + 1) % 7), today)
    if name == "last7":
        return Period(today - timedelta(days=6), today)
    if name == "month":
        return Period(today.replace(day=1), today)
    if name == "last_month":
        last_day = today.replace(day=1) - timedelta(days=1)
        return Period(last_day.replace(day=1), last_day)
    raise ValueError(f"{name!r} is not a report period")


def from_args(args, today: date, default: str = "week") -> tuple[Period, list[str]]:
    """The period asked for (?preset=… or ?start=YYYY-MM-DD&end=YYYY-MM-DD), and the
    problems in words; anything unreadable falls back to the default preset."""
    name = args.get("preset", "")
    if name:
        try:
            return preset(name, today), []
        except ValueError:
            return preset(default, today), [f"Unknown period “{name[:20]}”; showing the default."]
    start_text, end_text = args.get("start", ""), args.get("end", "")
    if not start_text and not end_text:
        return preset(default, today), []
    problems = []
    try:
        start = date.fromisoformat(start_text)
        end = date.fromisoformat(end_text) if end_text else today
    except ValueError:
        return preset(default, today), [N_("Dates must be written YYYY-MM-DD.")]
    if end < start:
        start, end = end, start
        problems.append(N_("The dates were the wrong way round; they have been swapped."))
    if (end - start).days + 1 > MAX_DAYS:
        start = end - timedelta(days=MAX_DAYS - 1)
        problems.append(f"A report covers at most {MAX_DAYS} days; it starts on {start:%m/%d/%Y}.")
    return Period(start, end), problems
