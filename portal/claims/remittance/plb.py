"""PLB provider-level adjustments: kept with the claim they name, a recoupment taken back
from it (X12 005010X221A1 PLB03-1 reason, PLB03-2 reference, e.g. WO:60031-0-CDISC)."""

from __future__ import annotations

from datetime import date

from portal.audit import log as audit
from portal.auth.models import User
from portal.claims.claims.lifecycle import ClaimState
from portal.claims.claims.models import Claim, ClaimEvent
from portal.claims.remittance import rules
from portal.claims.remittance.models import Remittance, RemittanceAdjustment
from portal.claims.remittance.values import Remittance as RemittanceData
from portal.foundation.money import format_money


def _plb_claim(reference: str, payer_name: str) -> Claim | None:
    """The claim a PLB reference names (by its Rx number, and fill when given): the latest
    paid one of that Rx from this payer."""
    rx_number, fill_number = rules.rx_from_clp01(reference)
    rx_number = rx_number or rules.plb_reference_rx(reference)
    if not rx_number:
        return None
    query = Claim.select().where(
        (Claim.rx_number == rx_number) & (Claim.status != ClaimState.REVERSED.value)
    )
    if fill_number is not None:
        query = query.where(Claim.fill_number == fill_number)
    claims = [c for c in query.order_by(Claim.date_of_service.desc(), Claim.id.desc())]
    same_payer = [c for c in claims if rules.same_payer(payer_name, c.payer.name, c.payer.code)]
    return (same_payer or [None])[0]


def _recoup(claim: Claim, adjustment, trace_number: str, user: User, today: date) -> ClaimEvent:
    """Take a recoupment back from the claim's plan payment. When that leaves the plan owing
    less than it adjudicated, a paid claim becomes partially paid, with the reason, to follow
    up; a recoupment of an overpayment leaves it paid."""
    before = audit.snapshot(claim)
    claim.paid = claim.paid - adjustment.amount
    note = (
        f"835 {trace_number}: provider-level adjustment {adjustment.reason} "
        f"({adjustment.reason_label}) takes back {format_money(adjustment.amount)}"
    )
    amounts = {"paid": -adjustment.amount}
    owed = claim.adjudicated is not None and claim.paid < claim.adjudicated
    if owed and claim.status == ClaimState.PAID:
        claim.follow_up_on = today
        note += f"; the plan now owes {format_money(claim.adjudicated - claim.paid)}"
        return claim.move(ClaimState.PARTIALLY_PAID, user, note, kind="remittance", amounts=amounts)
    return claim.note_event("remittance", user, note, before=before, amounts=amounts)


def store_plb(row: Remittance, data: RemittanceData, user: User, apply: bool, today: date) -> None:
    """Keep each PLB line with the claim it names; a recoupment (positive amount, e.g. WO
    overpayment recovery) takes that money back from the claim's plan payment."""
    for position, adjustment in enumerate(data.provider_adjustments, start=1):
        claim = _plb_claim(adjustment.reference, data.payer_name)
        event = None
        if apply and claim is not None and adjustment.amount > 0:
            event = _recoup(claim, adjustment, data.trace_number, user, today)
        RemittanceAdjustment.create(
            remittance=row,
            position=position,
            provider_id=adjustment.provider_id[:50],
            reason=adjustment.reason[:3],
            reference=adjustment.reference[:50],
            amount=adjustment.amount,
            claim=claim,
            event=event,
        )
