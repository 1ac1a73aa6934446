"""The claims queue's view counts and the start page's claims card come from claim_count,
kept by triggers on claim (migration 0159): after any sequence of actions each kept count
is what a fresh COUNT of the claims says."""

from datetime import date, timedelta

from flask import g
from peewee import SQL, fn
from playhouse.test_utils import count_queries

from portal.claims.claims import actions
from portal.claims.claims.models import NO_FOLLOW_UP, Claim, ClaimCount
from portal.claims.claims.queries import QUEUE_VIEWS, _view_parts, queue_counts
from portal.claims.claims.queue_views import today_lines
from portal.foundation.dates import today
from portal.foundation.db import write_transaction
from portal.reports.claims.queries import OPEN, DashboardFilters
from portal.reports.claims.queries import overdue as dashboard_overdue
from tests.factories import make_claim, make_payer, make_user
from tests.factories.claims import claims_user

TODAY = date(2025, 3, 20)


def fresh_counts() -> dict[tuple, int]:
    """Claims per (status, follow-up date, assignee), counted from the claim table itself."""
    key = (Claim.status, Claim.follow_up_on, Claim.assigned_to, Claim.payer)
    rows = Claim.select(*key, fn.COUNT(SQL("*"))).group_by(*key)
    return {
        (status, day or NO_FOLLOW_UP, assignee or 0, payer): n
        for status, day, assignee, payer, n in rows.tuples()
    }


def kept_counts() -> dict[tuple, int]:
    t = ClaimCount
    rows = t.select(t.status, t.follow_up_on, t.assignee, t.payer, t.claims).tuples()
    return {tuple(row[:4]): row[4] for row in rows if row[4]}


def counted_views(user, day: date = TODAY) -> dict[str, int]:
    """Each view counted over the claims, as the queue did before the counts were kept."""
    return {
        view: sum(Claim.select().where(part).count() for part in _view_parts(view, day, user))
        for view, _ in QUEUE_VIEWS
    }


def test_kept_counts_match_a_fresh_count_after_every_kind_of_action(app):
    biller = make_user(roles=("technician",))
    payer = make_payer()
    claims = [make_claim("submitted", payer=payer, today=TODAY) for _ in range(4)]
    claims.append(make_claim("draft", payer=payer, today=TODAY))
    claims.append(make_claim("rejected", payer=payer, today=TODAY))
    claims.append(make_claim("paid", payer=payer, today=TODAY))
    assert kept_counts() == fresh_counts()

    user = claims_user()
    with write_transaction():
        actions.assign(claims[0], user, biller)
        actions.set_follow_up(claims[0], user, TODAY - timedelta(days=5))  # overdue
        actions.set_follow_up(claims[1], user, TODAY + timedelta(days=5))  # waiting
        actions.set_follow_up(claims[2], user, None)  # no date: waiting
        actions.assign(claims[4], user, biller)
    actions.record_response(claims[3], user, "rejected", TODAY, reject_codes="75")
    actions.record_response(claims[1], user, "paid", TODAY, paid=claims[1].billed)
    actions.reverse(claims[6], user, "returned to stock")
    assert kept_counts() == fresh_counts()
    assert counted_views(biller) == queue_counts(TODAY, biller)

    with write_transaction():
        actions.assign(claims[0], user, None)
        actions.set_follow_up(claims[2], user, TODAY)  # due today: needs action
    Claim.delete().where(Claim.id == claims[4].id).execute()
    assert kept_counts() == fresh_counts()
    assert counted_views(biller) == queue_counts(TODAY, biller)
    assert counted_views(user) == queue_counts(TODAY, user)


def test_queue_and_start_page_counts_read_the_kept_rows_only(app):
    biller = make_user(roles=("technician",))
    user = claims_user()
    overdue = make_claim("submitted", today=TODAY)
    with write_transaction():
        actions.set_follow_up(overdue, user, TODAY - timedelta(days=2))
        actions.assign(overdue, user, biller)
    make_claim("rejected", today=TODAY)
    make_claim("submitted", today=TODAY)  # follow-up after today: waiting
    with count_queries() as counted:
        found = queue_counts(TODAY, biller)
    assert len(counted.get_queries()) == 1
    assert "claim_count" in counted.get_queries()[0].msg[0]
    assert found == {"action": 2, "waiting": 1, "mine": 1, "overdue": 1}

    with app.test_request_context("/"):
        g.user = biller
        lines = {line.text: line.count for line in today_lines(biller)}
        counted = counted_views(biller, today())
    assert lines["past their follow-up date"] == counted["overdue"] == 3  # today is later
    assert lines["assigned to you"] == counted["mine"] == 1


def test_an_empty_queue_counts_zero(app):
    assert queue_counts(TODAY, make_user(roles=("technician",))) == {
        "action": 0,
        "waiting": 0,
        "mine": 0,
        "overdue": 0,
    }


def test_dashboard_overdue_count_reads_the_kept_counts_for_all_payers_or_one(app):
    user = claims_user()
    payers = [make_payer(), make_payer()]
    for payer, days_late in ((payers[0], 3), (payers[0], 1), (payers[1], 2), (payers[1], -2)):
        claim = make_claim("submitted", payer=payer, today=TODAY)
        with write_transaction():
            actions.set_follow_up(claim, user, TODAY - timedelta(days=days_late))
    make_claim("paid", payer=payers[0], today=TODAY)
    overdue = Claim.status.in_(OPEN) & (Claim.follow_up_on < TODAY)
    for payer in (None, payers[0].id, payers[1].id):
        filters = DashboardFilters(TODAY - timedelta(days=365), TODAY, payer)
        counted = Claim.select().where(overdue, *([Claim.payer == payer] if payer else []))
        with count_queries() as statements:
            count, first = dashboard_overdue(filters, TODAY)
        assert count == counted.count() == len(first)
        assert "claim_count" in statements.get_queries()[0].msg[0]
    assert dashboard_overdue(DashboardFilters(TODAY, TODAY, payers[1].id), TODAY)[0] == 1
