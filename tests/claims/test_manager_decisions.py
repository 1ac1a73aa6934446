"""Write-off and billing to the patient: a manager's decisions, made at the shared counter.
A technician presses the button and a manager co-signs with their PIN (portal.auth.cosign);
the move is recorded as the manager's, at the technician's terminal."""

from decimal import Decimal as D

from portal.audit.models import AuditEvent
from portal.auth.models import TerminalSession
from portal.claims.claims.models import Claim, ClaimEvent
from portal.foundation.dates import local_today
from tests.factories import make_claim, make_user


def _rejected():
    return make_claim("rejected", today=local_today("America/Chicago"))


def _last_event(claim):
    return ClaimEvent.select().where(ClaimEvent.claim == claim).order_by(ClaimEvent.id.desc())[0]


def test_technician_pressing_write_off_is_asked_for_a_managers_pin(client_as):
    claim = _rejected()
    tech = client_as("technician")
    page = tech.get(f"/claims/{claim.id}").get_data(as_text=True)
    # A marked message is the template's own trusted text: its apostrophe is written as is.
    assert "Write off the balance (a manager's decision)" in page
    assert "A manager approves this with their PIN" in page
    response = tech.post(f"/claims/{claim.id}/write-off", data={"reason": "below threshold"})
    text = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Manager approval needed" in text and "Manager's PIN or badge" in text
    assert "below threshold" in text  # what was typed stays
    assert Claim.get_by_id(claim.id).status == "rejected"


def test_a_wrong_pin_is_refused_and_counts_toward_the_lockout(client_as):
    claim = _rejected()
    tech = client_as("technician")
    response = tech.post(
        f"/claims/{claim.id}/write-off", data={"reason": "tiny", "cosign_pin": "13579"}
    )
    assert response.status_code == 422
    assert "That PIN or badge is not right" in response.get_data(as_text=True)
    assert TerminalSession.get_by_id(tech.terminal.id).pin_failures == 1
    assert AuditEvent.select().where(AuditEvent.action == "pin_failed").count() == 1
    for _ in range(4):
        tech.post(f"/claims/{claim.id}/bill-patient", data={"cosign_pin": "13579"})
    manager = make_user(roles=("manager",))
    locked = tech.post(f"/claims/{claim.id}/bill-patient", data={"cosign_pin": manager.pin})
    assert "PIN and badge entry at this terminal is locked" in locked.get_data(as_text=True)
    assert Claim.get_by_id(claim.id).status == "rejected"


def test_a_pharmacists_pin_is_not_a_managers(client_as):
    claim = _rejected()
    tech = client_as("technician")
    pharmacist = make_user(roles=("pharmacist",), full_name="Paul Pharmacist")
    response = tech.post(
        f"/claims/{claim.id}/write-off", data={"reason": "tiny", "cosign_pin": pharmacist.pin}
    )
    assert "That PIN belongs to Paul Pharmacist, who is not a manager." in response.get_data(
        as_text=True
    )
    assert Claim.get_by_id(claim.id).status == "rejected"


def test_a_managers_pin_writes_off_in_the_managers_name(client_as):
    claim = _rejected()
    tech = client_as("technician", full_name="Tess Nguyen")
    manager = make_user(roles=("manager",), full_name="Morgan Reyes")
    response = tech.post(
        f"/claims/{claim.id}/write-off",
        data={"reason": "below collection threshold", "cosign_pin": manager.pin},
        follow_redirects=True,
    )
    page = response.get_data(as_text=True)
    assert "Balance written off by Morgan Reyes." in page
    assert "Start a prior authorization" not in page  # a closed claim is offered no PA
    stored = Claim.get_by_id(claim.id)
    assert (stored.status, stored.written_off) == ("written_off", D("50.50"))
    event = _last_event(claim)
    assert event.user_id == manager.id and event.to_state == "written_off"
    assert "below collection threshold" in event.note
    assert "co-signed by Morgan Reyes at Tess Nguyen's terminal" in event.note
    audit = (
        AuditEvent.select()
        .where(AuditEvent.action == "transition")
        .order_by(AuditEvent.id.desc())
        .first()
    )
    assert audit.user_id == manager.id and audit.terminal == tech.terminal.terminal
    assert audit.note.count("co-signed by Morgan Reyes") == 1
    # The terminal still acts as the technician.
    assert "Tess Nguyen" in tech.get("/").get_data(as_text=True)


def test_a_managers_pin_bills_the_patient(client_as):
    claim = make_claim("partially_paid", today=local_today("America/Chicago"))
    tech = client_as("technician")
    manager = make_user(roles=("manager",), full_name="Morgan Reyes")
    asked = tech.post(f"/claims/{claim.id}/bill-patient", data={"bill_note": "agreed at pickup"})
    assert "Manager approval needed" in asked.get_data(as_text=True)
    done = tech.post(
        f"/claims/{claim.id}/bill-patient",
        data={"bill_note": "agreed at pickup", "cosign_pin": manager.pin},
    )
    assert done.status_code == 302
    event = _last_event(claim)
    assert Claim.get_by_id(claim.id).status == "billed_patient"
    assert event.user_id == manager.id and "$25.25 billed to the patient" in event.note
    assert "agreed at pickup" in event.note and "co-signed by Morgan Reyes" in event.note


def test_a_manager_acting_needs_no_pin(client_as):
    claim = _rejected()
    manager = client_as("manager")
    page = manager.get(f"/claims/{claim.id}").get_data(as_text=True)
    assert "A manager approves this with their PIN" not in page
    response = manager.post(f"/claims/{claim.id}/write-off", data={"reason": "tiny"})
    assert response.status_code == 302
    event = _last_event(claim)
    assert event.user_id == manager.user.id and "co-signed" not in event.note


def test_no_pin_is_asked_for_a_move_the_claim_cannot_make(client_as):
    claim = make_claim("paid", today=local_today("America/Chicago"))
    tech = client_as("technician")
    response = tech.post(f"/claims/{claim.id}/write-off", data={"reason": "tiny"})
    text = response.get_data(as_text=True)
    assert response.status_code == 422 and "cannot move to" in text
    assert "Manager approval needed" not in text
