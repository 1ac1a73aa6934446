"""The manager's dashboard figures, aggregated in SQL.

The claims are summed per date of service and payer with one GROUP BY and CASE expressions
(reports.claims.models.claim_sums); those sums are kept in ClaimDayTotal, recomputed for a claim's
day and payer whenever the claim is saved, so the dashboard reads at most days x payers
rows, never one per claim: SQL sums them per payer and per day, and the days are folded here
into the per-month and aging tables. Reject codes are kept per month (ClaimRejectMonth).
Aging buckets come from aging.service_date_ranges(today), so no date arithmetic runs in SQL
and SQLite and PostgreSQL read the same. Money columns are integer cents: sums are exact.
Overdue follow-ups are a small query of their own.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from peewee import fn

from portal.claims.claims.aging import service_date_ranges
from portal.claims.claims.lifecycle import OUTSTANDING_STATES, ClaimState
from portal.claims.claims.models import (
    ACTION_STATES,
    WAITING_STATES,
    Claim,
    ClaimCount,
    ClaimReject,
)
from portal.foundation.db import db
from portal.foundation.i18n import N_
from portal.foundation.money import ZERO
from portal.patients.models import Payer
from portal.reports.claims.models import ClaimDayTotal, ClaimRejectMonth, month_start

OUTSTANDING = [state.value for state in OUTSTANDING_STATES]
NOT_BILLED = [ClaimState.DRAFT.value, ClaimState.REVERSED.value]  # not counted as billed
OPEN = [state.value for state in ACTION_STATES + WAITING_STATES]
CLOSED = [state.value for state in ClaimState if state.value not in OPEN]


@dataclass(frozen=True)
class DashboardFilters:
    date_from: date
    date_to: date
    payer: int | None = None

    @classmethod
    def default(cls, today: date) -> DashboardFilters:
        """The last twelve months of dates of service."""
        return cls(today - timedelta(days=365), today)

    def where(self, query, model=Claim):
        """Narrow a query on model (Claim, ClaimDayTotal, ClaimReject) to these filters."""
        query = query.where(model.date_of_service.between(self.date_from, self.date_to))
        if self.payer:
            query = query.where(model.payer == self.payer)
        return query


@dataclass
class AgingRow:
    label: str
    key: str
    count: int = 0
    amount: Decimal = ZERO


@dataclass
class PayerRow:
    payer_id: int
    name: str
    claims: int = 0  # sent to the payer (not drafts)
    rejected: int = 0  # rejected at least once
    billed: Decimal = ZERO
    paid: Decimal = ZERO
    written_off: Decimal = ZERO
    write_offs: int = 0
    days_total: int = 0
    days_count: int = 0

    @property
    def rejection_rate(self) -> Decimal | None:
        if not self.claims:
            return None
        return (Decimal(self.rejected) * 100 / self.claims).quantize(Decimal("0.1"))

    @property
    def days_to_payment(self) -> Decimal | None:
        if not self.days_count:
            return None
        return (Decimal(self.days_total) / self.days_count).quantize(Decimal("0.1"))

    @property
    def paid_ratio(self) -> Decimal | None:
        if not self.billed:
            return None
        return (self.paid * 100 / self.billed).quantize(Decimal("0.1"))


@dataclass
class MonthRow:
    month: str  # YYYY-MM
    claims: int
    billed: Decimal
    paid: Decimal

    @property
    def label(self) -> str:
        year, month = self.month.split("-")
        return f"{month}/{year}"


@dataclass
class Dashboard:
    filters: DashboardFilters
    today: date
    aging: list[AgingRow]
    payers: list[PayerRow]
    months: list[MonthRow]
    reject_codes: list[tuple[str, int]]
    overdue_count: int
    overdue: list = field(default_factory=list)

    @property
    def outstanding_count(self) -> int:
        return sum(row.count for row in self.aging)

    @property
    def outstanding_amount(self) -> Decimal:
        return sum((row.amount for row in self.aging), ZERO)

    @property
    def totals(self) -> PayerRow:
        total = PayerRow(0, N_("All payers"))
        for row in self.payers:
            for name in (
                "claims",
                "rejected",
                "billed",
                "paid",
                "written_off",
                "write_offs",
                "days_total",
                "days_count",
            ):
                setattr(total, name, getattr(total, name) + getattr(row, name))
        return total


@dataclass
class _Day:
    """One date of service: the figures of its claims across the payers, summed in SQL."""

    served: date
    claims: int
    billed: Decimal
    paid: Decimal
    outstanding: int
    outstanding_amount: Decimal


def _summed(filters: DashboardFilters, group, *columns) -> list[tuple]:
    """ClaimDayTotal's rows in the filters summed per group, as plain tuples: a pharmacy
    group's year is thousands of day-and-payer rows, which SQL adds up faster than peewee
    can turn them into objects."""
    query = filters.where(
        ClaimDayTotal.select(group, *(fn.SUM(column) for column in columns)), ClaimDayTotal
    ).group_by(group)
    return db.execute(query).fetchall()


def day_totals(filters: DashboardFilters) -> list[_Day]:
    """The claims' sums per date of service (from ClaimDayTotal, kept in step with the claims
    by Claim.save), at most one row a day, folded below by month and by age."""
    t = ClaimDayTotal
    rows = _summed(filters, t.date_of_service, t.claims, t.billed, t.paid, t.outstanding,
                   t.outstanding_amount)  # fmt: skip
    days = [
        _Day(_as_date(served), claims, _cents(billed), _cents(paid), owed_n, _cents(owed))
        for served, claims, billed, paid, owed_n, owed in rows
    ]
    return sorted(days, key=lambda day: day.served)


def _as_date(value) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value)[:10])


def _cents(value) -> Decimal:
    return Decimal(int(value or 0)).scaleb(-2)


def aging(days: list[_Day], today: date) -> list[AgingRow]:
    """Outstanding claims and amounts by age: each date of service falls in the bucket of
    aging.service_date_ranges(today) that holds it (a date after today counts as 0 days)."""
    ranges = service_date_ranges(today)
    rows = {r.key: AgingRow(r.label, r.key) for r in ranges}
    for day in days:
        if not day.outstanding:
            continue
        key = next(r.key for r in ranges if r.earliest is None or day.served >= r.earliest)
        rows[key].count += day.outstanding
        rows[key].amount += day.outstanding_amount
    return list(rows.values())


def by_payer(filters: DashboardFilters) -> list[PayerRow]:
    """Per payer: claims sent, rejected at least once, billed, paid, write-offs, days to pay."""
    names = dict(Payer.select(Payer.id, Payer.name).tuples())
    t = ClaimDayTotal
    rows = [
        PayerRow(
            payer_id,
            names.get(payer_id, "?"),
            int(sent or 0),
            int(rejected or 0),
            _cents(billed),
            _cents(paid),
            _cents(off),
            int(offs or 0),
            int(days_total or 0),
            int(days_count or 0),
        )  # fmt: skip
        for payer_id, sent, rejected, billed, paid, off, offs, days_total, days_count in _summed(
            filters,
            t.payer,
            t.sent,
            t.rejected,
            t.billed,
            t.paid,
            t.written_off,
            t.write_offs,
            t.days_total,
            t.days_count,
        )  # fmt: skip
    ]
    return sorted(rows, key=lambda row: row.name.lower())


def by_month(days: list[_Day]) -> list[MonthRow]:
    """Billed (primary claims sent, not reversed) and paid, by month of service."""
    months: dict[str, MonthRow] = {}
    for day in days:
        key = f"{day.served.year:04d}-{day.served.month:02d}"
        row = months.setdefault(key, MonthRow(key, 0, ZERO, ZERO))
        row.claims += int(day.claims)
        row.billed += day.billed
        row.paid += day.paid
    return [months[key] for key in sorted(months)]


def top_reject_codes(filters: DashboardFilters, limit: int = 10) -> list[tuple[str, int]]:
    """The most frequent reject codes: the whole months in the dates from the kept monthly
    counts (ClaimRejectMonth), the partial months at either end from claim_reject's own
    (date, payer, code) index, without reading the claims."""
    first_whole = (
        filters.date_from if filters.date_from.day == 1 else _next_month(filters.date_from)
    )
    after_whole = month_start(filters.date_to)
    if _next_month(filters.date_to) == filters.date_to + timedelta(days=1):
        after_whole = _next_month(filters.date_to)  # the last day: its month is whole
    counts: dict[str, int] = {}
    if first_whole < after_whole:
        kept = ClaimRejectMonth.select(ClaimRejectMonth.code, fn.SUM(ClaimRejectMonth.times))
        kept = kept.where(
            (ClaimRejectMonth.month >= first_whole) & (ClaimRejectMonth.month < after_whole)
        )
        if filters.payer:
            kept = kept.where(ClaimRejectMonth.payer == filters.payer)
        _add(counts, kept.group_by(ClaimRejectMonth.code).tuples())
        ends = [
            (filters.date_from, first_whole - timedelta(days=1)),
            (after_whole, filters.date_to),
        ]
    else:
        ends = [(filters.date_from, filters.date_to)]
    for start, end in ends:
        if start <= end:
            raw = ClaimReject.select(ClaimReject.code, fn.COUNT(ClaimReject.id))
            raw = DashboardFilters(start, end, filters.payer).where(raw, ClaimReject)
            _add(counts, raw.group_by(ClaimReject.code).tuples())
    ranked = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    return ranked[:limit]


def _add(counts: dict[str, int], rows) -> None:
    for code, n in rows:
        counts[code] = counts.get(code, 0) + int(n or 0)


def _next_month(day: date) -> date:
    return (day.replace(day=1) + timedelta(days=32)).replace(day=1)


def overdue(filters: DashboardFilters, today: date, limit: int = 10):
    """Open claims whose follow-up date has passed: how many, and the first few.

    Counted from the kept counts per (status, follow-up date, assignee, payer) (ClaimCount,
    kept by triggers on claim, migration 0159): the same few hundred rows at any size. The
    first few are picked by id from the (follow_up_on, status, payer) index ("not closed"
    keeps SQLite on it), then read: a day's ties are sorted by id in the index rather than as
    whole claim rows. The payer is compared as payer_id + 0 so the list does not walk every
    claim of the payer instead."""
    counted = ClaimCount.status.in_(OPEN) & (ClaimCount.follow_up_on < today)
    listed = (Claim.follow_up_on < today) & Claim.status.not_in(CLOSED)
    if filters.payer:
        counted &= ClaimCount.payer == filters.payer
        listed &= (Claim.payer + 0) == filters.payer
    count = ClaimCount.select(fn.SUM(ClaimCount.claims)).where(counted).scalar()
    first_ids = [
        claim_id
        for (claim_id,) in Claim.select(Claim.id)
        .where(listed)
        .order_by(Claim.follow_up_on, Claim.id)
        .limit(limit)
        .tuples()
    ]
    if not first_ids:
        return int(count or 0), []
    first = Claim.select().where(Claim.id.in_(first_ids)).order_by(Claim.follow_up_on, Claim.id)
    return int(count or 0), list(first)


def build(filters: DashboardFilters, today: date) -> Dashboard:
    overdue_count, overdue_claims = overdue(filters, today)
    days = day_totals(filters)
    return Dashboard(
        filters=filters,
        today=today,
        aging=aging(days, today),
        payers=by_payer(filters),
        months=by_month(days),
        reject_codes=top_reject_codes(filters),
        overdue_count=overdue_count,
        overdue=overdue_claims,
    )
