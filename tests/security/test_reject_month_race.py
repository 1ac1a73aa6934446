"""Two terminals recording rejections of two claims of one month and payer at once: the kept
monthly reject-code counts (claim_reject_month) hold both, as a recount from the rows does."""

from datetime import date

from portal.reports.claims.models import ClaimRejectMonth
from tests.factories import make_claim, make_payer
from tests.security.concurrency import at_once, signed_in_clients

TODAY = date(2025, 3, 20)


def _kept() -> list[tuple]:
    t = ClaimRejectMonth
    return sorted(t.select(t.month, t.payer, t.code, t.times).tuples())


def test_two_rejections_of_one_month_and_payer_at_once_are_both_counted(app):
    payer = make_payer()
    claims = [
        make_claim("submitted", payer=payer, date_of_service=date(2025, 3, day), today=TODAY)
        for day in (3, 17)
    ]
    terminals = signed_in_clients(app, 2, "technician")

    def reject(terminal, claim, codes):
        return lambda: terminal.post(
            f"/claims/{claim.id}/response", data={"outcome": "rejected", "reject_codes": codes}
        )

    answers = at_once(
        [reject(terminals[0], claims[0], "75"), reject(terminals[1], claims[1], "75 79")]
    )
    assert [answer.status_code for answer in answers] == [302, 302]
    kept = _kept()
    assert [(code, n) for _, _, code, n in kept] == [("75", 2), ("79", 1)]
    ClaimRejectMonth.rebuild()
    assert _kept() == kept
