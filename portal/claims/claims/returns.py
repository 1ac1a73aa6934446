"""Return to stock: a ready fill nobody picked up goes back on the shelf and its claim is
reversed (NCPDP D.0 B2; payers expect the reversal within about 14 days).

A fill waiting longer than the pharmacy's setting (claims.return_to_stock_days) is listed.
Returning it, in one transaction: the quantity goes back into the lot it was dispensed from,
every claim the payer paid on it is reversed, and the fill is cancelled with the reason, each
audited by the helper that writes it. A fill that was picked up can never be returned.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from portal.auth.models import User
from portal.claims.claims import actions
from portal.claims.claims.lifecycle import ClaimState
from portal.claims.claims.models import Claim, ClaimError
from portal.foundation.db import write_transaction
from portal.foundation.i18n import N_
from portal.patients.models import Patient
from portal.prescriptions.fills.models import Fill
from portal.prescriptions.fills.workflow import FillStatus

# A claim in these states has the payer's money on it (or the payer's answer) to reverse.
_REVERSIBLE = (
    ClaimState.PAID,
    ClaimState.PARTIALLY_PAID,
    ClaimState.BILLED_SECONDARY,
    ClaimState.BILLED_PATIENT,
)


def not_picked_up(today: date, days: int):
    """Ready fills waiting since at least `days` days before today, oldest first."""
    cutoff = datetime.combine(today - timedelta(days=days), time.max, tzinfo=UTC)
    return (
        Fill.select(Fill, Patient)
        .join(Patient)
        .where((Fill.status == FillStatus.READY.value) & (Fill.status_changed_at <= cutoff))
        .order_by(Fill.status_changed_at, Fill.id)
    )


def return_to_stock(fill: Fill, user: User, note: str = "") -> list[Claim]:
    """Put an uncollected fill back in its lot, reverse its paid claims, cancel it.
    Returns the claims reversed; raises ClaimError in words when it cannot be done."""
    fill = Fill.get_by_id(fill.id)
    if fill.status == FillStatus.PICKED_UP.value:
        raise ClaimError(
            f"Rx {fill.prescription.rx_number} fill {fill.fill_number} was picked up"
            f"{f' on {fill.picked_up_at:%m/%d/%Y}' if fill.picked_up_at else ''}: "
            "it cannot be returned to stock."
        )
    if fill.status != FillStatus.READY.value:
        raise ClaimError(N_("Only a fill that is ready and waiting for pickup goes back to stock."))
    if fill.dispensed_lot_id is None:
        raise ClaimError(
            N_(
                "This fill has no lot recorded (a compound, or filled without scanning a lot): "
                "put it back with a stock adjustment on the lot instead."
            )
        )
    why = note.strip() or "not picked up"
    reversed_claims = []
    with write_transaction():
        fill.dispensed_lot.add_back(
            fill.quantity, "returned", user=user, note=f"returned to stock: {why}", fill_id=fill.id
        )
        for claim in Claim.for_fill(fill):
            if claim.status in _REVERSIBLE and actions.was_paid(claim):
                actions.reverse(claim, user, f"reversed (returned to stock): {why}")
                reversed_claims.append(claim)
        fill.move_to(FillStatus.CANCELLED, user, f"returned to stock: {why}")
    return reversed_claims
