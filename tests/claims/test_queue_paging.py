"""The claims work queue comes a page at a time (keyset: the claims after the last one
shown), and paging through it shows every claim once, in the queue's order."""

import re
from datetime import timedelta
from decimal import Decimal

from portal.claims.claims import queries
from portal.claims.claims.models import Claim
from portal.foundation.dates import today as pharmacy_today
from tests.factories import make_claim, make_user


def _claims(today):
    """Ties on the follow-up date and on the balance, claims with none, and sub-cent-looking
    balances (20.10 - 5.05 is not 15.05 in floating point)."""
    follow_ups = [3, 1, 1, 5, None, 2, 2, 2, 9, None, 4, 1, 6, None, 2, 1]
    costs = ["10.00", "11.00", "11.00", "9.55", "12.00", "4.55", "4.55", "4.55", "13.00",
             "12.00", "8.00", "11.00", "7.00", "6.00", "9.00", "3.00"]  # fmt: skip
    made = []
    for days, cost in zip(follow_ups, costs, strict=True):
        claim = make_claim("rejected", ingredient_cost=Decimal(cost))
        when = today - timedelta(days=days) if days is not None else None
        Claim.update(follow_up_on=when).where(Claim.id == claim.id).execute()
        made.append(Claim.get_by_id(claim.id))
    far = max(c.follow_up_on for c in made if c.follow_up_on)
    return sorted(
        made,
        key=lambda c: (c.follow_up_on is None, c.follow_up_on or far, -c.balance, c.id),
    )


def test_paging_the_queue_shows_every_claim_once_in_order(app):
    today = pharmacy_today()
    user = make_user()
    expected = [claim.id for claim in _claims(today)]
    for size in (1, 2, 3, 5, 7, 16, 50):
        seen, after = [], None
        while True:
            page = queries.queue_page("action", today, user, after=after, size=size)
            assert len(page.claims) <= size
            seen += [claim.id for claim in page.claims]
            if page.next_cursor is None:
                break
            after = queries.QueueCursor.decode(page.next_cursor.encode())
        assert seen == expected, size


def test_a_cursor_that_cannot_be_read_is_the_first_page():
    for text in ("", None, "garbage", "2026-13-01.5.7", "none.x.7", "1.2.3.4"):
        assert queries.QueueCursor.decode(text) is None
    cursor = queries.QueueCursor.decode("none.1550.42")
    assert cursor == queries.QueueCursor(None, 1550, 42)


def test_the_page_has_a_show_the_next_button_that_brings_the_rest(client_as, monkeypatch):
    monkeypatch.setattr(queries, "QUEUE_PAGE", 3)
    tech = client_as("technician")
    today = pharmacy_today()
    expected = [claim.id for claim in _claims(today)][:6]
    page = tech.get("/claims/").get_data(as_text=True)
    shown = re.findall(r'href="/claims/(\d+)"', page)
    assert len(shown) == 3
    more = re.search(r'hx-get="([^"]+)"[^>]*>Show the next 3<', page)
    assert more, "no Show the next button"
    rest = tech.get(more.group(1).replace("&amp;", "&"), headers={"HX-Request": "true"})
    body = rest.get_data(as_text=True)
    assert "<table" not in body and "<html" not in body  # rows only, swapped in place
    following = re.findall(r'href="/claims/(\d+)"( data-swap-focus)?', body)
    assert following[0][1] == " data-swap-focus"  # the keyboard carries on from the first
    assert not set(shown) & {claim_id for claim_id, _ in following}
    assert [int(n) for n in shown + [n for n, _ in following]] == expected


def test_needs_action_merges_its_two_parts_in_the_queue_order(app):
    """Rejected claims and waiting claims past their follow-up are read apart and merged: the
    pages still hold every claim once, in the order of sorting them all together."""
    today = pharmacy_today()
    user = make_user()
    rows = [("rejected", 3, "10.00"), ("submitted", 3, "10.00"), ("submitted", 1, "12.00"),
            ("draft", None, "5.00"), ("submitted", -2, "9.00"), ("rejected", 1, "12.00"),
            ("appealed", 2, "7.00"), ("rejected", None, "8.00"), ("submitted", 5, "3.00"),
            ("rejected", 2, "7.00"), ("paid", 4, "6.00"), ("submitted", None, "4.00")]  # fmt: skip
    for status, days, cost in rows:
        claim = make_claim(status, ingredient_cost=Decimal(cost))
        when = today - timedelta(days=days) if days is not None else None
        Claim.update(follow_up_on=when).where(Claim.id == claim.id).execute()
    shown = Claim.select().where(queries._needs_action(today))
    far = today + timedelta(days=999)
    expected = [
        c.id
        for c in sorted(
            shown, key=lambda c: (c.follow_up_on is None, c.follow_up_on or far, -c.balance, c.id)
        )  # fmt: skip
    ]
    assert len(expected) == 9  # rejected, draft, and the waiting ones past their follow-up
    for size in (1, 2, 3, 4, 8, 9):
        seen, after = [], None
        while True:
            page = queries.queue_page("action", today, user, after=after, size=size)
            seen += [claim.id for claim in page.claims]
            if page.next_cursor is None:
                break
            after = queries.QueueCursor.decode(page.next_cursor.encode())
        assert seen == expected, size
