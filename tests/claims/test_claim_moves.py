"""Claim.move through the one transition helper: the move is checked against the stored
state, and two terminals moving the same claim at once cannot both win."""

import threading

import pytest

from portal.audit.models import AuditEvent
from portal.claims.claims.lifecycle import ClaimState, IllegalClaimTransition
from portal.claims.claims.models import Claim, ClaimEvent
from portal.foundation.db import db
from tests.factories import make_claim
from tests.factories.claims import claims_user


def test_a_stale_copy_cannot_submit_a_claim_already_submitted(app):
    claim = make_claim("draft")
    stale = Claim.get_by_id(claim.id)
    claim.move(ClaimState.SUBMITTED, claims_user())
    with pytest.raises(IllegalClaimTransition, match="cannot move to"):
        stale.move(ClaimState.SUBMITTED, claims_user())
    submitted = ClaimEvent.select().where(
        (ClaimEvent.claim == claim) & (ClaimEvent.to_state == ClaimState.SUBMITTED)
    )
    assert submitted.count() == 1


def test_a_move_keeps_the_columns_the_caller_changed_and_audits_the_state(app):
    claim = make_claim("rejected")
    claim.times_rejected = 2
    event = claim.move(ClaimState.APPEALED, claims_user(), "appealed by phone")
    stored = Claim.get_by_id(claim.id)
    assert (stored.status, stored.times_rejected) == ("appealed", 2)
    assert (event.from_state, event.to_state, event.note) == (
        "rejected",
        "appealed",
        "appealed by phone",
    )
    audit = AuditEvent.select().order_by(AuditEvent.id.desc()).first()
    assert (audit.action, audit.entity, audit.note) == ("transition", "claim", "appealed by phone")
    assert '"status": "rejected"' in audit.before and '"status": "appealed"' in audit.after


def test_the_cosign_note_is_passed_in_and_shown_on_the_event(app):
    claim = make_claim("rejected")
    event = claim.move(
        ClaimState.APPEALED,
        claims_user(),
        "appealed",
        cosign_note="co-signed by Morgan Reyes at Tess Nguyen's terminal",
    )
    assert event.note == "appealed (co-signed by Morgan Reyes at Tess Nguyen's terminal)"


def test_two_terminals_submitting_one_claim_at_once_record_one_submission(app):
    claim = make_claim("draft")
    user = claims_user()
    db.close()
    start = threading.Barrier(2)
    outcomes: list[str] = []

    def terminal():
        with app.app_context():  # a terminal's request runs in the app (the audit key)
            copy = Claim.get_by_id(claim.id)
        start.wait(timeout=10)
        try:
            with app.app_context():
                copy.move(ClaimState.SUBMITTED, user)
            outcomes.append("moved")
        except IllegalClaimTransition as refused:
            outcomes.append(str(refused))
        finally:
            db.close()

    threads = [threading.Thread(target=terminal) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert len(outcomes) == 2 and outcomes.count("moved") == 1, outcomes
    assert Claim.get_by_id(claim.id).status == "submitted"
    submitted = ClaimEvent.select().where(
        (ClaimEvent.claim == claim) & (ClaimEvent.to_state == ClaimState.SUBMITTED)
    )
    assert submitted.count() == 1
