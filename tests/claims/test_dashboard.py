"""Dashboard figures from SQL: aging at the bucket boundaries, sums to the cent, filters."""

from datetime import date, timedelta
from decimal import Decimal as D

from portal.reports.claims import queries as dashboard
from portal.reports.claims.queries import DashboardFilters
from tests.factories import make_claim, make_payer

TODAY = date(2025, 6, 30)


def served(days_ago):
    return TODAY - timedelta(days=days_ago)


def figures(**filters):
    values = {"date_from": TODAY - timedelta(days=400), "date_to": TODAY, **filters}
    return dashboard.build(DashboardFilters(**values), TODAY)


def test_aging_buckets_at_their_boundaries(app):
    for days in (0, 30, 31, 60, 61, 90, 91, 120, 121, 365):
        make_claim(
            "submitted",
            date_of_service=served(days),
            ingredient_cost=D(days) + D("0.01"),
            dispensing_fee=D("0.00"),
            today=TODAY,
        )
    aging = {row.label: (row.count, row.amount) for row in figures().aging}
    assert aging == {
        "0–30": (2, D("30.02")),
        "31–60": (2, D("91.02")),
        "61–90": (2, D("151.02")),
        "91–120": (2, D("211.02")),
        ">120": (2, D("486.02")),
    }


def test_only_money_still_expected_is_outstanding(app):
    make_claim("paid", date_of_service=served(10), today=TODAY)
    make_claim("partially_paid", date_of_service=served(10), paid=D("20.25"), today=TODAY)
    make_claim("written_off", date_of_service=served(10), today=TODAY)
    d = figures()
    assert d.outstanding_count == 1
    assert d.outstanding_amount == D("50.50") - D("20.25")


def test_sums_are_exact_to_the_cent(app):
    payer = make_payer(name="Cent Plan")
    for n in range(1, 41):
        make_claim(
            "paid",
            payer=payer,
            ingredient_cost=D("0.10"),
            dispensing_fee=D("0.01") * n,
            paid=D("0.07"),
            date_of_service=served(n),
            today=TODAY,
        )
    [row] = figures().payers
    assert row.billed == sum((D("0.10") + D("0.01") * n for n in range(1, 41)), D("0.00"))
    assert row.billed == D("12.20") and row.paid == D("2.80")
    assert sum((m.paid for m in figures().months), D("0.00")) == D("2.80")


def test_rejection_rate_top_codes_and_days_to_payment_by_payer(app):
    alpha = make_payer(name="Alpha")
    make_claim("rejected", payer=alpha, reject_codes="75", date_of_service=served(5), today=TODAY)
    make_claim(
        "rejected", payer=alpha, reject_codes="75 79", date_of_service=served(5), today=TODAY
    )
    make_claim("paid", payer=alpha, date_of_service=served(6), today=TODAY)
    make_claim("draft", payer=alpha, date_of_service=served(6), today=TODAY)
    d = figures()
    [row] = d.payers
    assert (row.claims, row.rejected, row.rejection_rate) == (3, 2, D("66.7"))
    assert row.days_to_payment == D("6.0")
    assert d.reject_codes == [("75", 2), ("79", 1)]


def test_filters_by_payer_and_date_range(app):
    alpha, beta = make_payer(name="Alpha"), make_payer(name="Beta")
    make_claim("submitted", payer=alpha, date_of_service=served(5), today=TODAY)
    make_claim("submitted", payer=beta, date_of_service=served(5), today=TODAY)
    make_claim("submitted", payer=beta, date_of_service=served(200), today=TODAY)
    assert figures(payer=beta.id).outstanding_count == 2
    recent = figures(payer=beta.id, date_from=served(30))
    assert recent.outstanding_count == 1 and [p.name for p in recent.payers] == ["Beta"]


def test_overdue_follow_ups_are_counted(app):
    claim = make_claim("rejected", date_of_service=served(10), today=served(5))
    make_claim("rejected", date_of_service=served(10), today=TODAY)
    d = figures()
    assert d.overdue_count == 1 and [c.id for c in d.overdue] == [claim.id]


def test_day_totals_stay_equal_to_the_sums_of_the_claims(app):
    from portal.claims.claims import actions
    from portal.reports.claims.models import ClaimDayTotal
    from tests.factories import claims_user

    payer = make_payer()
    claims = [
        make_claim(state, payer=payer, date_of_service=served(days), today=TODAY)
        for state, days in (("paid", 3), ("rejected", 3), ("partially_paid", 40), ("draft", 3))
    ]
    actions.write_off(claims[2], claims_user(), "policy")
    actions.reverse(claims[0], claims_user(), "returned to stock")

    def rows():
        return sorted(
            tuple(getattr(row, f.name) for f in ClaimDayTotal.columns())
            for row in ClaimDayTotal.select()
        )

    kept = rows()
    assert len(kept) == 2
    ClaimDayTotal.rebuild()
    assert rows() == kept


def test_top_reject_codes_from_kept_months_agree_with_every_reject_row(app):
    """Whole months come from the kept monthly counts, partial ends from claim_reject: for
    ranges starting and ending mid-month, on the 1st, on a month's last day, inside one month
    and across a year, with and without a payer, the counts are those of the rows."""
    from peewee import fn

    from portal.claims.claims.models import ClaimReject
    from portal.reports.claims.models import ClaimRejectMonth

    alpha, beta = make_payer(name="Alpha"), make_payer(name="Beta")
    for n, days in enumerate((0, 1, 29, 30, 31, 45, 59, 60, 61, 90, 150, 151, 300, 364)):
        codes = ("75", "79 75", "M1", "70 76")[n % 4]
        payer = (alpha, beta)[n % 2]
        make_claim("rejected", payer=payer, reject_codes=codes, date_of_service=served(days),
                   today=TODAY)  # fmt: skip

    def direct(start, end, payer=None):
        query = ClaimReject.select(ClaimReject.code, fn.COUNT(ClaimReject.id)).where(
            ClaimReject.date_of_service.between(start, end)
        )
        if payer:
            query = query.where(ClaimReject.payer == payer)
        rows = query.group_by(ClaimReject.code).tuples()
        return sorted(((c, int(n)) for c, n in rows), key=lambda r: (-r[1], r[0]))

    assert ClaimRejectMonth.select().count() > 0
    ranges = [
        (served(364), TODAY), (date(2025, 5, 1), date(2025, 5, 31)), (date(2025, 5, 2), TODAY),
        (date(2025, 3, 1), date(2025, 5, 30)), (date(2025, 4, 15), date(2025, 4, 20)),
        (date(2024, 7, 1), date(2025, 6, 30)), (date(2024, 6, 30), date(2025, 7, 1)),
    ]  # fmt: skip
    for start, end in ranges:
        for payer in (None, alpha.id, beta.id):
            found = dashboard.top_reject_codes(DashboardFilters(start, end, payer))
            assert found == direct(start, end, payer), (start, end, payer)

    def kept():
        t = ClaimRejectMonth
        return sorted(t.select(t.month, t.payer, t.code, t.times).tuples())

    before = kept()
    ClaimRejectMonth.rebuild()
    assert kept() == before
