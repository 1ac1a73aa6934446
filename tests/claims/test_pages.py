"""Claim pages: what technicians and managers see and do."""

import csv
import io
import re
from base64 import b64decode
from datetime import date, timedelta
from decimal import Decimal as D

from portal.claims.claims.models import Claim, ClaimEvent
from portal.claims.prior_auth.models import PriorAuthorization
from portal.foundation.dates import local_today
from tests.factories import make_claim, make_coverage, make_patient, make_payer
from tests.waiting import finish


def pharmacy_today():
    return local_today("America/Chicago")


def test_claim_page_explains_reject_75_and_offers_a_prior_authorization(client_as):
    tech = client_as("technician")
    claim = make_claim("rejected", reject_codes="75", today=pharmacy_today())
    page = tech.get(f"/claims/{claim.id}").get_data(as_text=True)
    assert "Prior Authorization Required" in page
    assert "start PA with prescriber; track PA number and dates" in page
    assert "Start prior authorization" in page


def test_a_rejection_since_paid_is_history_not_a_banner(client_as):
    tech = client_as("technician")
    claim = make_claim("rejected", reject_codes="07", today=pharmacy_today())
    tech.post(f"/claims/{claim.id}/resubmit", data={"reason": "member id from the new card"})
    assert "Last rejection" in tech.get(f"/claims/{claim.id}").get_data(as_text=True)
    tech.post(f"/claims/{claim.id}/response", data={"outcome": "paid", "paid": "12.00"})
    assert Claim.get_by_id(claim.id).status == "paid"
    page = tech.get(f"/claims/{claim.id}").get_data(as_text=True)
    assert "Last rejection" not in page and "reject-box" not in page
    assert "rejected: 07: Missing or invalid Cardholder ID" in page  # in the history


def test_technician_records_a_rejection_with_codes(client_as):
    tech = client_as("technician")
    claim = make_claim("submitted", today=pharmacy_today())
    response = tech.post(
        f"/claims/{claim.id}/response",
        data={"outcome": "rejected", "reject_codes": "75 76"},
    )
    assert response.status_code == 302
    stored = Claim.get_by_id(claim.id)
    assert stored.status == "rejected" and stored.reject_codes() == ["75", "76"]
    last = ClaimEvent.select().where(ClaimEvent.claim == claim).order_by(ClaimEvent.id.desc()).get()
    assert last.user_id == tech.user.id


def test_bad_response_is_shown_with_the_problem_and_nothing_saved(client_as):
    tech = client_as("technician")
    claim = make_claim("submitted", today=pharmacy_today())
    response = tech.post(
        f"/claims/{claim.id}/response",
        data={"outcome": "paid", "paid": "12.345", "reject_codes": ""},
    )
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "more than two decimal places" in page and 'value="12.345"' in page
    assert Claim.get_by_id(claim.id).status == "submitted"
    rejected = tech.post(f"/claims/{claim.id}/response", data={"outcome": "rejected"})
    assert rejected.status_code == 422
    assert "Type the reject codes" in rejected.get_data(as_text=True)
    bad_code = tech.post(
        f"/claims/{claim.id}/response", data={"outcome": "rejected", "reject_codes": "75, 7!"}
    )
    assert "not a code" in bad_code.get_data(as_text=True)


def test_illegal_move_is_refused_in_words(client_as):
    tech = client_as("technician")
    claim = make_claim("paid", today=pharmacy_today())
    response = tech.post(f"/claims/{claim.id}/appeal", data={"reason": "try"})
    assert response.status_code == 422
    assert "cannot move to" in response.get_data(as_text=True)
    assert Claim.get_by_id(claim.id).status == "paid"


def test_prior_authorization_started_and_approved_from_the_page(client_as):
    tech = client_as("technician")
    claim = make_claim("rejected", reject_codes="75", today=pharmacy_today())
    day = pharmacy_today()
    started = tech.post(
        f"/claims/{claim.id}/prior-authorization",
        data={"requested_on": day.isoformat(), "prescriber_contacted": "Dr. Ortiz, fax"},
    )
    assert started.status_code == 302
    pa = PriorAuthorization.get(PriorAuthorization.claim == claim)
    missing = tech.post(f"/claims/prior-authorizations/{pa.id}", data={"status": "approved"})
    assert missing.status_code == 422
    assert "comes with a PA number" in missing.get_data(as_text=True)
    tech.post(
        f"/claims/prior-authorizations/{pa.id}",
        data={
            "status": "approved",
            "pa_number": "PA-99812",
            "approved_on": day.isoformat(),
            "expires_on": (day + timedelta(days=180)).isoformat(),
        },
    )
    page = tech.get(f"/claims/{claim.id}").get_data(as_text=True)
    assert "PA-99812" in page and "Approved" in page


def test_work_queue_orders_by_follow_up_and_marks_overdue(client_as):
    tech = client_as("technician")
    today = pharmacy_today()
    late = make_claim("rejected", today=today - timedelta(days=5))
    Claim.update(follow_up_on=today - timedelta(days=2)).where(Claim.id == late.id).execute()
    soon = make_claim("rejected", today=today)
    make_claim("paid", today=today)
    page = tech.get("/claims/").get_data(as_text=True)
    assert page.index(late.claim_reference) < page.index(soon.claim_reference)
    row = re.search(r'<tr class="overdue">.*?</tr>', page, re.S).group(0)
    assert late.claim_reference in row and "Overdue" in row


def test_csv_export_of_a_filtered_list(client_as):
    tech = client_as("technician")
    payer = make_payer(name="Alpha Plan", code="ALPHA")
    other = make_payer(name="Beta Plan", code="BETA")
    kept = make_claim("rejected", payer=payer, ingredient_cost=D("19.99"), today=pharmacy_today())
    make_claim("rejected", payer=other, today=pharmacy_today())
    response = tech.get(f"/claims/export.csv?state=rejected&payer={payer.id}")
    assert response.mimetype == "text/csv"
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
    assert [row["claim_reference"] for row in rows] == [kept.claim_reference]
    assert rows[0]["billed"] == "30.49" and rows[0]["payer"] == "Alpha Plan"


def test_dashboard_is_for_managers_with_charts_and_tables(client_as):
    today = pharmacy_today()
    payer = make_payer(name="Alpha Plan")
    make_claim("rejected", payer=payer, date_of_service=today - timedelta(days=45), today=today)
    make_claim("paid", payer=payer, date_of_service=today - timedelta(days=10), today=today)
    assert client_as("technician").get("/reports/claims").status_code == 403
    page = client_as("manager").get("/reports/claims").get_data(as_text=True)
    row = re.search(r'<tr data-bucket="days_31_60">.*?</tr>', page, re.S).group(0)
    assert ">1<" in row and "$50.50" in row
    assert "50.0%" in page  # one of two claims rejected
    images = re.findall(r'src="data:image/svg\+xml;base64,([^"]+)"', page)
    assert len(images) == 4
    for encoded in images:
        svg = b64decode(encoded).decode()
        assert svg.startswith("<svg") and "<script" not in svg.lower()
        assert not re.search(r"\son\w+=", svg)


def test_dashboard_filters_by_payer(client_as):
    today = pharmacy_today()
    alpha, beta = make_payer(name="Alpha Plan"), make_payer(name="Beta Plan")
    make_claim("rejected", payer=alpha, today=today)
    make_claim("rejected", payer=beta, today=today)
    page = client_as("manager").get(f"/reports/claims?payer={beta.id}").get_data(as_text=True)
    assert "Beta Plan</td>" in page and "Alpha Plan</td>" not in page
    bad = client_as("manager").get("/reports/claims?from=2025-13-01")
    assert bad.status_code == 200 and "is not a date" in bad.get_data(as_text=True)


def test_835_upload_preview_post_and_second_import(client_as, sample_835):
    tech = client_as("technician")
    payer = make_payer(code="MEDRX", name="MedRx")
    claim = make_claim(
        "submitted",
        coverage=make_coverage(make_patient(last_name="Rivera", first_name="Ana"), payer),
        rx_number="100130",
        ingredient_cost=D("30.00"),
        dispensing_fee=D("0.00"),
        date_of_service=date(2025, 3, 18),
    )
    upload = {"file": (io.BytesIO(sample_835("unmatched").encode()), "unmatched.835")}
    preview = tech.post(
        "/claims/remittances/preview", data=upload, content_type="multipart/form-data"
    )
    page = preview.get_data(as_text=True)
    assert "2 lines will not post on import" in page and "Post these payments" in page
    assert Claim.get_by_id(claim.id).status == "submitted"
    text = sample_835("unmatched")
    posted = tech.post("/claims/remittances/import", data={"text": text, "file_name": "u.835"})
    remittance_page = finish(tech, posted).get_data(as_text=True)
    assert Claim.get_by_id(claim.id).status == "paid"
    assert remittance_page.count("Post to this claim") == 2
    again = tech.post(
        "/claims/remittances/preview",
        data={"file": (io.BytesIO(text.encode()), "unmatched.835")},
        content_type="multipart/form-data",
    )
    assert "Already imported" in again.get_data(as_text=True)
    assert "Post these payments" not in again.get_data(as_text=True)


def test_unreadable_835_is_refused_in_words(client_as):
    tech = client_as("technician")
    upload = {"file": (io.BytesIO(b"hello, not an 835"), "notes.txt")}
    response = tech.post(
        "/claims/remittances/preview", data=upload, content_type="multipart/form-data"
    )
    assert response.status_code == 422
    assert "could not be read as an 835" in response.get_data(as_text=True)


def test_manager_adds_a_reject_code_the_claim_page_then_explains(client_as):
    manager = client_as("manager")
    bad = manager.post(
        "/claims/settings",
        data={
            "dispensing_fee": "11.00",
            "compounding_fee": "15.00",
            "follow_up_days": "3",
            "return_to_stock_days": "10",
            "extra_reject_codes": "7!, nonsense",
        },
    )
    assert bad.status_code == 200 and "is not a reject code" in bad.get_data(as_text=True)
    saved = manager.post(
        "/claims/settings",
        data={
            "dispensing_fee": "11.00",
            "compounding_fee": "15.00",
            "follow_up_days": "3",
            "return_to_stock_days": "10",
            "extra_reject_codes": 'A7, Payer-specific hold, "call the help desk, option 3"',
        },
    )
    assert saved.status_code == 302
    claim = make_claim("rejected", reject_codes="A7", today=pharmacy_today())
    page = manager.get(f"/claims/{claim.id}").get_data(as_text=True)
    assert "Payer-specific hold" in page and "call the help desk, option 3" in page
    assert client_as("technician").get("/claims/settings").status_code == 403
    from portal.claims import settings as claim_settings

    assert claim_settings.dispensing_fee() == D("11.00")


def test_a_blank_or_odd_assignee_leaves_the_claim_unassigned(client_as):
    tech = client_as("technician")
    claim = make_claim("rejected", reject_codes="75", today=pharmacy_today())
    for odd in (" ", "²", "9" * 30):
        response = tech.post(f"/claims/{claim.id}/follow-up", data={"assigned_to": odd})
        assert response.status_code < 500, odd
    assert Claim.get_by_id(claim.id).assigned_to_id is None
