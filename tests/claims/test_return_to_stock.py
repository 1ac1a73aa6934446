"""Return to stock: a ready fill not picked up after the setting's days is listed; returning
it puts its quantity back in its lot, reverses its paid claim, cancels the fill, all audited;
a picked-up fill is refused."""

from datetime import timedelta
from decimal import Decimal as D

import pytest

from portal.audit.models import AuditEvent
from portal.catalog.stock.models import Lot
from portal.claims import settings as claim_settings
from portal.claims.claims import actions
from portal.claims.claims.models import Claim, ClaimError
from portal.claims.claims.returns import not_picked_up, return_to_stock
from portal.foundation.dates import today as local_today
from portal.foundation.dates import utcnow
from portal.prescriptions.fills.models import Fill
from tests.factories import advance_fill, claims_user, make_coverage, make_fill, make_lot, make_user


def ready_fill(days_waiting=12):
    fill = advance_fill(make_fill(), "ready")
    lot = make_lot(quantity=D(70))
    Fill.update(dispensed_lot=lot, status_changed_at=utcnow() - timedelta(days=days_waiting)).where(
        Fill.id == fill.id
    ).execute()
    return Fill.get_by_id(fill.id), lot


def paid_claim(fill):
    coverage = make_coverage(fill.patient)
    claim = Claim.open_for_fill(fill, coverage, user=claims_user())
    actions.record_response(claim, claims_user(), "paid", local_today(), paid=claim.billed)
    return Claim.get_by_id(claim.id)


def test_ready_fills_waiting_past_the_setting_are_listed(app):
    old, _ = ready_fill(days_waiting=12)
    recent, _ = ready_fill(days_waiting=3)
    listed = [f.id for f in not_picked_up(local_today(), claim_settings.return_to_stock_days())]
    assert claim_settings.return_to_stock_days() == 10
    assert old.id in listed and recent.id not in listed


def test_returning_puts_stock_back_reverses_the_claim_and_cancels_the_fill(app):
    fill, lot = ready_fill()
    claim = paid_claim(fill)
    manager = make_user(roles=("manager",))
    reversed_claims = return_to_stock(fill, manager, "patient moved away")
    assert [c.id for c in reversed_claims] == [claim.id]
    assert Lot.get_by_id(lot.id).quantity_on_hand == D(70) + fill.quantity
    assert Claim.get_by_id(claim.id).status == "reversed"
    assert Fill.get_by_id(fill.id).status == "cancelled"
    audited = {(e.entity, e.entity_id) for e in AuditEvent.select()}
    assert {("claim", str(claim.id)), ("fill", str(fill.id))} <= audited
    assert any(entity == "stock_movement" for entity, _ in audited)


def test_a_picked_up_fill_cannot_be_returned(app):
    fill, lot = ready_fill()
    fill.move_to("picked_up", make_user(roles=("technician",)), fields={"picked_up_by": "Self"})
    with pytest.raises(ClaimError, match="was picked up"):
        return_to_stock(fill, make_user(roles=("manager",)))
    assert Lot.get_by_id(lot.id).quantity_on_hand == D(70)


def test_staff_return_a_fill_from_the_page_with_a_reason(client_as):
    fill, lot = ready_fill()
    claim = paid_claim(fill)
    tech = client_as("technician")
    page = tech.get("/claims/returns").get_data(as_text=True)
    assert f"Rx {fill.prescription.rx_number}" in page and claim.claim_reference in page
    missing = tech.post(f"/claims/returns/{fill.id}", data={})
    assert missing.status_code == 422 and "Say what was done." in missing.get_data(as_text=True)
    done = tech.post(
        f"/claims/returns/{fill.id}", data={f"fill{fill.id}-reason": "not picked up in 12 days"}
    )
    assert done.status_code == 302
    assert Claim.get_by_id(claim.id).status == "reversed"
    assert Fill.get_by_id(fill.id).status == "cancelled"
