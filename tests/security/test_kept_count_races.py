"""Two terminals changing fills or claims of one kept count at the same moment: the kept
counts (fill_count, claim_count, migration 0159) hold both changes, as a fresh COUNT does."""

from datetime import date

from portal.prescriptions.fills.models import Fill
from tests.claims.test_kept_claim_counts import fresh_counts as fresh_claim_counts
from tests.claims.test_kept_claim_counts import kept_counts as kept_claim_counts
from tests.factories import make_claim, make_fill, make_payer
from tests.prescriptions.test_kept_queue_counts import fresh_counts as fresh_fill_counts
from tests.prescriptions.test_kept_queue_counts import kept_counts as kept_fill_counts
from tests.security.concurrency import at_once, signed_in_clients

TODAY = date(2025, 3, 20)


def _hold(terminal, fill):
    return lambda: terminal.post(f"/fills/{fill.id}/hold", data={"reason": "patient will call"})


def test_two_fills_of_one_tab_held_at_once_are_both_counted(app):
    fills = [make_fill(), make_fill(), make_fill()]
    terminals = signed_in_clients(app, 2, "technician")
    answers = at_once([_hold(terminals[0], fills[0]), _hold(terminals[1], fills[1])])
    assert [answer.status_code for answer in answers] == [302, 302]
    assert kept_fill_counts() == fresh_fill_counts()
    assert kept_fill_counts()[("on_hold", 2)] == 2
    assert kept_fill_counts()[("data_verify", 2)] == 1


def test_one_fill_held_from_two_terminals_at_once_is_counted_once(app):
    fill = make_fill()
    terminals = signed_in_clients(app, 2, "technician")
    answers = at_once([_hold(terminals[0], fill), _hold(terminals[1], fill)])
    assert sorted(answer.status_code for answer in answers)[0] in (200, 302)
    assert Fill.get_by_id(fill.id).status == "on_hold"
    assert kept_fill_counts() == fresh_fill_counts() == {("on_hold", 2): 1}


def test_two_claims_given_one_follow_up_date_at_once_are_both_counted(app):
    payer = make_payer()
    claims = [make_claim("submitted", payer=payer, today=TODAY) for _ in range(2)]
    terminals = signed_in_clients(app, 2, "technician")

    def follow_up(terminal, claim):
        return lambda: terminal.post(
            f"/claims/{claim.id}/follow-up", data={"follow_up_on": "2025-03-25", "assigned_to": ""}
        )

    answers = at_once([follow_up(terminals[0], claims[0]), follow_up(terminals[1], claims[1])])
    assert [answer.status_code for answer in answers] == [302, 302]
    assert kept_claim_counts() == fresh_claim_counts()
    assert kept_claim_counts()[("submitted", date(2025, 3, 25), 0, payer.id)] == 2
