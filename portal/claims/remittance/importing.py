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
from dataclasses import dataclass
from datetime import date

from portal.audit import log as audit
from portal.auth.models import User
from portal.claims.claims.models import Claim
from portal.claims.remittance import rules
from portal.claims.remittance.era835 import read_remittances
from portal.claims.remittance.matching import match_remittance
from portal.claims.remittance.models import Remittance, RemittanceLine
from portal.claims.remittance.plan import Posting, apply_postings, plan_posting
from portal.claims.remittance.plb import store_plb
from portal.claims.remittance.values import ClaimPayment
from portal.claims.remittance.values import Remittance as RemittanceData
from portal.foundation.db import db, is_sqlite, write_transaction
from portal.foundation.money import ZERO


@dataclass
class RemittancePreview:
    data: RemittanceData
    already: Remittance | None  # the same payment imported before: nothing will be posted
    held_reason: str  # why importing would hold the payment for a person ("" if not)
    lines: list[tuple[ClaimPayment, Posting]]

    @property
    def unmatched(self) -> list[ClaimPayment]:
        return [payment for payment, posting in self.lines if posting.outcome != "posted"]


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
            if held:
                lines = [(p, _held(posting, held), found) for p, posting, found in lines]
            progress(done, total, f"Posting payment {data.trace_number}")
            unique = {id(posting): posting for _, posting, _ in lines}
            to_post = [posting for posting in unique.values() if posting.outcome == "posted"]
            events, refused = apply_postings(to_post, user, data.trace_number)
            rows = []
            for position, (payment, posting, found) in enumerate(lines, start=1):
                if id(posting) in refused:
                    # Changed by another terminal since it was read: left for a person.
                    why = refused[id(posting)]
                    posting = Posting(posting.claim, posting.payments, "not_posted", why)
                rows.append(
                    _line_values(
                        row, position, payment, posting, events.get(id(posting)), found.candidates
                    )
                )
            for start in range(0, len(rows), _LINE_BATCH):
                RemittanceLine.insert_many(rows[start : start + _LINE_BATCH]).execute()
            done += len(lines)
            progress(done, total, f"Posting payment {data.trace_number}")
            store_plb(row, data, user, apply=not held, today=today)
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


_LINE_BATCH = 200  # rows per INSERT (20 columns: under SQLite's bound-parameter limit)


def _line_values(
    row, position, payment: ClaimPayment, posting: Posting, event, candidates=()
) -> dict:
    """The columns of one stored 835 line (inserted in batches)."""
    return dict(
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
