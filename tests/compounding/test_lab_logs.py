"""Lab logs: cleanings and balance checks are recorded, audited, and drive the cleaning warning."""

from datetime import date, timedelta
from decimal import Decimal

from portal.audit.models import AuditEvent
from portal.compounding.lab.models import BalanceCheck, CleaningLog
from portal.compounding.lab.rules import balance_check, cleaning_overdue
from portal.foundation import settings
from portal.foundation.dates import utcnow
from portal.foundation.db import write_transaction

D = Decimal


def test_cleaning_on_the_day_covers_that_day_only_with_a_daily_interval():
    monday = date(2026, 3, 2)
    assert not cleaning_overdue(monday, monday, 1)
    assert cleaning_overdue(monday, monday + timedelta(days=1), 1)


def test_cleaning_interval_of_three_days_covers_three_days():
    monday = date(2026, 3, 2)
    assert not cleaning_overdue(monday, monday + timedelta(days=2), 3)
    assert cleaning_overdue(monday, monday + timedelta(days=3), 3)


def test_never_cleaned_is_overdue():
    assert cleaning_overdue(None, date(2026, 3, 2), 1)


def test_balance_within_a_tenth_of_a_percent_passes_limits_included():
    assert balance_check(D("100"), D("100.1"), D("0.10")) == (D("0.1"), True)
    off, ok = balance_check(D("100"), D("100.1001"), D("0.10"))
    assert not ok and off > D("0.1")


def test_overdue_cleaning_shows_a_warning_on_the_compounding_screens(client_as):
    client = client_as("technician")
    text = client.get("/compounding/").get_data(as_text=True)
    assert "Cleaning overdue." in text
    assert "No cleaning of the work surfaces has been recorded yet." in text


def test_recording_a_work_surface_cleaning_clears_the_warning_and_is_audited(client_as):
    client = client_as("technician")
    response = client.post(
        "/compounding/lab/cleaning",
        data={
            "cleaning-target": "work_surfaces",
            "cleaning-agent": "70% isopropyl alcohol",
            "cleaning-notes": "",
        },
    )
    assert response.status_code == 302
    entry = CleaningLog.get()
    assert entry.cleaned_by_id == client.user.id
    assert entry.agent == "70% isopropyl alcohol"
    event = AuditEvent.get(AuditEvent.entity == "cleaning_log")
    assert event.action == "create" and event.user_id == client.user.id
    assert "Cleaning overdue." not in client.get("/compounding/").get_data(as_text=True)


def test_yesterdays_cleaning_does_not_cover_today(client_as):
    client = client_as("technician")
    with write_transaction():
        CleaningLog.create(
            target="work_surfaces",
            agent="70% IPA",
            cleaned_by=client.user,
            cleaned_at=utcnow() - timedelta(days=2),
        )
    text = client.get("/compounding/calculations").get_data(as_text=True)
    assert "Cleaning overdue." in text
    assert "The work surfaces were last cleaned on" in text


def test_cleaning_equipment_only_does_not_count_for_the_work_surfaces(client_as):
    client = client_as("technician")
    client.post(
        "/compounding/lab/cleaning",
        data={
            "cleaning-target": "equipment",
            "cleaning-equipment": "Ointment mill",
            "cleaning-agent": "Detergent",
        },
    )
    assert CleaningLog.get().what == "Equipment: Ointment mill"
    assert "Cleaning overdue." in client.get("/compounding/").get_data(as_text=True)


def test_cleaning_interval_setting_is_honoured(client_as):
    client = client_as("technician")
    with write_transaction():
        settings.put("compounding.cleaning_interval_days", 3)
        CleaningLog.create(
            target="work_surfaces",
            agent="70% IPA",
            cleaned_by=client.user,
            cleaned_at=utcnow() - timedelta(days=1),
        )
    assert "Cleaning overdue." not in client.get("/compounding/").get_data(as_text=True)


def test_equipment_cleaning_must_name_the_equipment(client_as):
    client = client_as("technician")
    response = client.post(
        "/compounding/lab/cleaning",
        data={"cleaning-target": "equipment", "cleaning-agent": "Detergent"},
    )
    assert response.status_code == 422
    assert "Name the equipment cleaned" in response.get_data(as_text=True)
    assert CleaningLog.select().count() == 0


def test_balance_check_pass_is_computed_and_audited(client_as):
    client = client_as("pharmacist")
    response = client.post(
        "/compounding/lab/balance",
        data={
            "balance-balance": "B1",
            "balance-standard_weight": "100",
            "balance-unit": "g",
            "balance-reading": "100.05",
        },
        follow_redirects=True,
    )
    assert "Balance B1 passed" in response.get_data(as_text=True)
    check = BalanceCheck.get()
    assert check.within_tolerance is True
    assert check.deviation_percent == D("0.05")
    assert check.tolerance_percent == D("0.1")
    assert AuditEvent.get(AuditEvent.entity == "balance_check").user_id == client.user.id


def test_failed_balance_check_is_recorded_and_says_not_to_use_it(client_as):
    client = client_as("technician")
    response = client.post(
        "/compounding/lab/balance",
        data={
            "balance-balance": "B2",
            "balance-standard_weight": "50",
            "balance-unit": "g",
            "balance-reading": "50.2",
        },
        follow_redirects=True,
    )
    text = response.get_data(as_text=True)
    assert "Balance B2 FAILED" in text
    assert "Do not weigh on it" in text
    assert BalanceCheck.get().within_tolerance is False


def test_balance_check_with_a_bad_number_writes_nothing(client_as):
    client = client_as("technician")
    response = client.post(
        "/compounding/lab/balance",
        data={
            "balance-balance": "B1",
            "balance-standard_weight": "ten",
            "balance-unit": "g",
            "balance-reading": "10",
        },
    )
    assert response.status_code == 422
    assert "is not a number" in response.get_data(as_text=True)
    assert BalanceCheck.select().count() == 0
