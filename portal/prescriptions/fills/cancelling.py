"""Cancelling a fill: stock already taken for it goes back to its lot, in the transaction of
the move. Used at the counter (steps.cancel) and by the portal itself when a partial fill's
remainder is voided while still in progress (controlled.partial.void_remainder).
"""

from __future__ import annotations

from decimal import Decimal

from portal.auth.models import User
from portal.catalog.stock.models import Lot
from portal.foundation import locks
from portal.foundation.db import write_transaction
from portal.prescriptions.fills.models import Fill
from portal.prescriptions.fills.workflow import FillStatus

# States in which the fill's stock has been taken from a lot but not handed out.
FILLED_STATES = (FillStatus.FINAL_VERIFY, FillStatus.READY)

__all__ = ["FILLED_STATES", "cancel", "return_stock"]


def return_stock(fill: Fill, user: User | None, note: str) -> None:
    """Put the fill's quantity back into the lot it was taken from (if any)."""
    if fill.dispensed_lot_id is None:
        return
    lot = Lot.get_by_id(fill.dispensed_lot_id)
    lot.add_back(Decimal(fill.quantity), "returned", user=user, note=note, fill_id=fill.id)


def cancel(fill: Fill, user: User | None, reason: str) -> None:
    """Cancel a fill; stock already taken for it goes back to its lot. ``user`` None is the
    portal itself (a lapsed remainder cancelled by the hourly job)."""
    with write_transaction():
        # The state read under the audit chain's lock every move of a fill takes, so it is
        # the state the move will find: no stock returned for a fill someone else moved (or
        # cancelled) in between.
        locks.hold_for_transaction(locks.AUDIT_CHAIN)
        stored = Fill.get_by_id(fill.id)
        held_after_filling = (
            stored.status == FillStatus.ON_HOLD and stored.held_from in FILLED_STATES
        )
        if stored.status in FILLED_STATES or held_after_filling:
            return_stock(stored, user, f"fill cancelled: {reason}")
        fill.move_to(FillStatus.CANCELLED, user, reason)
