"""The matching queue: a person posts a waiting 835 line to the claim they chose, with a
reason where a sanity check doubts it (another payer or patient, more than billed, a held
payment), audited."""

from __future__ import annotations

from datetime import date

from portal.audit import log as audit
from portal.auth.models import User
from portal.claims.claims.models import Claim, ClaimError
from portal.claims.remittance.era835 import read_remittances
from portal.claims.remittance.matching import doubts_about
from portal.claims.remittance.models import RemittanceLine
from portal.claims.remittance.plan import apply_posting, plan_posting
from portal.claims.remittance.values import ClaimPayment
from portal.foundation.dates import utcnow
from portal.foundation.db import write_transaction
from portal.foundation.i18n import N_


def payment_for_line(line: RemittanceLine) -> ClaimPayment:
    """The 835 claim payment a stored line came from (read again from the kept file)."""
    remittance = line.remittance
    for data in read_remittances(remittance.raw_text):
        if (data.trace_number, data.payer_id, data.payment_amount) == (
            remittance.trace_number,
            remittance.payer_id,
            remittance.payment_amount,
        ):
            return data.claims[line.position - 1]
    raise LookupError(f"Payment {remittance.trace_number} is no longer in its stored file.")


def line_doubts(line: RemittanceLine, claim: Claim) -> list[str]:
    """Why posting this line to this claim needs a reason from the person who confirms."""
    doubts = doubts_about(claim, payment_for_line(line), line.remittance.payer_name)
    if line.remittance.is_held:
        doubts.insert(0, f"the payment is held ({line.remittance.held_reason})")
    return doubts


def match_line(
    line: RemittanceLine,
    claim: Claim,
    user: User,
    today: date,
    is_manager: bool,
    reason: str = "",
):
    """Post a waiting line to the claim a person chose; returns the Posting.

    Where a sanity check doubts it (another payer or patient, more than billed, a held
    payment) the person's reason is required and kept in the audit trail. Raises ClaimError
    (the line stays waiting) when the claim cannot take the payment or no reason was given."""
    if not line.is_waiting:
        raise ClaimError(N_("That line is no longer waiting: it was already posted or settled."))
    doubts = line_doubts(line, claim)
    reason = reason.strip()
    if doubts and not reason:
        raise ClaimError(
            f"Posting to {claim.claim_reference} needs a reason: " + "; ".join(doubts) + "."
        )
    payment = payment_for_line(line)
    posting = plan_posting(claim, [payment], line.remittance.payment_date, today, is_manager)
    if posting.outcome == "not_posted":
        raise ClaimError(f"Not posted to {claim.claim_reference}: {posting.note}")
    if reason:
        posting.note += f"; confirmed by hand: {reason}"
    with write_transaction():
        # Two terminals working the same line: the first to take it posts, the second is
        # told in words (the guarded update waits for the first's transaction to end).
        taken = (
            RemittanceLine.update(matched_by=user)
            .where((RemittanceLine.id == line.id) & RemittanceLine.is_waiting_sql())
            .execute()
        )
        if taken != 1:
            raise ClaimError(
                N_("Someone else posted or settled this line just now; reload the page.")
            )
        event = None
        if posting.outcome == "posted":
            event = apply_posting(posting, user, line.remittance.trace_number)
        line.claim = claim
        line.outcome = (
            ("confirmed" if doubts else "matched") if posting.outcome == "posted" else "no_change"
        )
        line.outcome_note = posting.note
        line.event = event
        line.matched_by = user
        line.matched_at = utcnow()
        line.save()
        audit.record(
            "match",
            "remittance_line",
            line.id,
            user=user,
            patient_id=claim.patient_id,
            note=reason,
            after={
                "claim": claim.claim_reference,
                "outcome": line.outcome,
                "doubts": doubts,
                "reason": reason,
            },
        )
    return posting
