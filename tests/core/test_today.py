"""The start page's "today" cards: each area's waiting work, counted, linked, by role."""

import re
from datetime import date, timedelta
from decimal import Decimal

from portal.claims.claims.models import Claim
from portal.foundation.dates import local_today
from portal.prescriptions.fills import steps
from tests.factories import make_claim, make_cleaning, make_fill, make_lot, make_pharmacy, make_user


def _lines(html: str) -> dict[str, str]:
    """{words: count} of every line on the start page."""
    found = re.findall(r'<span class="today-count">(\d+|!)</span>\s*([^<]+)</a>', html)
    return {words.strip(): count for count, words in found}


def test_a_pharmacist_sees_fills_waiting_for_their_checks(app, client_as):
    make_pharmacy()
    make_fill()
    make_fill()
    pharmacist = client_as("pharmacist")
    html = pharmacist.get("/").get_data(as_text=True)
    assert _lines(html)["waiting for data verification"] == "2"
    assert "state=data_verify" in html


def test_a_returned_fill_is_shown_first_and_in_red(app, client_as):
    make_pharmacy()
    fill = make_fill()
    steps.return_data(fill, make_user(roles=("pharmacist",)), "Wrong strength entered", [])
    html = client_as("technician").get("/").get_data(as_text=True)
    assert _lines(html)["returned by a pharmacist"] == "1"
    first = html.index('class="today-line')
    assert "alert" in html[first : first + 40]


def test_expired_and_expiring_lots_are_counted(app, client_as):
    make_pharmacy()
    today = local_today("America/Chicago")
    make_lot(expires_on=today + timedelta(days=10), quantity=Decimal(5))
    make_lot(expires_on=today + timedelta(days=400), quantity=Decimal(5))
    html = client_as("technician").get("/").get_data(as_text=True)
    lines = _lines(html)
    assert lines["lots expiring within 30 days"] == "1"
    assert "expired lots still on the shelf" not in lines


def test_overdue_claims_are_counted_for_staff(app, client_as):
    make_pharmacy()
    claim = make_claim(status="rejected")
    Claim.update(follow_up_on=date.today() - timedelta(days=3)).where(
        Claim.id == claim.id
    ).execute()
    lines = _lines(client_as("manager").get("/").get_data(as_text=True))
    assert lines["past their follow-up date"] == "1"


def test_an_area_with_nothing_waiting_says_so(app, client_as):
    make_pharmacy()
    html = client_as("technician").get("/").get_data(as_text=True)
    assert "Nothing waiting." in html
    assert "<h3" in html


def test_an_admin_only_user_sees_no_work_cards(app, client_as):
    make_pharmacy()
    html = client_as("admin").get("/").get_data(as_text=True)
    assert "today-card" not in html


def test_overdue_cleaning_is_a_warning_without_a_number(app, client_as):
    make_pharmacy()
    html = client_as("technician").get("/").get_data(as_text=True)
    assert _lines(html)["Clean the work surfaces: cleaning is overdue"] == "!"
    make_cleaning()
    html = client_as("technician").get("/").get_data(as_text=True)
    assert "Clean the work surfaces" not in html


def test_compounding_records_to_approve_and_in_progress_are_counted(app, client_as):
    from tests.factories.compounding import complete_record, make_batch_record, stock_formula
    from tests.factories.formulas import make_formula

    make_pharmacy()
    make_cleaning()
    formula = make_formula(approved_by=True)
    stock_formula(formula)
    complete_record(make_batch_record(formula))
    make_batch_record(formula)
    make_batch_record(formula)
    lines = _lines(client_as("pharmacist").get("/").get_data(as_text=True))
    assert lines["records waiting for a pharmacist&#39;s approval"] == "1"
    assert lines["records in progress"] == "2"
