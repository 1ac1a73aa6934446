"""Staff activity: who did how much of each kind of work in a period.

Each count comes from the column that records who did the step and when (indexed by the
tables' own lookups), so the report is a handful of GROUP BY queries, not a scan of events.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from peewee import SQL, fn

from portal.auth.models import User
from portal.compounding.records.models import CompoundingRecord
from portal.foundation.i18n import lazy_gettext as _l
from portal.labels.models import LabelPrint
from portal.prescriptions.fills.models import Fill, Verification

# (key, column heading) in the order work flows.
COLUMNS = (
    ("entered", _l("Entered")),
    ("data_checked", _l("Data checks")),
    ("returned", _l("Sent back")),
    ("filled", _l("Filled")),
    ("compounded", _l("Compounded")),
    ("records_approved", _l("Records approved")),
    ("final_checked", _l("Final checks")),
    ("labels", _l("Labels printed")),
    ("handed_out", _l("Handed out")),
)


SQL_STAR = SQL("*")


@dataclass
class StaffRow:
    user: User
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def _by_user(user_column, moment_column, begin: datetime, end: datetime, *conditions):
    query = (
        user_column.model.select(user_column.alias("user_id"), fn.COUNT(SQL_STAR).alias("n"))
        .where(user_column.is_null(False) & (moment_column >= begin) & (moment_column < end))
        .group_by(user_column)
    )
    for condition in conditions:
        query = query.where(condition)
    return dict(query.tuples())


def _counts(begin: datetime, end: datetime) -> dict[str, dict[int, int]]:
    final = Verification.stage == "final"
    data = Verification.stage == "data"
    return {
        "entered": _by_user(Fill.entered_by, Fill.entered_at, begin, end),
        "data_checked": _by_user(Verification.pharmacist, Verification.at, begin, end, data),
        "returned": _by_user(
            Verification.pharmacist, Verification.at, begin, end, Verification.outcome == "returned"
        ),
        "filled": _by_user(Fill.filled_by, Fill.filled_at, begin, end),
        "compounded": _by_user(
            CompoundingRecord.compounded_by, CompoundingRecord.completed_at, begin, end
        ),
        "records_approved": _by_user(
            CompoundingRecord.approved_by, CompoundingRecord.approved_at, begin, end
        ),
        "final_checked": _by_user(Verification.pharmacist, Verification.at, begin, end, final),
        "labels": _labels(begin, end),
        "handed_out": _by_user(Fill.handed_out_by, Fill.picked_up_at, begin, end),
    }


def _labels(begin: datetime, end: datetime) -> dict[int, int]:
    """Label copies printed (a reprint of three copies is three labels)."""
    query = (
        LabelPrint.select(LabelPrint.printed_by, fn.SUM(LabelPrint.copies))
        .where((LabelPrint.printed_at >= begin) & (LabelPrint.printed_at < end))
        .group_by(LabelPrint.printed_by)
    )
    return {user_id: int(total or 0) for user_id, total in query.tuples()}


def activity(begin: datetime, end: datetime) -> list[StaffRow]:
    """One row per person who did anything in [begin, end), busiest first."""
    counts = _counts(begin, end)
    user_ids = {user_id for per_user in counts.values() for user_id in per_user}
    if not user_ids:
        return []
    users = {u.id: u for u in User.select().where(User.id.in_(list(user_ids)))}
    rows = [
        StaffRow(users[uid], {key: counts[key].get(uid, 0) for key, _ in COLUMNS})
        for uid in user_ids
    ]
    rows.sort(key=lambda row: (-row.total, row.user.full_name))
    return rows


def totals(rows: list[StaffRow]) -> dict[str, int]:
    return {key: sum(row.counts[key] for row in rows) for key, _ in COLUMNS}
