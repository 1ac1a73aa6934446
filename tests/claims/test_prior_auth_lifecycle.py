"""A prior authorization's status moves through the one transition helper: the claim's
history says what the plan decided, the audit trail has the move, details alone are an
update, and a stale page is refused in words."""

from datetime import date, timedelta

import pytest

from portal.audit.models import AuditEvent
from portal.claims.claims.models import ClaimError, ClaimEvent
from portal.claims.prior_auth.models import PriorAuthorization
from portal.claims.prior_auth.rules import PA_MOVES, PA_STATUSES, PAStatus
from tests.factories import claims_user, make_claim

TODAY = date(2026, 3, 2)


def _requested():
    claim = make_claim("rejected", today=TODAY, reject_codes="75")
    return PriorAuthorization.start(
        claim, claims_user(), requested_on=TODAY, prescriber_contacted="Dr. Ortiz, fax"
    )


def _audited(pa, action):
    return AuditEvent.select().where(
        (AuditEvent.entity == "prior_authorization")
        & (AuditEvent.entity_id == str(pa.id))
        & (AuditEvent.action == action)
    )


def test_the_form_offers_every_status_in_order():
    assert [value for value, _ in PA_STATUSES] == list(PAStatus)
    assert all(status not in PA_MOVES[status] for status in PAStatus)


def test_the_plans_decision_is_a_move_with_the_claims_history(app):
    pa = _requested()
    pa.revise(
        claims_user(),
        status="approved",
        pa_number="PA-1",
        approved_on=TODAY,
        expires_on=TODAY + timedelta(days=90),
    )
    stored = PriorAuthorization.get_by_id(pa.id)
    assert (stored.status, stored.pa_number) == ("approved", "PA-1")
    move = _audited(pa, "transition").get()
    assert move.before_data() == {"status": "requested"}
    assert move.after_data()["pa_number"] == "PA-1"
    last = ClaimEvent.select().where(ClaimEvent.kind == "pa").order_by(ClaimEvent.id.desc()).get()
    assert last.note == "prior authorization approved, PA number PA-1, good until 05/31/2026"


def test_new_details_without_a_new_status_are_an_update(app):
    pa = _requested()
    pa.revise(claims_user(), status="requested", notes="plan says 3 business days")
    assert _audited(pa, "transition").count() == 0
    assert _audited(pa, "update").count() == 1
    assert PriorAuthorization.get_by_id(pa.id).notes == "plan says 3 business days"


def test_a_stale_page_cannot_record_the_same_decision_twice(app):
    pa = _requested()
    stale = PriorAuthorization.get_by_id(pa.id)
    pa.revise(claims_user(), status="denied")
    with pytest.raises(ClaimError, match="denied cannot become denied"):
        stale.revise(claims_user(), status="denied")
    assert _audited(pa, "transition").count() == 1


def test_an_unknown_status_is_refused_in_words(app):
    pa = _requested()
    with pytest.raises(ClaimError, match="not a status"):
        pa.revise(claims_user(), status="lost")


def test_details_from_a_stale_page_do_not_undo_the_plans_decision(app):
    pa = _requested()
    stale = PriorAuthorization.get_by_id(pa.id)
    pa.revise(claims_user(), status="denied")
    with pytest.raises(ClaimError, match="Someone else changed"):
        stale.revise(claims_user(), status="requested", notes="called again")
    stored = PriorAuthorization.get_by_id(pa.id)
    assert (stored.status, stored.notes) == ("denied", "")
