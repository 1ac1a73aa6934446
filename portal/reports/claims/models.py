"""Per day of service and payer, the dashboard's sums of the claims: kept in step with them.

Every Claim.save() recomputes its own (date of service, payer) row from the claims (through
its after_save listener, claim_saved below), in the same transaction, with one GROUP BY over
that day's claims (served by the covering index on claim(date_of_service, payer_id, ...)).
So the row is never a running total that could drift: it is always the SQL sum of the
claims as they stand, and the dashboard reads at most days x payers rows instead of every
claim. rebuild() recomputes them all (after a bulk load, or to check).
"""

from __future__ import annotations

from datetime import date, timedelta

from peewee import Case, CharField, DateField, ForeignKeyField, IntegerField, fn

from portal.claims.claims.fields import MoneyField
from portal.claims.claims.lifecycle import OUTSTANDING_STATES, ClaimState
from portal.claims.claims.models import Claim, ClaimReject
from portal.foundation import locks
from portal.foundation.db import BaseModel
from portal.patients.models import Payer

OUTSTANDING = [state.value for state in OUTSTANDING_STATES]
NOT_BILLED = [ClaimState.DRAFT.value, ClaimState.REVERSED.value]


class ClaimDayTotal(BaseModel):
    date_of_service = DateField()
    payer = ForeignKeyField(Payer, backref="+", on_delete="CASCADE")
    claims = IntegerField(default=0)
    sent = IntegerField(default=0)  # not drafts
    rejected = IntegerField(default=0)  # rejected at least once
    billed = MoneyField(default=0)  # primary claims sent and not reversed
    paid = MoneyField(default=0)
    written_off = MoneyField(default=0)
    write_offs = IntegerField(default=0)
    days_total = IntegerField(default=0)  # days from service to payment, summed
    days_count = IntegerField(default=0)
    outstanding = IntegerField(default=0)
    outstanding_amount = MoneyField(default=0)

    class Meta:
        indexes = ((("date_of_service", "payer"), True),)

    @classmethod
    def columns(cls) -> list:
        return [
            cls.date_of_service, cls.payer, cls.claims, cls.sent, cls.rejected, cls.billed,
            cls.paid, cls.written_off, cls.write_offs, cls.days_total, cls.days_count,
            cls.outstanding, cls.outstanding_amount,
        ]  # fmt: skip

    @classmethod
    def refresh(cls, day: date, payer_id: int) -> None:
        """Recompute one day's row for one payer from its claims (call inside the write)."""
        # Two transactions refreshing the same row would each see only their own change, so
        # they must take turns. Every claim write is audited in the same transaction, which
        # takes the audit chain's lock anyway: taking that same lock here (it is re-entrant
        # within a transaction) adds no second lock, so no lock-order deadlock with a
        # transaction that audited first.
        locks.hold_for_transaction(locks.AUDIT_CHAIN)
        cls.delete().where((cls.date_of_service == day) & (cls.payer == payer_id)).execute()
        query = claim_sums().where((Claim.date_of_service == day) & (Claim.payer == payer_id))
        cls.insert_from(query, cls.columns()).execute()

    @classmethod
    def rebuild(cls) -> int:
        """Recompute every row from the claims; returns the number of rows."""
        cls.delete().execute()
        cls.insert_from(claim_sums(), cls.columns()).execute()
        return cls.select().count()


def _count_if(condition):
    return fn.SUM(Case(None, [(condition, 1)], 0))


def _sum_if(condition, column):
    return fn.SUM(Case(None, [(condition, column)], 0))


def claim_sums():
    """The claims summed per date of service and payer, in ClaimDayTotal's column order."""
    outstanding = Claim.status.in_(OUTSTANDING)
    balance = Claim.balance_sql()
    primary_billed = Claim.primary_claim.is_null() & Claim.status.not_in(NOT_BILLED)
    return Claim.select(
        Claim.date_of_service,
        Claim.payer,
        fn.COUNT(Claim.id),
        _count_if(Claim.status != ClaimState.DRAFT.value),
        _count_if(Claim.times_rejected > 0),
        _sum_if(primary_billed, Claim.billed),
        fn.COALESCE(fn.SUM(Claim.paid), 0),
        fn.COALESCE(fn.SUM(Claim.written_off), 0),
        _count_if(Claim.written_off > 0),
        fn.COALESCE(fn.SUM(Claim.days_to_payment), 0),
        fn.COUNT(Claim.days_to_payment),
        _count_if(outstanding),
        _sum_if(outstanding, balance),
    ).group_by(Claim.date_of_service, Claim.payer)


def claim_saved(claim: Claim) -> None:
    """Claim.after_save listener: the saved claim's day and payer summed again."""
    ClaimDayTotal.refresh(claim.date_of_service, claim.payer_id)


def month_start(day: date) -> date:
    return day.replace(day=1)


class ClaimRejectMonth(BaseModel):
    """Per month of service, payer and reject code: how many times the code was received.

    The dashboard's top codes over a year read these (months x payers x codes rows) rather
    than every claim_reject row; only the partial months at the ends of its dates are counted
    from claim_reject itself. Refreshed from claim_reject for a month and payer whenever a
    rejection is recorded (ClaimReject.after_record), so it is always that month's SQL count."""

    month = DateField()  # the first of the month of service
    payer = ForeignKeyField(Payer, null=True, backref="+", on_delete="CASCADE")
    code = CharField(max_length=3)
    times = IntegerField(default=0)

    class Meta:
        indexes = ((("month", "payer", "code"), False),)

    @classmethod
    def refresh(cls, day: date, payer_id: int | None) -> None:
        """Recount one month's codes for one payer (call inside the write)."""
        # Same reason and same lock as ClaimDayTotal.refresh: writers of a month take turns.
        locks.hold_for_transaction(locks.AUDIT_CHAIN)
        first = month_start(day)
        after = (first + timedelta(days=32)).replace(day=1)
        payer = ClaimReject.payer.is_null() if payer_id is None else ClaimReject.payer == payer_id
        mine = cls.payer.is_null() if payer_id is None else cls.payer == payer_id
        cls.delete().where((cls.month == first) & mine).execute()
        counts = (
            ClaimReject.select(ClaimReject.code, fn.COUNT(ClaimReject.id))
            .where((ClaimReject.date_of_service >= first) & (ClaimReject.date_of_service < after))
            .where(payer)
            .group_by(ClaimReject.code)
            .tuples()
        )
        rows = [{"month": first, "payer": payer_id, "code": code, "times": n} for code, n in counts]
        if rows:
            cls.insert_many(rows).execute()

    @classmethod
    def rebuild(cls) -> int:
        """Recount every month from claim_reject (after a bulk load, or to check)."""
        cls.delete().execute()
        months: dict[tuple, int] = {}
        per_day = (
            ClaimReject.select(
                ClaimReject.date_of_service, ClaimReject.payer, ClaimReject.code,
                fn.COUNT(ClaimReject.id),
            )
            .where(ClaimReject.date_of_service.is_null(False))
            .group_by(ClaimReject.date_of_service, ClaimReject.payer, ClaimReject.code)
            .tuples()
        )  # fmt: skip
        for served, payer_id, code, n in per_day:
            key = (month_start(_as_date(served)), payer_id, code)
            months[key] = months.get(key, 0) + n
        rows = [{"month": m, "payer": p, "code": c, "times": n} for (m, p, c), n in months.items()]
        for start in range(0, len(rows), 500):
            cls.insert_many(rows[start : start + 500]).execute()
        return len(rows)


def _as_date(value) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value)[:10])


def rejects_recorded(day: date, payer_id: int | None) -> None:
    """ClaimReject.after_record listener: that month's codes for that payer counted again."""
    if day is not None:
        ClaimRejectMonth.refresh(day, payer_id)
