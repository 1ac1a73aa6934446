"""The manager's claims dashboard at 200k claims: p50 against computing it in Python.

What is timed: portal.reports.claims.queries.build (every figure, from the per-day-and-payer sums
that Claim.save keeps in ClaimDayTotal, plus the indexed reject-code and overdue queries),
and the whole page request (/reports/claims, four pygal charts and their tables rendered)
through the test client, for the default last twelve months and for one payer. Also shown:
the same GROUP BY run over the claims themselves (what the day totals save), and what
keeping them costs a write. The baseline, in the same process, reads every claim row in the
range into Python and adds the figures up there; SQL and Python must agree to the cent.
Target: the page's p50 at most 150 ms.
"""

import os
import secrets
from collections import Counter, defaultdict
from datetime import date

from bench.common import p50, report, timings
from bench.datagen import make_claims, scratch_app
from portal.auth.models import TerminalSession, User
from portal.claims.claims import actions
from portal.claims.claims.aging import bucket_for
from portal.claims.claims.models import Claim, ClaimReject
from portal.foundation.dates import local_today
from portal.foundation.money import ZERO
from portal.reports.claims import queries as dashboard
from portal.reports.claims.models import claim_sums
from portal.reports.claims.queries import NOT_BILLED, OUTSTANDING, DashboardFilters

CLAIMS = int(os.environ.get("BENCH_CLAIMS", "200000"))
REPEAT = 40


def python_figures(filters: DashboardFilters, today: date) -> dict:
    """The baseline: every claim in range read into Python, the figures added up there."""
    query = Claim.select().where(Claim.date_of_service.between(filters.date_from, filters.date_to))
    if filters.payer:
        query = query.where(Claim.payer == filters.payer)
    aging = defaultdict(lambda: [0, ZERO])
    payers = defaultdict(lambda: [0, 0, ZERO, ZERO])
    months = defaultdict(lambda: [0, ZERO, ZERO])
    for claim in query:
        if claim.status in OUTSTANDING:
            bucket = aging[bucket_for(min(claim.date_of_service, today), today)]
            bucket[0] += 1
            bucket[1] += claim.balance
        billed = (
            claim.billed
            if (claim.primary_claim_id is None and claim.status not in NOT_BILLED)
            else ZERO
        )
        row = payers[claim.payer_id]
        row[0] += claim.status != "draft"
        row[1] += claim.times_rejected > 0
        row[2] += billed
        row[3] += claim.paid
        month = months[claim.date_of_service.strftime("%Y-%m")]
        month[0] += 1
        month[1] += billed
        month[2] += claim.paid
    code_query = (
        ClaimReject.select(ClaimReject.code)
        .join(Claim)
        .where(Claim.date_of_service.between(filters.date_from, filters.date_to))
    )
    if filters.payer:
        code_query = code_query.where(Claim.payer == filters.payer)
    codes = Counter(code for (code,) in code_query.tuples())
    return {"aging": dict(aging), "payers": dict(payers), "months": dict(months), "codes": codes}


def check_agreement(filters: DashboardFilters, today: date) -> None:
    """SQL and Python must give the same figures, to the cent."""
    sql = dashboard.build(filters, today)
    py = python_figures(filters, today)
    for row in sql.aging:
        count, amount = py["aging"].get(row.label, [0, ZERO])
        assert (row.count, row.amount) == (count, amount), (row, count, amount)
    for row in sql.payers:
        assert [row.claims, row.rejected, row.billed, row.paid] == py["payers"][row.payer_id]
    assert {m.month: [m.claims, m.billed, m.paid] for m in sql.months} == py["months"]
    top = sorted(py["codes"].items(), key=lambda item: (-item[1], item[0]))[:10]
    assert sql.reject_codes == top, (sql.reject_codes, top)


def main() -> None:
    app = scratch_app("claims_dashboard")
    with app.app_context():
        made = make_claims(CLAIMS)
        print(f"{made} claims, {ClaimReject.select().count()} reject codes")
        today = local_today("America/Chicago")
        year = DashboardFilters.default(today)
        one_payer = DashboardFilters(year.date_from, year.date_to, payer=1)
        check_agreement(year, today)
        check_agreement(one_payer, today)
        print("SQL figures agree with the Python baseline to the cent")

        baseline = timings(lambda: python_figures(year, today), repeat=2, warmup=0)
        report("baseline: figures in Python, 12 months", baseline)
        live = year.where(claim_sums())
        report(
            "GROUP BY over the claims themselves, 12 months",
            timings(lambda: list(live.tuples()), repeat=10),
            baseline,
        )
        report(
            "dashboard.build (SQL), 12 months",
            timings(lambda: dashboard.build(year, today), repeat=REPEAT),
            baseline,
            target_ms=150,
        )
        report(
            "dashboard.build (SQL), 12 months, one payer",
            timings(lambda: dashboard.build(one_payer, today), repeat=REPEAT),
            baseline,
            target_ms=150,
        )

        manager = User.create(
            username="benchmgr",
            full_name="Bench Manager",
            roles="manager",
            password_hash=secrets.token_hex(16),
        )
        terminal = TerminalSession.create(terminal="bench-mgr", user=manager, signed_in_by=manager)
        client = app.test_client()
        with client.session_transaction() as session:
            session["terminal"] = terminal.terminal

        def page(query=None):
            response = client.get("/reports/claims", query_string=query or {})
            assert response.status_code == 200, response.status_code

        whole_page = timings(page, repeat=REPEAT)
        report("GET /reports/claims (charts + tables)", whole_page, baseline, target_ms=150)
        print(f"  the page is {p50(baseline) / p50(whole_page):,.0f}x faster than the baseline")
        report(
            "GET /reports/claims?payer=1",
            timings(lambda: page({"payer": "1"}), repeat=REPEAT),
            baseline,
            target_ms=150,
        )

        # What keeping the day totals costs a write: a claim answered, its day recomputed.
        drafts = iter(Claim.select().where(Claim.status == "draft").order_by(Claim.id))

        def respond():
            actions.record_response(next(drafts), manager, "rejected", today, reject_codes="75")

        report("write: record a rejection (day total kept)", timings(respond, repeat=REPEAT))
