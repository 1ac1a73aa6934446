"""Discontinuing a prescription: the prescriber has stopped it (a switch to another drug,
therapy ended). No fill can be made from it afterwards, and screening stops counting its
supply as a duplicate of what replaced it when the same prescriber wrote both."""

from __future__ import annotations

from portal.audit import transitions
from portal.foundation.dates import utcnow
from portal.foundation.i18n import N_
from portal.prescriptions.models import Prescription

MOVES = {"active": frozenset({"inactive"})}


class DiscontinueRefused(ValueError):
    """Why the prescription cannot be discontinued now, in words."""


def discontinue(rx: Prescription, pharmacist, reason: str) -> None:
    reason = (reason or "").strip()
    if not reason:
        raise DiscontinueRefused(
            N_("Say why the prescription is stopped (the prescriber's words).")
        )
    open_fills = [f.fill_label for f in rx.fill_list() if f.is_open]
    if open_fills:
        raise DiscontinueRefused(
            f"Fill {', '.join(open_fills)} of Rx {rx.rx_number} is still in progress: "
            "cancel it first (from its fill page), then discontinue the prescription."
        )
    try:
        transitions.move(
            rx,
            "inactive",
            moves=MOVES,
            user=pharmacist,
            entity="prescription",
            what="prescription",
            action="discontinue",
            patient_id=rx.patient_id,
            note=reason,
            changes={
                "discontinued_at": utcnow(),
                "discontinued_by": pharmacist.id,
                "discontinued_reason": reason,
            },
        )
    except transitions.IllegalMove as refused:
        raise DiscontinueRefused(
            f"Rx {rx.rx_number} is already inactive."
            if refused.from_state == "inactive"
            else str(refused)
        ) from refused
