"""Importing an 835: preview what each claim payment would do, then post it once.

era835.read_remittances parses (strictly; see its docstring for why not edi-835-parser or
pyx12), matching.match_remittance finds each payment's claim by Rx number, date of service,
NDC and amount, and plan_posting decides each claim's new amounts and state without writing,
so the preview and the import agree. A payment already imported (same payer, trace number,
amount, date and payer name) is never posted again; one that reuses a trace number with
another amount, date or payer is held for a person, and so is one whose check does not
balance. Lines that fit no claim, several claims, or fail a sanity check wait in the
matching queue (RemittanceLine.waiting).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date

from portal.audit import log as audit
from portal.auth.models import User
from portal.claims.claims.lifecycle import ClaimState, IllegalClaimTransition, check_move
from portal.claims.claims.models import Claim, ClaimError, ClaimEvent
from portal.claims.remittance import rules
from portal.claims.remittance.era835 import read_remittances
from portal.claims.remittance.matching import doubts_about, match_remittance
from portal.claims.remittance.models import Remittance, RemittanceAdjustment, RemittanceLine
from portal.claims.remittance.posting import (
    adjudicated_for,
    is_payer_correction,
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
    already: Remittance | None  # the same payment imported before: nothing will be posted
    held_reason: str  # why importing would hold the payment for a person ("" if not)
    lines: list[tuple[ClaimPayment, Posting]]

    @property
    def unmatched(self) -> list[ClaimPayment]:
        return [payment for payment, posting in self.lines if posting.outcome != "posted"]


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


def _plan_remittance(data: RemittanceData, today: date, is_manager: bool):
    """Each payment with its Posting (shared by the payments of one claim) and its match."""
    matches = match_remittance(data)
    by_claim: dict[int, list[ClaimPayment]] = {}
    for payment, found in zip(data.claims, matches, strict=True):
        if found.claim is not None and not found.outcome:
            by_claim.setdefault(found.claim.id, []).append(payment)
    postings = {}
    for found in matches:
        if found.claim is None or found.outcome:
            continue
        if found.claim.id not in postings:
            payments = by_claim[found.claim.id]
            postings[found.claim.id] = plan_posting(
                found.claim, payments, data.payment_date, today, is_manager
            )
    lines = []
    for payment, found in zip(data.claims, matches, strict=True):
        if found.claim is not None and not found.outcome:
            posting = postings[found.claim.id]
        else:
            posting = Posting(found.claim, [payment], found.outcome, found.note)
        lines.append((payment, posting, found))
    return lines


def _same_payment(data: RemittanceData) -> tuple[Remittance | None, str]:
    """(the same payment imported before, why this one must be held): a known trace number
    with the same amount, date and payer is a re-import; with any of them different it is
    another payment, held for a person. A check that does not balance is held too."""
    differences = []
    for known in (
        Remittance.select()
        .where(
            (Remittance.payer_id == data.payer_id) & (Remittance.trace_number == data.trace_number)
        )
        .order_by(Remittance.id)
    ):
        found = rules.trace_differences(
            (known.payment_amount, known.payment_date, known.payer_name),
            (data.payment_amount, data.payment_date, data.payer_name),
        )
        if not found:
            return known, ""
        differences = differences or found
    reasons = []
    if differences:
        reasons.append(
            f"trace number {data.trace_number} was already used by another payment ("
            + "; ".join(differences)
            + "): check with the payer before posting"
        )
    claimed = sum((c.paid for c in data.claims), ZERO)
    withheld = sum((a.amount for a in data.provider_adjustments), ZERO)
    unbalanced = rules.check_balances(data.payment_amount, claimed, withheld)
    if unbalanced:
        reasons.append(f"the payment does not balance: {unbalanced}")
    return None, "; ".join(reasons)


def preview(text: str | bytes, today: date, is_manager: bool) -> list[RemittancePreview]:
    """What importing the file would do, payment by payment; raises RemittanceError."""
    previews = []
    for data in read_remittances(text):
        already, held = _same_payment(data)
        lines = []
        if not already:
            lines = [(p, posting) for p, posting, _ in _plan_remittance(data, today, is_manager)]
            if held:
                lines = [(p, _held(posting, held)) for p, posting in lines]
        previews.append(RemittancePreview(data, already, held, lines))
    return previews


def _held(posting: Posting, reason: str) -> Posting:
    """The line of a held payment: nothing posts until a person confirms it."""
    return Posting(posting.claim, posting.payments, "held", f"payment held: {reason}")


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

    @property
    def held(self) -> bool:
        return self.created and self.remittance.is_held


def import_file(
    text: str, file_name: str, user: User, today: date, is_manager: bool = False, progress=None
) -> list[ImportResult]:
    """Import every payment in an 835 file and post its claim payments; idempotent by TRN.
    progress(done, total, step), if given, hears how many claim lines are posted."""
    results = []
    progress = progress or (lambda *args: None)
    with write_transaction(), Claim.deferring_after_save():
        _one_import_at_a_time()
        progress(0, None, "Reading the 835 file")
        payments = read_remittances(text)
        total, done = sum(len(data.claims) for data in payments), 0
        for data in payments:
            existing, held = _same_payment(data)
            if existing is not None:
                results.append(ImportResult(existing, created=False))
                continue
            row = _create_remittance(data, text, file_name, user, held)
            lines = _plan_remittance(data, today, is_manager)
            events: dict[int, ClaimEvent | None] = {}
            for position, (payment, posting, found) in enumerate(lines, start=1):
                done += 1
                progress(done, total, f"Posting payment {data.trace_number}")
                if held:
                    posting = _held(posting, held)
                event = None
                if posting.outcome == "posted":
                    key = id(posting)
                    if key not in events:
                        events[key] = apply_posting(posting, user, data.trace_number)
                    event = events[key]
                _create_line(row, position, payment, posting, event, found.candidates)
            _store_plb(row, data, user, apply=not held, today=today)
            results.append(ImportResult(row, created=True))
    return results


# Any fixed number (the audit chain uses 7401, batch numbering 7402).
_IMPORT_LOCK = 7403


def _one_import_at_a_time() -> None:
    """Serialise 835 imports: SQLite's BEGIN IMMEDIATE already does; on PostgreSQL two
    uploads of the same file would both find no payment with its trace number and both
    post it. With a transaction-scoped advisory lock the second waits, then finds the
    first's payment: "already imported"."""
    if not is_sqlite():
        db.execute_sql("SELECT pg_advisory_xact_lock(%s)", (_IMPORT_LOCK,))


def _create_remittance(
    data: RemittanceData, text: str, file_name: str, user: User, held: str
) -> Remittance:
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
        status="held" if held else "posted",
        held_reason=held,
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
            "held": held,
        },
    )
    return row


def _create_line(
    row, position, payment: ClaimPayment, posting: Posting, event, candidates=()
) -> RemittanceLine:
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
        candidates=",".join(str(i) for i in candidates),
        event=event,
    )


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


def _store_plb(row: Remittance, data: RemittanceData, user: User, apply: bool, today: date) -> None:
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
        raise ClaimError("That line is no longer waiting: it was already posted or settled.")
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
            raise ClaimError("Someone else posted or settled this line just now; reload the page.")
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
