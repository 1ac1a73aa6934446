"""What posting one claim's payments does: decided without writing (plan_posting), so the
preview and the import agree, then written in one transaction (apply_posting)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from portal.audit import log as audit
from portal.auth.models import User
from portal.claims.claims.lifecycle import ClaimState, IllegalClaimTransition, check_move
from portal.claims.claims.models import Claim, ClaimEvent
from portal.claims.remittance import rules
from portal.claims.remittance.posting import (
    adjudicated_for,
    is_payer_correction,
    state_after_payment,
)
from portal.claims.remittance.values import ClaimPayment
from portal.foundation.dates import utcnow
from portal.foundation.db import write_transaction
from portal.foundation.money import ZERO, format_money


@dataclass
class Posting:
    """What posting one claim's payments would do (or why it cannot be posted)."""

    claim: Claim | None
    payments: list[ClaimPayment]
    outcome: str  # posted | not_posted | no_change | unmatched
    note: str
    target: ClaimState | None = None
    values: dict = field(default_factory=dict)
    amounts: dict = field(default_factory=dict)
    submit_first: bool = False

    @property
    def changes_state(self) -> bool:
        return (
            self.target is not None
            and self.claim is not None
            and (self.target.value != self.claim.status)
        )


def _adjustment_words(payment: ClaimPayment) -> str:
    return "; ".join(
        f"{a.group} {a.reason} {a.reason_label} {format_money(a.amount)}"
        for a in payment.adjustments
    )


def plan_posting(
    claim: Claim, payments: list[ClaimPayment], payment_date: date, today: date, is_manager: bool
) -> Posting:
    """Decide, without writing, the claim's amounts and state after these payments.

    A reversal adds its (negative) amounts; a processed or denied payment states the claim's
    amounts afresh. So a payer's correction (reversal then new adjudication, CLP02 22 then 1)
    leaves the new adjudication, and the state follows the last payment.
    """
    paid, patient_pay = claim.paid, claim.patient_pay
    contractual, other = claim.contractual, claim.adjustments
    adjudicated = claim.adjudicated
    last = None
    for payment in payments:
        totals = rules.adjustment_totals(payment.adjustments)
        if payment.is_reversal:
            paid += payment.paid
            patient_pay += payment.patient_responsibility
            contractual += totals.contractual
            other += totals.other
            adjudicated = (adjudicated or ZERO) + adjudicated_for(payment)
            last = payment
        elif state_after_payment(payment) is not None:
            paid, patient_pay = payment.paid, payment.patient_responsibility
            contractual, other = totals.contractual, totals.other
            adjudicated = adjudicated_for(payment)
            last = payment
    if last is None:
        return Posting(claim, payments, "no_change", "predetermination only: nothing to post")
    target = state_after_payment(last)
    current = claim.claim_state
    words = f"plan paid {format_money(paid)}"
    if patient_pay:
        words += f", patient pays {format_money(patient_pay)} at pickup"
    if contractual:
        words += f", contractual adjustment {format_money(contractual)}"
    if is_payer_correction(payments):
        words = "payer correction (earlier payment reversed, claim re-adjudicated): " + words
    short = rules.short_pay_reason(last.adjustments, adjudicated_for(last), last.paid)
    if target is ClaimState.PARTIALLY_PAID and short:
        words += f"; {short}"
    details = "; ".join(_adjustment_words(p) for p in payments if p.adjustments)
    note = f"{target.label.lower()} on remittance: {words}" + (f" ({details})" if details else "")
    submit_first = current is ClaimState.DRAFT and target is not ClaimState.DRAFT
    if target is not current:
        try:
            check_move(ClaimState.SUBMITTED if submit_first else current, target, is_manager)
        except IllegalClaimTransition as refused:
            return Posting(claim, payments, "not_posted", str(refused), target)
    values = {
        "paid": paid,
        "patient_pay": patient_pay,
        "contractual": contractual,
        "adjustments": other,
        "adjudicated": adjudicated,
        "payer_claim_number": last.payer_claim_number or claim.payer_claim_number,
        "responded_at": utcnow(),
    }
    if target in (ClaimState.PAID, ClaimState.PARTIALLY_PAID):
        allowed = next((line.allowed for line in last.service_lines if line.allowed), None)
        values["allowed"] = allowed if allowed is not None else adjudicated + patient_pay
        values["paid_at"] = claim.paid_at or utcnow()
        values["days_to_payment"] = max((payment_date - claim.date_of_service).days, 0)
        values["follow_up_on"] = None if target is ClaimState.PAID else claim.follow_up_on or today
    elif target is ClaimState.REJECTED:
        values["allowed"] = values["adjudicated"] = None
        values["times_rejected"] = claim.times_rejected + (current is not ClaimState.REJECTED)
        values["follow_up_on"] = claim.follow_up_on or today
    elif target is ClaimState.REVERSED:
        values["days_to_payment"] = None
        values["follow_up_on"] = None
    amounts = {
        "paid": paid - claim.paid,
        "patient_pay": patient_pay - claim.patient_pay,
        "adjustments": (contractual + other) - (claim.contractual + claim.adjustments),
    }
    return Posting(claim, payments, "posted", note, target, values, amounts, submit_first)


def apply_posting(posting: Posting, user: User, trace_number: str) -> ClaimEvent:
    """Write one claim's posting: amounts, state change, event and audit, in one transaction."""
    claim = posting.claim
    with write_transaction():
        if posting.submit_first:
            claim.move(ClaimState.SUBMITTED, user, "submitted to the payer (paid on remittance)")
        for name, value in posting.values.items():
            setattr(claim, name, value)
        note = f"835 {trace_number}: {posting.note}"
        if posting.changes_state:
            return claim.move(
                posting.target, user, note, kind="remittance", amounts=posting.amounts
            )
        before = audit.snapshot(Claim.get_by_id(claim.id))
        return claim.note_event("remittance", user, note, before=before, amounts=posting.amounts)


def apply_postings(
    postings: list[Posting], user: User, trace_number: str
) -> tuple[dict[int, ClaimEvent], dict[int, str]]:
    """Write many claims' postings (one remittance's) in bulk, with the same checks, events
    and audit as apply_posting: the moves of state go through Claim.move_many; a draft paid
    on remittance, or a posting that keeps the state, goes one by one. Returns ({id(posting):
    its event}, {id(posting): why it was not posted, in words}); a claim changed by another
    terminal meanwhile is not posted and says so."""
    events: dict[int, ClaimEvent] = {}
    steps, by_claim = [], {}
    with write_transaction():
        for posting in postings:
            if posting.submit_first or not posting.changes_state:
                events[id(posting)] = apply_posting(posting, user, trace_number)
                continue
            claim = posting.claim
            for name, value in posting.values.items():
                setattr(claim, name, value)
            note = f"835 {trace_number}: {posting.note}"
            steps.append((claim, posting.target, note, posting.amounts))
            by_claim[claim.id] = posting
        made, refused = Claim.move_many(steps, user, kind="remittance")
    for claim_id, event in made.items():
        events[id(by_claim[claim_id])] = event
    return events, {id(by_claim[claim.id]): why for claim, why in refused}
