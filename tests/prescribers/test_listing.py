"""The prescribers list a page at a time (keyset by last name, first name, id): every
prescriber on exactly one page in order, ties on the name included; back goes back; the
search and "include inactive" narrow every page; a bad boundary gives the first page."""

import pytest
from playhouse.test_utils import count_queries

from portal.prescribers import listing
from portal.prescribers.models import Prescriber
from tests.factories import make_prescriber

# Ties on the whole name, so only the id keeps them apart (and in one order).
NAMES = [
    ("Lee", "Ana"),
    ("Okafor", "Grace"),
    ("Lee", "Ana"),
    ("Adams", "Jo"),
    ("Lee", "Jo"),
    ("Nguyen", "Li"),
    ("Lee", "Ana"),
    ("Adams", "Jo"),
    ("Lee", "Ana"),
    ("Brown", "Omar"),
    ("Lee", "Jo"),
]


def _by_name(prescribers):
    return [p.id for p in sorted(prescribers, key=lambda p: (p.last_name, p.first_name, p.id))]


def _ids(page):
    return [p.id for p in page.rows]


def _walk_forward(size, **filters):
    pages = [listing.page(size=size, **filters)]
    while pages[-1].has_next:
        pages.append(listing.page(after=pages[-1].after, size=size, **filters))
    return pages


@pytest.fixture
def prescribers(app):
    return [make_prescriber(last_name=last, first_name=first) for last, first in NAMES]


def test_pages_hold_every_prescriber_once_in_name_order_ties_included(prescribers):
    pages = _walk_forward(size=3)
    assert [len(page.rows) for page in pages] == [3, 3, 3, 2]
    assert [i for page in pages for i in _ids(page)] == _by_name(prescribers)
    assert [(page.has_previous, page.has_next) for page in pages] == [
        (False, True),
        (True, True),
        (True, True),
        (True, False),
    ]
    assert pages[0].before is None and pages[-1].after is None


def test_previous_goes_back_page_by_page_to_the_whole_first_page(prescribers):
    forward = _walk_forward(size=3)
    back = [forward[-1]]
    while back[-1].has_previous:
        back.append(listing.page(before=back[-1].before, size=3))
    assert [_ids(page) for page in back] == [_ids(page) for page in reversed(forward)]
    assert [(page.has_previous, page.has_next) for page in back] == [
        (page.has_previous, page.has_next) for page in reversed(forward)
    ]


def test_back_from_near_the_start_shows_the_first_page_whole(prescribers):
    """A page that began one row in (a link made before a prescriber was added) goes back
    to the first page of a full size, not to a page of one."""
    order = _by_name(prescribers)
    second = listing.page(after=order[0], size=3)
    assert _ids(second) == order[1:4] and second.has_previous
    first = listing.page(before=second.before, size=3)
    assert _ids(first) == order[:3]
    assert (first.has_previous, first.has_next) == (False, True)


def test_search_and_include_inactive_narrow_every_page(prescribers):
    Prescriber.update(active=False).where(Prescriber.id.in_(_by_name(prescribers)[3:5])).execute()
    lees = [p for p in prescribers if p.last_name == "Lee"]
    active_lees = [p for p in lees if p.id not in _by_name(prescribers)[3:5]]
    shown = [i for page in _walk_forward(size=2, text="lee") for i in _ids(page)]
    assert shown == _by_name(active_lees)
    shown = [
        i for page in _walk_forward(size=2, text="lee", include_inactive=True) for i in _ids(page)
    ]
    assert shown == _by_name(lees)
    everyone = [i for page in _walk_forward(size=4, include_inactive=True) for i in _ids(page)]
    assert everyone == _by_name(prescribers)
    assert len([i for page in _walk_forward(size=4) for i in _ids(page)]) == len(prescribers) - 2
    two_words = [i for page in _walk_forward(size=1, text="lee, jo") for i in _ids(page)]
    assert two_words == _by_name([p for p in lees if p.first_name == "Jo"])


def test_a_boundary_deactivated_since_still_marks_its_place(prescribers):
    first = listing.page(size=3)
    Prescriber.update(active=False).where(Prescriber.id == first.after).execute()
    second = listing.page(after=first.after, size=3)
    assert _ids(second) == _by_name(prescribers)[3:6]
    assert second.has_previous  # the first two are still there before it
    back = listing.page(before=second.before, size=3)
    assert _ids(back) == _by_name(prescribers)[:2] + _by_name(prescribers)[3:4]


@pytest.mark.parametrize(
    "boundary",
    ["", "abc", "-3", "1.5", "1e3", " ", "0", "99999999", "9" * 40, "١٢", None, "1; DROP"],
)
def test_a_bad_or_unknown_boundary_gives_the_first_page(prescribers, boundary):
    first = _ids(listing.page(size=3))
    assert _ids(listing.page(after=boundary, size=3)) == first
    assert _ids(listing.page(before=boundary, size=3)) == first


def test_a_page_after_the_last_prescriber_or_before_the_first_gives_the_first_page(prescribers):
    order = _by_name(prescribers)
    assert _ids(listing.page(after=order[-1], size=3)) == order[:3]
    assert _ids(listing.page(before=order[0], size=3)) == order[:3]
    assert _ids(listing.page(after="", before=order[-1], size=3)) == order[-4:-1]


def test_an_empty_list_is_one_empty_page(app):
    page = listing.page(after="1", size=3)
    assert (page.rows, page.has_previous, page.has_next) == ([], False, False)


def test_a_page_costs_a_few_statements_however_far_in(prescribers):
    with count_queries() as first:
        listing.page(size=3)
    with count_queries() as later:
        listing.page(after=_by_name(prescribers)[5], size=3)
    assert (first.count, later.count) == (1, 2)  # the boundary, then the page


def test_the_list_page_links_50_at_a_time_carrying_the_search(client_as):
    for n in range(55):
        make_prescriber(last_name=f"Lee{n:02d}", first_name="Ana")
    make_prescriber(last_name="Okafor", first_name="Grace", active=False)
    client = client_as("technician")
    text = client.get("/prescribers/?q=lee").get_data(as_text=True)
    assert "Lee49" in text and "Lee50" not in text
    assert "Next 50" in text and "Previous 50" not in text
    after = Prescriber.get(Prescriber.last_name == "Lee49").id
    assert f'href="/prescribers/?after={after}&amp;q=lee"' in text
    partial = client.get(
        f"/prescribers/?after={after}&q=lee", headers={"HX-Request": "true"}
    ).get_data(as_text=True)
    assert "<html" not in partial and "Lee50" in partial and "Lee54" in partial
    assert "Lee49" not in partial and "Previous 50" in partial and "Next 50" not in partial
    first = Prescriber.get(Prescriber.last_name == "Lee50").id
    assert f'href="/prescribers/?before={first}&amp;q=lee"' in partial
    inactive = client.get("/prescribers/?q=okafor&inactive=1").get_data(as_text=True)
    assert "Okafor" in inactive and "Next 50" not in inactive


def test_the_list_page_answers_bad_boundaries_with_the_first_page(client_as):
    make_prescriber(last_name="Whitfield")
    client = client_as("technician")
    for query in ("after=x", "before=-1", "after=99999999999999999999", "before=%00", "after=1.5"):
        response = client.get(f"/prescribers/?{query}")
        assert response.status_code == 200 and b"Whitfield" in response.data, query
