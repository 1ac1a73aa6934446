"""The claims work queue comes 50 claims at a time: "Show the next 50" brings the rest in
place and puts the focus on the first new claim, so the keyboard carries on from there."""

from datetime import timedelta

from playwright.sync_api import expect

from portal.claims.claims.models import Claim
from portal.foundation.dates import today
from tests.e2e.conftest import screenshot
from tests.e2e.helpers import axe_violations, show_the_next_50, sign_in
from tests.factories import make_claim, make_pharmacy, make_user


def test_show_the_next_50_claims_moves_focus_to_the_first_new_claim(page, live_server):
    make_pharmacy()
    technician = make_user(roles=("technician",))
    claims = []
    for n in range(53):  # one a day, oldest follow-up first: the queue's order
        claim = make_claim("rejected")
        Claim.update(follow_up_on=today() + timedelta(days=n)).where(Claim.id == claim.id).execute()
        claims.append(claim)
    sign_in(page, live_server, technician)
    page.goto(f"{live_server.url}/claims/")
    rows = page.locator("#queue-rows tbody tr:not(#more-row)")
    expect(rows).to_have_count(50)
    first_new = show_the_next_50(page, rows, 53)
    expect(first_new).to_have_text(claims[50].claim_reference)
    expect(rows.nth(52)).to_contain_text(claims[52].claim_reference)
    screenshot(page, "claims-queue-next-rows")
    assert axe_violations(page) == []
