"""Queues: counts per tab, order (returned, priority, oldest), keyset pages, filters, and
counts polled in the background."""

from datetime import timedelta

from playhouse.test_utils import count_queries

from portal.auth.models import TerminalSession
from portal.foundation.dates import utcnow
from portal.prescriptions.fills import queues
from portal.prescriptions.fills.models import Fill
from tests.factories import advance_fill, make_fill, make_patient, make_prescription, make_user


def _age(fill, minutes):
    Fill.update(created_at=utcnow() - timedelta(minutes=minutes)).where(
        Fill.id == fill.id
    ).execute()


def test_counts_per_state(app):
    make_fill()
    make_fill()
    advance_fill(make_fill(), "ready")
    make_fill(make_prescription(send=False))
    counts = queues.counts()
    assert (counts["data_verify"], counts["ready"], counts["intake"], counts["fill"]) == (
        2,
        1,
        1,
        0,
    )


def test_returned_first_then_waiting_customers_then_oldest(app):
    technician = make_user(roles=("technician",))

    def in_data_entry(priority, minutes_old):
        fill = make_fill(make_prescription(priority=priority, send=False))
        fill.move_to("data_entry", technician)
        _age(fill, minutes_old)
        return fill

    old_today = in_data_entry("today", 90)
    new_waiting = in_data_entry("waiting", 1)
    old_delivery = in_data_entry("delivery", 200)
    new_today = in_data_entry("today", 2)
    returned = make_fill(make_prescription(priority="delivery"))
    returned.move_to("data_entry", make_user(roles=("pharmacist",)), "check the DAW")
    order = [f.id for f in queues.page("data_entry").rows]
    assert order == [returned.id, new_waiting.id, old_today.id, new_today.id, old_delivery.id]


def test_keyset_pages_cover_every_fill_once_in_order(app):
    fills = [make_fill() for _ in range(7)]
    for minutes, fill in enumerate(reversed(fills)):
        _age(fill, minutes * 3)
    seen, cursor = [], None
    while True:
        page = queues.page("data_verify", cursor, size=3)
        seen.extend(f.id for f in page.rows)
        if page.next_cursor is None:
            break
        cursor = queues.Cursor.decode(page.next_cursor.encode())
    assert seen == [f.id for f in fills]


def test_a_page_costs_the_same_queries_whatever_its_length(app):
    for _ in range(3):
        make_fill()
    with count_queries() as few:
        [
            (f.patient.sort_name, f.prescription.drug_name, f.entered_by)
            for f in queues.page("data_verify").rows
        ]
    for _ in range(5):
        make_fill()
    with count_queries() as more:
        [
            (f.patient.sort_name, f.prescription.drug_name, f.entered_by)
            for f in queues.page("data_verify").rows
        ]
    assert few.count == more.count == 1


def test_filters_by_patient_and_by_who_entered(app):
    patient = make_patient(last_name="Lindqvist")
    technician = make_user(roles=("technician",))
    mine = make_fill(make_prescription(patient=patient, user=technician))
    make_fill()
    assert [
        f.id
        for f in queues.page("data_verify", filters=queues.Filters(patient_ids=(patient.id,))).rows
    ] == [mine.id]
    assert [
        f.id for f in queues.page("data_verify", filters=queues.Filters(user_id=technician.id)).rows
    ] == [mine.id]
    assert queues.counts(queues.Filters(patient_ids=()))["data_verify"] == 0


def test_queue_page_shows_tabs_counts_and_rows(client_as):
    fill = make_fill()
    pharmacist = client_as("pharmacist")
    page = pharmacist.get("/queue")
    assert page.status_code == 200
    assert (
        'aria-current="page">\n      Data verification' in page.text
        or "Data verification" in page.text
    )
    assert f"{fill.prescription.rx_number}-0" in page.text
    assert 'aria-label="1 fills"' in page.text
    filtered = pharmacist.get(f"/queue?state=data_verify&who={fill.patient.last_name}")
    assert f"{fill.prescription.rx_number}-0" in filtered.text
    nobody = pharmacist.get("/queue?state=data_verify&who=Nonexistentname")
    assert "No patient matches" in nobody.text


def test_technician_starts_at_data_entry_with_returned_fills_marked(client_as):
    fill = make_fill()
    fill.move_to("data_entry", make_user(roles=("pharmacist",)), "Strength is 250 mg")
    technician = client_as("technician")
    page = technician.get("/queue")
    assert "Returned" in page.text and "Strength is 250 mg" in page.text


def test_polling_the_counts_is_not_activity_for_the_idle_lock(client_as):
    make_fill()
    pharmacist = client_as("pharmacist")
    long_ago = utcnow() - timedelta(minutes=2)
    TerminalSession.update(last_activity=long_ago).where(
        TerminalSession.id == pharmacist.terminal.id
    ).execute()
    response = pharmacist.get("/queue/counts?state=data_verify")
    assert response.status_code == 200 and 'id="queue-tabs"' in response.text
    assert TerminalSession.get_by_id(pharmacist.terminal.id).last_activity == long_ago


def test_a_scanned_label_opens_its_fill(client_as):
    fill = make_fill()
    technician = client_as("technician")
    response = technician.get(f"/fills/find?code=RX{fill.prescription.rx_number}-0")
    assert response.headers["Location"].endswith(f"/fills/{fill.id}")


def test_a_scanned_label_opens_final_verification_or_pickup(client_as):
    at_final = advance_fill(make_fill(), "final_verify")
    ready = advance_fill(make_fill(), "ready")
    pharmacist = client_as("pharmacist")
    response = pharmacist.get(f"/fills/find?code=RX{at_final.rx_fill}")
    assert response.headers["Location"].endswith(f"/fills/{at_final.id}/verify-final")
    response = pharmacist.get(f"/fills/find?code=RX{ready.rx_fill}")
    assert response.headers["Location"].endswith(f"/fills/{ready.id}/pickup")
    manager = client_as("manager")
    response = manager.get(f"/fills/find?code=RX{at_final.rx_fill}")
    assert response.headers["Location"].endswith(f"/fills/{at_final.id}")
