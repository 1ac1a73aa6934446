"""What staff do to a claim: record the payer's response, resubmit, appeal, bill on,
write off, reverse, assign, follow up, note.

Each function makes its change, the ClaimEvent and the audit event in one transaction
(Claim.move / Claim.note_event) and raises IllegalClaimTransition or ClaimError in words.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from portal.audit import log as audit
from portal.auth.models import User
from portal.claims import settings as claim_settings
from portal.claims.claims import rules
from portal.claims.claims.billing import (
    billed_compounding_record,
    bills_lines,
    compound_lines_for_record,
    not_compounded_yet,
)
from portal.claims.claims.lifecycle import ClaimState
from portal.claims.claims.models import (
    COVERED_INGREDIENTS_ONLY,
    Claim,
    ClaimError,
    ClaimEvent,
    ClaimReject,
)
from portal.claims.claims.reject_codes import describe, parse_reject_codes
from portal.foundation.dates import utcnow
from portal.foundation.db import write_transaction
from portal.foundation.i18n import N_
from portal.foundation.money import ZERO, billed_amount, format_money, parse_money
from portal.patients.models import Coverage

RESPONSE_OUTCOMES = (
    (ClaimState.PAID.value, N_("Paid")),
    (ClaimState.PARTIALLY_PAID.value, N_("Partially paid")),
    (ClaimState.REJECTED.value, N_("Rejected")),
)
PAID_STATES = (ClaimState.PAID.value, ClaimState.PARTIALLY_PAID.value)


def _follow_up_after_waiting(today: date) -> date:
    return today + timedelta(days=claim_settings.follow_up_days())


def submit(claim: Claim, user: User, today: date, note: str = "") -> ClaimEvent:
    """The claim was sent in the payer's or switch's portal: now we wait on the payer."""
    with write_transaction():
        updated = _bill_current_record(claim)
        claim.follow_up_on = _follow_up_after_waiting(today)
        words = note.strip() or "submitted to the payer"
        return claim.move(ClaimState.SUBMITTED, user, words + updated)


def _bill_current_record(claim: Claim) -> str:
    """Before a compound claim is sent (again), bill what its fill's completed compounding
    record measured now: a record rejected after the claim was opened was never dispensed,
    and the remake measured other amounts. Returns words for the history ("" when the
    lines are already the record's); raises ClaimError while the remake is unfinished."""
    if not (claim.is_compound and claim.fill_id):
        return ""
    record = billed_compounding_record(claim.fill)
    if record is None:
        raise ClaimError(not_compounded_yet(claim.fill))
    lines = compound_lines_for_record(record)
    if bills_lines(claim, lines):
        return ""
    was = claim.billed
    claim.store_compound_lines(lines)
    now = billed_amount(claim.ingredient_cost, claim.dispensing_fee, claim.compounding_fee)
    return (
        f"; ingredients billed from compounding record {record.id}, the one dispensed "
        f"(billed {format_money(was)}, now {format_money(now)})"
    )


def record_response(
    claim: Claim,
    user: User,
    outcome: str,
    today: date,
    *,
    allowed: Decimal | None = None,
    paid: Decimal = ZERO,
    patient_pay: Decimal = ZERO,
    reject_codes: str | list[str] = "",
    note: str = "",
    follow_up_on: date | None = None,
    over_billed_reason: str = "",
) -> ClaimEvent:
    """Record the payer's answer: paid, partially paid, or rejected with reject codes.

    A draft claim is first marked submitted (the answer proves it was sent). Plan paid plus
    patient pay above the amount billed is refused unless a reason is given (a typo there
    would show the payer paying more than it was asked for).
    """
    codes = parse_reject_codes(reject_codes) if isinstance(reject_codes, str) else reject_codes
    if outcome == ClaimState.REJECTED.value and not codes:
        raise ClaimError(
            N_("A rejection needs at least one reject code from the payer's response.")
        )
    if outcome not in dict(RESPONSE_OUTCOMES):
        raise ClaimError(f'"{outcome}" is not a response; choose paid, partially paid or rejected.')
    with write_transaction():
        if claim.status == ClaimState.DRAFT:
            submit(claim, user, today, "submitted to the payer (response recorded)")
        now = utcnow()
        claim.responded_at = now
        if outcome == ClaimState.REJECTED.value:
            return _record_rejection(claim, user, codes, today, note, follow_up_on)
        claim.allowed = None if allowed is None else parse_money(allowed)
        claim.paid = parse_money(paid)
        claim.patient_pay = parse_money(patient_pay)
        excess = rules.over_billed(claim.billed, claim.paid, claim.patient_pay)
        if excess and not over_billed_reason.strip():
            raise ClaimError(over_billed_words(claim.billed, claim.paid, claim.patient_pay))
        claim.adjudicated = adjudicated_at_counter(claim, outcome)
        claim.contractual = (
            max(claim.billed - claim.other_payer_paid - claim.allowed, ZERO)
            if claim.allowed is not None
            else ZERO
        )
        if excess:
            note = f"{note} Above billed by {format_money(excess)}: {over_billed_reason.strip()}"
        claim.paid_at = now
        claim.days_to_payment = (today - claim.date_of_service).days
        claim.follow_up_on = follow_up_on if outcome != ClaimState.PAID.value else None
        words = f"{outcome.replace('_', ' ')}: plan paid {format_money(claim.paid)}"
        if claim.patient_pay:
            words += f", patient pays {format_money(claim.patient_pay)}"
        return claim.move(
            outcome,
            user,
            f"{words}. {note}".strip() if note else words,
            kind="response",
            amounts={
                "allowed": claim.allowed,
                "paid": claim.paid,
                "patient_pay": claim.patient_pay,
            },
        )


def over_billed_words(billed: Decimal, paid: Decimal, patient_pay: Decimal) -> str:
    return (
        f"Plan paid {format_money(paid)} plus patient pays {format_money(patient_pay)} is "
        f"{format_money(paid + patient_pay)}, more than the {format_money(billed)} billed. "
        "Check the response; if it is right, say why to save it."
    )


def adjudicated_at_counter(claim: Claim, outcome: str) -> Decimal:
    """The plan amount of a response typed in: allowed less patient pay when the response
    shows the allowed amount; else what the plan paid (paid) or what was expected of it
    (partially paid: billed less other payer and patient pay)."""
    if claim.allowed is not None:
        return max(claim.allowed - claim.patient_pay, ZERO)
    if outcome == ClaimState.PAID.value:
        return claim.paid
    return max(claim.billed - claim.other_payer_paid - claim.patient_pay, ZERO)


def _record_rejection(claim, user, codes, today, note, follow_up_on) -> ClaimEvent:
    table = claim_settings.reject_table()
    claim.times_rejected += 1
    claim.paid, claim.patient_pay, claim.allowed, claim.adjudicated = ZERO, ZERO, None, None
    claim.follow_up_on = follow_up_on or today
    words = "rejected: " + "; ".join(
        describe(code, table).split(". Next step")[0] for code in codes
    )
    event = claim.move(
        ClaimState.REJECTED, user, f"{words}. {note}".strip() if note else words, kind="response"
    )
    now = utcnow()
    for position, code in enumerate(codes, start=1):
        ClaimReject.create(
            claim=claim,
            event=event,
            position=position,
            code=code,
            rejected_at=now,
            date_of_service=claim.date_of_service,
            payer=claim.payer_id,
        )
    ClaimReject.recorded(claim.date_of_service, claim.payer_id)
    return event


def resubmit(
    claim: Claim,
    user: User,
    today: date,
    note: str,
    *,
    covered_ingredients_only: bool | None = None,
) -> ClaimEvent:
    """Corrected and resubmitted (NCPDP B1 again, or B3 rebill): wait on the payer again.

    covered_ingredients_only sets (True) or clears (False) a compound's Submission
    Clarification Code 8, which asks the plan to pay for the covered ingredients only: the
    usual answer to reject 70 on a compound (NCPDP D.0 compound segment). It is not sent up front,
    because it accepts a payment that silently leaves the uncovered ingredients unpaid.
    None leaves the code as it is.
    """
    if not note.strip():
        raise ClaimError(N_("Say what was corrected before resubmitting (it goes in the history)."))
    words = f"corrected and resubmitted: {note.strip()}"
    if covered_ingredients_only is not None:
        if covered_ingredients_only and not claim.is_compound:
            raise ClaimError(
                N_(
                    "Submission Clarification Code 8 is for compounds: it asks the plan to pay "
                    "for a compound's covered ingredients only."
                )
            )
        code = COVERED_INGREDIENTS_ONLY if covered_ingredients_only else ""
        if code != claim.submission_clarification_code:
            claim.submission_clarification_code = code
            words += (
                "; with Submission Clarification Code 8 (pay for covered ingredients only)"
                if code
                else "; without Submission Clarification Code 8"
            )
    with write_transaction():
        words += _bill_current_record(claim)
        claim.follow_up_on = _follow_up_after_waiting(today)
        return claim.move(ClaimState.SUBMITTED, user, words)


def appeal(claim: Claim, user: User, today: date, note: str) -> ClaimEvent:
    if not note.strip():
        raise ClaimError(
            N_("Say how the claim was appealed (who, how, reference) for the history.")
        )
    claim.follow_up_on = _follow_up_after_waiting(today)
    return claim.move(ClaimState.APPEALED, user, f"appealed: {note.strip()}")


def was_paid(claim: Claim) -> bool:
    """Whether a payer ever adjudicated the claim as paid (so there is a payment to reverse)."""
    return (
        ClaimEvent.select()
        .where((ClaimEvent.claim == claim) & ClaimEvent.to_state.in_(PAID_STATES))
        .exists()
    )


def reverse(claim: Claim, user: User, note: str = "") -> ClaimEvent:
    """The payer's payment is taken back (NCPDP B2), e.g. the fill went back to stock."""
    if not was_paid(claim):
        raise ClaimError(
            N_(
                "This claim was never paid, so there is no payment to reverse. "
                "If the fill went back to stock, there is nothing to tell this payer."
            )
        )
    amounts = {"paid": -claim.paid, "patient_pay": -claim.patient_pay}
    claim.paid, claim.patient_pay, claim.days_to_payment, claim.follow_up_on = (
        ZERO,
        ZERO,
        None,
        None,
    )
    claim.adjudicated = None
    return claim.move(ClaimState.REVERSED, user, note or "reversed", amounts=amounts)


# What a B3 rebill may correct on the claim it replaces.
REBILL_FIELDS = (
    "ingredient_cost",
    "dispensing_fee",
    "compounding_fee",
    "product_id",
    "product_description",
    "quantity",
    "days_supply",
    "daw",
)


def rebill(claim: Claim, user: User, today: date, note: str, **corrections) -> Claim:
    """NCPDP D.0 B3: correct a paid claim in one step, reversing it and billing the fill
    again to the same payer as a new claim (submitted). A rejected claim has nothing to
    reverse: it is resubmitted instead."""
    if claim.status == ClaimState.REJECTED:
        raise ClaimError(
            N_("A rejected claim has no payment to reverse: correct it and resubmit it instead.")
        )
    if not note.strip():
        raise ClaimError(N_("Say what the rebill corrects (it goes in both claims' history)."))
    unknown = set(corrections) - set(REBILL_FIELDS)
    if unknown:
        raise ClaimError(f"A rebill cannot change {', '.join(sorted(unknown))}.")
    values = {name: getattr(claim, name) for name in REBILL_FIELDS}
    if all(values[name] == value for name, value in corrections.items()):
        raise ClaimError(
            N_(
                "The rebill changes nothing on the claim: correct what the payer was sent wrong "
                "(quantity, days supply, DAW code or an amount), or reverse the claim instead."
            )
        )
    values.update(corrections)
    with write_transaction():
        reverse(claim, user, f"reversed by rebill (B3): {note.strip()}")
        new = Claim.open(
            claim.coverage,
            rx_number=claim.rx_number,
            fill_number=claim.fill_number,
            date_of_service=claim.date_of_service,
            user=user,
            primary_claim=claim.primary_claim,
            other_coverage_code=claim.other_coverage_code,
            fill=claim.fill,
            quantity_unit=claim.quantity_unit,
            note=f"rebill (B3) of claim {claim.id}: {note.strip()}",
            compound_lines=[
                {
                    "ingredient_name": line.ingredient_name,
                    "ndc": line.ndc,
                    "quantity": line.quantity,
                    "unit": line.unit,
                    "cost": line.cost,
                }
                for line in claim.compound_lines()
            ]
            or None,
            **values,
        )
        submit(new, user, today, f"rebilled (B3): {note.strip()}")
    return new


def secondary_coverages(claim: Claim) -> list[Coverage]:
    """The patient's other coverages in effect on the date of service (for secondary billing)."""
    return [
        coverage
        for coverage in Coverage.billable_for(claim.patient_id, claim.date_of_service)
        if coverage.payer_id != claim.payer_id
    ]


def bill_secondary(claim: Claim, user: User, coverage: Coverage, note: str = "") -> Claim:
    """Send the remaining balance to another coverage: a claim of its own, with the primary's
    payment as Other Payer Amount Paid (431-DV) and the Other Coverage Code (308-C8)."""
    if coverage.patient_id != claim.patient_id or coverage.payer_id == claim.payer_id:
        raise ClaimError(N_("Choose another coverage of the same patient, with another payer."))
    if claim.is_secondary:
        raise ClaimError(N_("This is already a secondary claim; Mortar bills one secondary payer."))
    code = "2" if claim.paid > 0 else "3"
    with write_transaction():
        remaining = claim.balance
        claim.follow_up_on = None
        claim.move(
            ClaimState.BILLED_SECONDARY,
            user,
            note or f"remaining {format_money(remaining)} billed to {coverage.payer.name}",
        )
        lines = [
            {
                "ingredient_name": line.ingredient_name,
                "ndc": line.ndc,
                "quantity": line.quantity,
                "unit": line.unit,
                "cost": line.cost,
            }
            for line in claim.compound_lines()
        ]
        return Claim.open(
            coverage,
            rx_number=claim.rx_number,
            fill_number=claim.fill_number,
            date_of_service=claim.date_of_service,
            user=user,
            ingredient_cost=claim.ingredient_cost,
            dispensing_fee=claim.dispensing_fee,
            compounding_fee=claim.compounding_fee,
            product_id=claim.product_id,
            product_description=claim.product_description,
            quantity=claim.quantity,
            quantity_unit=claim.quantity_unit,
            days_supply=claim.days_supply,
            daw=claim.daw,
            compound_lines=lines or None,
            primary_claim=claim,
            fill=claim.fill,
            other_coverage_code=code,
            note=(
                f"secondary claim after {claim.claim_reference}: primary paid "
                f"{format_money(claim.paid)}, remaining {format_money(remaining)}, "
                f"other coverage code {code}"
            ),
        )


def write_off(claim: Claim, user: User, note: str, *, cosign_note: str = "") -> ClaimEvent:
    """A manager's decision: the balance will not be collected. `cosign_note` says who
    co-signed at whose terminal, for the claim's history."""
    if not note.strip():
        raise ClaimError(N_("Say why the balance is written off (it goes in the history)."))
    amount = claim.balance
    claim.written_off = claim.written_off + amount
    claim.follow_up_on = None
    return claim.move(
        ClaimState.WRITTEN_OFF,
        user,
        f"{format_money(amount)} written off: {note.strip()}",
        amounts={"adjustments": amount},
        cosign_note=cosign_note,
    )


def bill_patient(claim: Claim, user: User, note: str = "", *, cosign_note: str = "") -> ClaimEvent:
    """A manager's decision: the patient pays the balance (cash). `cosign_note` says who
    co-signed at whose terminal, for the claim's history."""
    amount = claim.balance
    claim.follow_up_on = None
    words = f"{format_money(amount)} billed to the patient"
    return claim.move(
        ClaimState.BILLED_PATIENT,
        user,
        f"{words}: {note.strip()}" if note.strip() else words,
        cosign_note=cosign_note,
    )


def assign(claim: Claim, user: User, assignee: User | None) -> ClaimEvent:
    before = audit.snapshot(claim)
    claim.assigned_to = assignee
    words = f"assigned to {assignee.full_name}" if assignee else "unassigned"
    return claim.note_event("assign", user, words, before=before)


def set_follow_up(claim: Claim, user: User, when: date | None, note: str = "") -> ClaimEvent:
    before = audit.snapshot(claim)
    claim.follow_up_on = when
    words = f"follow up on {when:%m/%d/%Y}" if when else "follow-up date cleared"
    if note.strip():
        words += f": {note.strip()}"
    return claim.note_event("follow_up", user, words, before=before)


def add_note(claim: Claim, user: User, text: str) -> ClaimEvent:
    if not text.strip():
        raise ClaimError(N_("Write the note first."))
    return claim.note_event("note", user, text.strip())
