"""An 835 posts its claims in bulk (Claim.move_many): each claim still gets its own event
and audit event from its stored state, the chain verifies, and a claim another terminal
changed while the file was posting is left in the matching queue, saying why."""

from __future__ import annotations

from decimal import Decimal as D

from portal.audit import log as audit
from portal.audit.models import AuditEvent
from portal.claims.claims.models import Claim, ClaimEvent
from portal.claims.remittance import importing
from portal.claims.remittance.models import RemittanceLine
from tests.claims.test_pbm_remittances import caredisc, claim_on, clp, fresh, pbm_835, post
from tests.factories import make_patient

__all__ = ["caredisc"]  # the fixture, used by name


def test_each_claim_of_a_file_gets_its_event_and_audit_and_the_chain_verifies(caredisc):
    claims = [
        claim_on(
            caredisc,
            str(60050 + n),
            "17.75",
            patient=make_patient(last_name="Okafor", first_name="Grace"),
        )
        for n in range(3)
    ]
    body = []
    for n in range(3):
        body += clp(str(60050 + n), 1, "17.75", "15.75", "2.00", "CAS*PR*3*2.00")
    post(pbm_835(*body, payment="47.25"))
    for claim in claims:
        stored = fresh(claim)
        assert (stored.status, stored.paid, stored.patient_pay) == ("paid", D("15.75"), D("2.00"))
        event = ClaimEvent.get(ClaimEvent.claim == claim, ClaimEvent.kind == "remittance")
        assert (event.from_state, event.to_state, event.paid) == ("submitted", "paid", D("15.75"))
        assert event.note.startswith("835 EFT9001: paid on remittance: plan paid $15.75")
        line = RemittanceLine.get(RemittanceLine.claim == claim)
        assert (line.outcome, line.event_id) == ("posted", event.id)
        trail = (
            AuditEvent.select()
            .where((AuditEvent.entity == "claim") & (AuditEvent.entity_id == str(claim.id)))
            .order_by(AuditEvent.id.desc())
            .first()
        )
        assert trail.action == "transition" and trail.note == event.note
        assert trail.before_data() == {"status": "submitted"}
        assert trail.after_data()["status"] == "paid"
        assert trail.after_data()["paid"] == "15.75"
        assert trail.patient_id == claim.patient_id
    assert audit.verify_chain(audit.chain_key()).ok


def test_a_claim_changed_while_the_file_posts_waits_in_the_queue_saying_why(caredisc, monkeypatch):
    changed = claim_on(caredisc, "60060", "17.75")
    other = claim_on(
        caredisc, "60061", "17.75", patient=make_patient(last_name="Okafor", first_name="Grace")
    )
    planned = importing._plan_remittance

    def then_another_terminal_writes_it_off(*args):
        lines = planned(*args)
        Claim.update(status="written_off").where(Claim.id == changed.id).execute()
        return lines

    monkeypatch.setattr(importing, "_plan_remittance", then_another_terminal_writes_it_off)
    body = clp("60060", 1, "17.75", "17.75", "0") + clp("60061", 1, "17.75", "17.75", "0")
    post(pbm_835(*body, payment="35.50"))
    line = RemittanceLine.get(RemittanceLine.claim == changed)
    assert line.outcome == "not_posted" and line.is_waiting and line.event_id is None
    assert line.outcome_note == (
        'A claim that is "Written off" cannot move to "Paid". That is a final state.'
    )
    assert fresh(changed).status == "written_off" and fresh(changed).paid == 0
    assert fresh(other).status == "paid"
    assert RemittanceLine.get(RemittanceLine.claim == other).outcome == "posted"
