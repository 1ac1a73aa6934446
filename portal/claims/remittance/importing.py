"""Importing an 835: preview what each claim payment would do, then post it once.

era835.read_remittances parses (strictly; see its docstring for why not edi-835-parser or
pyx12), posting.match_payments finds our claims by CLP01, and plan_posting decides each
claim's new amounts and state without writing, so the preview and the import agree.
A payment already imported (same payer and TRN trace number) is never posted again.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date

from portal.audit import log as audit
from portal.auth.models import User
from portal.claims.claims.lifecycle import ClaimState, IllegalClaimTransition, check_move
from portal.claims.claims.models import Claim, ClaimError, ClaimEvent
from portal.claims.remittance.era835 import read_remittances
from portal.claims.remittance.models import Remittance, RemittanceLine
from portal.claims.remittance.posting import (
    canonical_reference,
    match_payments,
    state_after_payment,
)
from portal.claims.remittance.values import ClaimPayment
from portal.claims.remittance.values import Remittance as RemittanceData
from portal.foundation.dates import utcnow
from portal.foundation.db import db, is_sqlite, write_transaction
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


@dataclass
class RemittancePreview:
    data: RemittanceData
    already: Remittance | None  # imported before: nothing will be posted
    lines: list[tuple[ClaimPayment, Posting]]

    @property
    def unmatched(self) -> list[ClaimPayment]:
        return [payment for payment, posting in self.lines if posting.outcome == "unmatched"]


def _non_patient_adjustments(payment: ClaimPayment):
    return sum((a.amount for a in payment.adjustments if a.group != "PR"), ZERO)


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
    paid, patient_pay, adjustments = claim.paid, claim.patient_pay, claim.adjustments
    last = None
    for payment in payments:
        if payment.is_reversal:
            paid += payment.paid
            patient_pay += payment.patient_responsibility
            adjustments += _non_patient_adjustments(payment)
            last = payment
        elif state_after_payment(payment) is not None:
            paid, patient_pay = payment.paid, payment.patient_responsibility
            adjustments = _non_patient_adjustments(payment)
            last = payment
    if last is None:
        return Posting(claim, payments, "no_change", "predetermination only: nothing to post")
    target = state_after_payment(last, patient_paid_at_counter=claim.patient_pay)
    current = claim.claim_state
    words = f"plan paid {format_money(paid)}"
    if patient_pay:
        words += f", patient responsibility {format_money(patient_pay)}"
    if len(payments) > 1 and payments[0].is_reversal and not last.is_reversal:
        words = "payer correction (earlier payment reversed, claim re-adjudicated): " + words
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
        "adjustments": adjustments,
        "payer_claim_number": last.payer_claim_number or claim.payer_claim_number,
        "responded_at": utcnow(),
    }
    if target in (ClaimState.PAID, ClaimState.PARTIALLY_PAID):
        allowed = next((line.allowed for line in last.service_lines if line.allowed), None)
        values["allowed"] = allowed if allowed is not None else paid + patient_pay
        values["paid_at"] = claim.paid_at or utcnow()
        values["days_to_payment"] = max((payment_date - claim.date_of_service).days, 0)
        values["follow_up_on"] = None if target is ClaimState.PAID else claim.follow_up_on or today
    elif target is ClaimState.REJECTED:
        values["allowed"] = None
        values["times_rejected"] = claim.times_rejected + (current is not ClaimState.REJECTED)
        values["follow_up_on"] = claim.follow_up_on or today
    elif target is ClaimState.REVERSED:
        values["days_to_payment"] = None
        values["follow_up_on"] = None
    amounts = {
        "paid": paid - claim.paid,
        "patient_pay": patient_pay - claim.patient_pay,
        "adjustments": adjustments - claim.adjustments,
    }
    return Posting(claim, payments, "posted", note, target, values, amounts, submit_first)


def _claims_for(data: RemittanceData) -> dict[str, Claim]:
    wanted = {canonical_reference(p.claim_reference) for p in data.claims}
    rows = Claim.select().where(Claim.claim_reference.in_(sorted(wanted))) if wanted else []
    return {claim.claim_reference: claim for claim in rows}


def _plan_remittance(data: RemittanceData, today: date, is_manager: bool):
    claims = _claims_for(data)
    match = match_payments(data.claims, list(claims))
    postings: dict[str, Posting] = {
        reference: plan_posting(claims[reference], payments, data.payment_date, today, is_manager)
        for reference, payments in match.matched.items()
    }
    unmatched = Posting(None, [], "unmatched", "no claim has this reference; match it by hand")
    lines = []
    for payment in data.claims:
        reference = canonical_reference(payment.claim_reference)
        lines.append((payment, postings.get(reference, unmatched)))
    return lines


def preview(text: str | bytes, today: date, is_manager: bool) -> list[RemittancePreview]:
    """What importing the file would do, payment by payment; raises RemittanceError."""
    previews = []
    for data in read_remittances(text):
        already = Remittance.find(data.payer_id, data.trace_number)
        lines = [] if already else _plan_remittance(data, today, is_manager)
        previews.append(RemittancePreview(data, already, lines))
    return previews


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


@dataclass
class ImportResult:
    remittance: Remittance
    created: bool  # False: imported before, nothing posted this time


def import_file(
    text: str, file_name: str, user: User, today: date, is_manager: bool = False, progress=None
) -> list[ImportResult]:
    """Import every payment in an 835 file and post its claim payments; idempotent by TRN.
    progress(done, total, step), if given, hears how many claim lines are posted."""
    results = []
    progress = progress or (lambda *args: None)
    with write_transaction():
        _one_import_at_a_time()
        progress(0, None, "Reading the 835 file")
        payments = read_remittances(text)
        total, done = sum(len(data.claims) for data in payments), 0
        for data in payments:
            existing = Remittance.find(data.payer_id, data.trace_number)
            if existing is not None:
                results.append(ImportResult(existing, created=False))
                continue
            row = _create_remittance(data, text, file_name, user)
            lines = _plan_remittance(data, today, is_manager)
            events: dict[int, ClaimEvent | None] = {}
            for position, (payment, posting) in enumerate(lines, start=1):
                done += 1
                progress(done, total, f"Posting payment {data.trace_number}")
                event = None
                if posting.outcome == "posted":
                    key = id(posting)
                    if key not in events:
                        events[key] = apply_posting(posting, user, data.trace_number)
                    event = events[key]
                _create_line(row, position, payment, posting, event)
            results.append(ImportResult(row, created=True))
    return results


# Any fixed number (the audit chain uses 7401, batch numbering 7402).
_IMPORT_LOCK = 7403


def _one_import_at_a_time() -> None:
    """Serialise 835 imports: SQLite's BEGIN IMMEDIATE already does; on PostgreSQL two
    uploads of the same file would both find no payment with its trace number and the
    second insert would fail on the unique (payer, trace number). With a transaction-scoped
    advisory lock the second waits, then finds the first's payment: "already imported"."""
    if not is_sqlite():
        db.execute_sql("SELECT pg_advisory_xact_lock(%s)", (_IMPORT_LOCK,))


def _create_remittance(data: RemittanceData, text: str, file_name: str, user: User) -> Remittance:
    row = Remittance.create(
        payer_id=data.payer_id,
        trace_number=data.trace_number,
        payer_name=data.payer_name,
        payee_name=data.payee_name,
        payment_amount=data.payment_amount,
        payment_date=data.payment_date,
        payment_method=data.payment_method,
        provider_adjustments=sum((a.amount for a in data.provider_adjustments), ZERO),
        file_name=file_name[:200],
        raw_text=text,
        imported_by=user,
    )
    audit.record(
        "import",
        "remittance",
        row.id,
        user=user,
        after={
            "trace_number": row.trace_number,
            "payer": row.payer_name,
            "payment_amount": row.payment_amount,
            "claims": len(data.claims),
            "file_name": row.file_name,
        },
    )
    return row


def _create_line(row, position, payment: ClaimPayment, posting: Posting, event) -> RemittanceLine:
    return RemittanceLine.create(
        remittance=row,
        position=position,
        claim=posting.claim,
        claim_reference=payment.claim_reference[:38],
        status_code=payment.status_code,
        charge=payment.charge,
        paid=payment.paid,
        patient_responsibility=payment.patient_responsibility,
        adjustments=json.dumps(
            [
                {"group": a.group, "reason": a.reason, "amount": str(a.amount)}
                for a in payment.adjustments
            ]
        ),
        payer_claim_number=payment.payer_claim_number[:50],
        patient_name=payment.patient_name[:120],
        service_date=payment.service_dates[0] if payment.service_dates else None,
        outcome=posting.outcome,
        outcome_note=posting.note,
        event=event,
    )


def payment_for_line(line: RemittanceLine) -> ClaimPayment:
    """The 835 claim payment a stored line came from (read again from the kept file)."""
    remittance = line.remittance
    for data in read_remittances(remittance.raw_text):
        if data.trace_number == remittance.trace_number and data.payer_id == remittance.payer_id:
            return data.claims[line.position - 1]
    raise LookupError(f"Payment {remittance.trace_number} is no longer in its stored file.")


def match_line(line: RemittanceLine, claim: Claim, user: User, today: date, is_manager: bool):
    """Post an unmatched line to the claim a person chose; returns the Posting.

    Raises ClaimError (the line stays unmatched) when the claim cannot take the payment."""
    payment = payment_for_line(line)
    posting = plan_posting(claim, [payment], line.remittance.payment_date, today, is_manager)
    if posting.outcome == "not_posted":
        raise ClaimError(f"Not posted to {claim.claim_reference}: {posting.note}")
    with write_transaction():
        event = None
        if posting.outcome == "posted":
            event = apply_posting(posting, user, line.remittance.trace_number)
        line.claim = claim
        line.outcome = "matched" if posting.outcome == "posted" else posting.outcome
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
            after={"claim": claim.claim_reference, "outcome": line.outcome},
        )
    return posting
