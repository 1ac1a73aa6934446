"""The demo pharmacy's claims: its fills billed, and five months of history that give the
work queue and the manager's dashboard something to show."""

from collections import Counter
from datetime import timedelta

from portal.audit.models import AuditEvent
from portal.claims import demo
from portal.claims.claims.models import Claim, ClaimEvent
from portal.claims.prior_auth.models import PriorAuthorization
from portal.foundation.dates import local_today


def test_demo_claims_cover_every_outcome(bare_app):
    result = bare_app.test_cli_runner().invoke(args=["demo", "load"])
    assert result.exit_code == 0, result.output
    assert "claims: 3 for the demo's fills, 60 from the last five months" in result.output

    states = Counter(claim.status for claim in Claim.select())
    assert set(states) >= {
        "paid",
        "partially_paid",
        "rejected",
        "submitted",
        "written_off",
        "billed_patient",
    }
    # Every history claim was walked through actions: opened, then at least one move.
    for claim in Claim.select():
        kinds = [event.kind for event in ClaimEvent.select().where(ClaimEvent.claim == claim)]
        assert kinds[0] == "open" and len(kinds) >= 2, claim.claim_reference
    # Changes to claims are audited like any other.
    audited = AuditEvent.select().where(AuditEvent.entity == "claim").count()
    assert audited >= Claim.select().count()


def test_the_demo_fills_are_billed_with_one_waiting_on_a_prior_authorization(bare_app):
    assert bare_app.test_cli_runner().invoke(args=["demo", "load"]).exit_code == 0
    billed = Claim.select().where(Claim.fill.is_null(False))
    assert {c.fill.status for c in billed} == {"ready", "picked_up"}
    rejected = [c for c in billed if c.status == "rejected"]
    assert len(rejected) == 1 and rejected[0].reject_codes() == ["75"]
    assert PriorAuthorization.for_claim(rejected[0]).get().status == "requested"
    assert demo.load().endswith("none added")


def test_the_dashboard_has_claims_in_more_than_one_aging_bucket(bare_app):
    assert bare_app.test_cli_runner().invoke(args=["demo", "load"]).exit_code == 0
    today = local_today(None)
    history = Claim.select().where(Claim.fill.is_null())
    assert all(0 < (today - c.date_of_service).days <= demo.HISTORY_DAYS for c in history)
    outstanding = [c for c in Claim.select() if c.is_outstanding]
    ages = {(today - c.date_of_service).days // 30 for c in outstanding}
    assert len(ages) >= 3


def test_history_claims_happened_on_their_own_days_not_at_load_time(bare_app):
    assert bare_app.test_cli_runner().invoke(args=["demo", "load"]).exit_code == 0
    history = list(Claim.select().where(Claim.fill.is_null()))
    for claim in history:
        days = [
            event.at.date()
            for event in ClaimEvent.select()
            .where(ClaimEvent.claim == claim)
            .order_by(ClaimEvent.id)
        ]
        assert days[0] == claim.date_of_service == claim.created_at.date()
        assert days == sorted(days), claim.claim_reference
        if claim.paid_at is not None:
            paid_on = claim.date_of_service + timedelta(days=claim.days_to_payment)
            assert claim.paid_at.date() == paid_on == days[-1] or claim.status == "billed_patient"
    assert len({c.created_at.date() for c in history}) > 20  # spread over the months
