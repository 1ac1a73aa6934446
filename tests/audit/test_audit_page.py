"""The manager's audit page: filters, keyset pages, CSV export, chain check."""

import csv
import io
from datetime import datetime, timedelta

from portal.audit import log as audit
from portal.audit.models import AuditEvent
from portal.foundation.db import write_transaction
from tests.factories import make_user


def _events(user, count, **fields):
    with write_transaction():
        for number in range(count):
            audit.record(
                fields.get("action", "view"),
                fields.get("entity", "patient"),
                number,
                patient_id=fields.get("patient_id"),
                user=user,
            )


def test_technicians_and_pharmacists_cannot_read_the_trail(client_as):
    assert client_as("technician").get("/audit/").status_code == 403
    assert client_as("pharmacist").get("/audit/").status_code == 403
    assert client_as("technician").get("/audit/export.csv").status_code == 403


def test_who_looked_at_this_patient(client_as):
    manager = client_as("manager")
    nosy = make_user(roles=("technician",), full_name="Nora Nosy")
    other = make_user(roles=("technician",), full_name="Otto Other")
    _events(nosy, 1, patient_id=42)
    _events(other, 1, patient_id=7)
    page = manager.get("/audit/?patient=42")
    assert b"Nora Nosy</a>" in page.data
    assert b"Otto Other</a>" not in page.data


def test_filters_by_user_action_and_entity(client_as):
    manager = client_as("manager")
    alice = make_user(roles=("pharmacist",), full_name="Alice Able")
    bob = make_user(roles=("technician",), full_name="Bob Baker")
    _events(alice, 2, action="verify", entity="fill")
    _events(bob, 3, action="update", entity="patient")
    page = manager.get(f"/audit/?user={alice.id}&action=verify&entity=fill")
    assert page.data.count(b">verify</span>") == 2
    assert b"Bob Baker</a>" not in page.data


def test_date_range_is_in_the_pharmacys_local_dates(client_as):
    manager = client_as("manager")
    user = make_user(roles=("technician",), full_name="Late Larry")
    _events(user, 1)
    event = AuditEvent.select().where(AuditEvent.user_id == user.id).get()
    # 03:30 UTC on 2 March is still 1 March in Chicago (the test pharmacy's zone)
    AuditEvent.update(at=datetime(2030, 3, 2, 3, 30)).where(AuditEvent.id == event.id).execute()
    assert b"Late Larry</a>" in manager.get("/audit/?date_from=2030-03-01&date_to=2030-03-01").data
    assert (
        b"Late Larry</a>" not in manager.get("/audit/?date_from=2030-03-02&date_to=2030-03-02").data
    )
    page = manager.get("/audit/?date_from=2030-03-02&date_to=2030-03-01")
    assert b"The end date is before the start date." in page.data


def test_pages_of_fifty_newest_first(client_as):
    manager = client_as("manager")
    user = make_user(roles=("technician",))
    _events(user, 120)
    first = manager.get(f"/audit/?user={user.id}")
    assert first.data.count(b'class="action action-view"') == 50
    assert b"Older events" in first.data
    newest = AuditEvent.select().where(AuditEvent.user_id == user.id).order_by(AuditEvent.id.desc())
    ids = [e.id for e in newest]
    assert f"#{ids[0]}".encode() in first.data and f"#{ids[50]}<".encode() not in first.data
    third = manager.get(f"/audit/?user={user.id}&before={ids[99]}")
    assert third.data.count(b'class="action action-view"') == 20
    assert b"Older events" not in third.data


def test_before_and_after_are_shown_field_by_field(client_as):
    manager = client_as("manager")
    with write_transaction():
        audit.record(
            "update", "patient", 5, before={"phone": "555-0100"}, after={"phone": "555-0199"}
        )
    page = manager.get("/audit/?action=update")
    assert b"<del>555-0100</del>" in page.data and b"<ins>555-0199</ins>" in page.data


def test_csv_export_of_the_filtered_list_is_itself_audited(client_as):
    manager = client_as("manager")
    user = make_user(roles=("technician",), full_name="Cara Csv")
    _events(user, 3, patient_id=9)
    _events(make_user(roles=("technician",)), 2, patient_id=10)
    response = manager.get("/audit/export.csv?patient=9")
    assert response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
    assert len(rows) == 3 and {row["actor"] for row in rows} == {"Cara Csv"}
    assert rows[0]["hash"] and rows[0]["at_local"]
    export = AuditEvent.select().where(AuditEvent.action == "export").get()
    assert export.user_id == manager.user.id and "patient" in export.note


def test_check_the_chain_button_reports_tampering(client_as):
    from portal.foundation.db import db

    manager = client_as("manager")
    _events(make_user(), 3)
    ok = manager.post("/audit/verify", follow_redirects=True)
    assert b"The audit trail is intact" in ok.data
    victim = AuditEvent.select().order_by(AuditEvent.id).first()
    db.execute_sql(f"UPDATE audit_event SET actor = 'Someone Else' WHERE id = {victim.id}")
    broken = manager.post("/audit/verify", follow_redirects=True)
    assert f"BROKEN at event {victim.id}".encode() in broken.data


def test_tampering_in_sql_makes_audit_verify_fail_naming_the_row(app, runner):
    from portal.foundation.db import db

    user = make_user()
    _events(user, 5)
    target = AuditEvent.select().order_by(AuditEvent.id).offset(2).first()
    moved = (target.at - timedelta(hours=1)).isoformat(sep=" ")
    db.execute_sql(f"UPDATE audit_event SET at = '{moved}' WHERE id = {target.id}")
    result = runner.invoke(args=["audit", "verify"])
    assert result.exit_code == 1
    assert f"BROKEN at audit event {target.id}" in result.output
