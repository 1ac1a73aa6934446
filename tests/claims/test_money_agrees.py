"""One definition of what is owed: the claim pages, the claim list's aging filter, the work
queue and the dashboard's aging all agree, claim by claim and to the cent."""

from datetime import date, timedelta
from decimal import Decimal as D

from portal.claims.claims import rules
from portal.claims.claims.queries import ClaimFilters, filtered_claims, work_queue
from portal.claims.remittance import importing
from portal.reports.claims import queries as dashboard
from portal.reports.claims.queries import DashboardFilters
from tests.claims.conftest import build_835
from tests.factories import claims_user, make_claim, make_coverage, make_patient, make_payer

TODAY = date(2025, 6, 30)


def test_outstanding_is_the_plan_amount_less_what_the_plan_paid():
    assert rules.outstanding(D("21.54"), D(0), D("15.75"), D("15.75"), D(0)) == 0
    assert rules.outstanding(D("30.00"), D(0), D("28.00"), D("20.00"), D(0)) == D("8.00")
    assert rules.outstanding(D("30.00"), D("12.00"), None, D(0), D(0)) == D("18.00")
    assert rules.outstanding(D("30.00"), D(0), D("28.00"), D("20.00"), D("8.00")) == 0
    assert rules.over_billed(D("11.32"), D("12.40"), D("5.00")) == D("6.08")


def _remit(payer, *claims):
    """Pay each (claim, paid, patient pay, contractual, other) by one PBM 835."""
    body, total = [], D(0)
    for claim, paid, patient, contractual, other in claims:
        body += [
            f"CLP*{claim.rx_number}*1*{claim.billed}*{paid}*{patient}*MC*X",
            f"NM1*QC*1*{claim.patient.last_name}*{claim.patient.first_name}",
            f"DTM*232*{claim.date_of_service:%Y%m%d}",
        ]
        body += [f"CAS*{g}*{r}*{a}" for g, r, a in (("PR", 3, patient), ("CO", 45, contractual),
                                                    ("OA", 119, other)) if D(a)]  # fmt: skip
        total += D(paid)
    header = (f"BPR*I*{total}*C*ACH************20250610", "TRN*1*AGREE1*1411111111",
              f"N1*PR*{payer.name}")  # fmt: skip
    importing.import_file(build_835(*body, header=header), "a.835", claims_user(), TODAY)


def test_claim_pages_queue_aging_and_dashboard_agree(app):
    payer = make_payer(name="CareDisc PBM", code="CDISC")

    def claim(days_ago, billed, status="submitted"):
        coverage = make_coverage(make_patient(), payer)
        return make_claim(status, coverage=coverage, ingredient_cost=D(billed),
                          dispensing_fee=D("0.00"), today=TODAY,
                          date_of_service=TODAY - timedelta(days=days_ago))  # fmt: skip

    copay, co45, short = claim(5, "17.75"), claim(40, "21.54"), claim(70, "30.00")
    waiting, rejected = claim(100, "12.00"), claim(200, "9.00", "rejected")
    _remit(
        payer,
        (copay, "15.75", "2.00", "0", "0"),
        (co45, "15.75", "2.00", "3.79", "0"),
        (short, "20.00", "2.00", "0", "8.00"),
    )
    claims = [c.__class__.get_by_id(c.id) for c in (copay, co45, short, waiting, rejected)]
    assert [c.status for c in claims] == ["paid", "paid", "partially_paid", "submitted",
                                          "rejected"]  # fmt: skip
    owed = {c.id: c.balance for c in claims if c.is_outstanding}
    assert owed == {claims[2].id: D("8.00"), claims[3].id: D("12.00"), claims[4].id: D("9.00")}

    board = dashboard.build(
        DashboardFilters(date_from=TODAY - timedelta(days=400), date_to=TODAY), TODAY
    )
    assert board.outstanding_amount == sum(owed.values()) == D("29.00")
    for row in board.aging:
        listed = filtered_claims(ClaimFilters(bucket=row.key), TODAY)
        assert row.amount == sum((c.balance for c in listed), D(0)), row.label
        assert row.count == len(listed)
    queue = {c.id for c in work_queue("action", TODAY, claims_user())}
    assert claims[0].id not in queue and claims[1].id not in queue  # copay, CO-45: done
    assert claims[2].id in queue and claims[4].id in queue
