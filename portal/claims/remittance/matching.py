"""Finding the claim each 835 payment is for, PBM style, in a few queries for the whole file.

rules.match_claim decides on plain values; this module loads the claims of every Rx number
in the file at once (a 5,000-line file is a handful of IN queries, not 5,000 lookups) and
asks rules.posting_doubts whether a person must look before anything is posted.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from portal.claims.claims.lifecycle import ClaimState
from portal.claims.claims.models import Claim
from portal.claims.remittance import rules
from portal.claims.remittance.models import Remittance, RemittanceLine
from portal.claims.remittance.values import ClaimPayment
from portal.claims.remittance.values import Remittance as RemittanceData
from portal.patients.models import Patient, Payer

_CHUNK = 500  # bound parameters per IN (SQLite's limit is far above; PostgreSQL has none)


@dataclass
class LineMatch:
    """Where one payment goes: a claim to post to, or a person to ask (and why)."""

    claim: Claim | None
    candidates: tuple[int, ...]
    outcome: str  # "" (post) | unmatched | ambiguous | held
    note: str = ""
    doubts: list[str] = field(default_factory=list)


def line_facts(payment: ClaimPayment) -> rules.LineFacts:
    rx_number, fill_number = rules.rx_from_clp01(payment.claim_reference)
    ndc = next(
        (rules.ndc11(s.product_id) for s in payment.service_lines if s.product_qualifier == "N4"),
        "",
    )
    return rules.LineFacts(
        rx_number=rx_number,
        fill_number=fill_number,
        service_date=payment.service_dates[0] if payment.service_dates else None,
        ndc=ndc,
        charge=payment.charge,
    )


def claims_by_rx(rx_numbers: set[str]) -> dict[str, list[Claim]]:
    """Every claim (with patient and payer) of these Rx numbers that can still take money:
    a reversed claim is finished, its fill billed again as a new claim."""
    found: dict[str, list[Claim]] = {}
    wanted = sorted(n for n in rx_numbers if n)
    for start in range(0, len(wanted), _CHUNK):
        chunk = wanted[start : start + _CHUNK]
        query = (
            Claim.select(Claim, Patient, Payer)
            .join_from(Claim, Patient)
            .join_from(Claim, Payer)
            .where(Claim.rx_number.in_(chunk) & (Claim.status != ClaimState.REVERSED.value))
            .order_by(Claim.id)
        )
        for claim in query:
            found.setdefault(claim.rx_number.lstrip("0"), []).append(claim)
    return found


def facts(claim: Claim) -> rules.ClaimFacts:
    return rules.ClaimFacts(
        claim.id,
        claim.rx_number,
        claim.fill_number,
        claim.date_of_service,
        claim.product_id,
        claim.billed,
    )


def doubts_about(claim: Claim, payment: ClaimPayment, payer_name: str) -> list[str]:
    return rules.posting_doubts(
        remittance_payer=payer_name,
        claim_payer=claim.payer.name,
        claim_payer_code=claim.payer.code,
        nm1_name=payment.patient_name,
        last_name=claim.patient.last_name,
        first_name=claim.patient.first_name,
        payment=payment.paid,
        billed=claim.billed,
    )


def earlier_payments(claim_ids: set[int]) -> dict[int, str]:
    """Claims an earlier remittance already paid (not reversed), with that payment's trace."""
    found: dict[int, str] = {}
    ids = sorted(claim_ids)
    for start in range(0, len(ids), _CHUNK):
        rows = (
            RemittanceLine.select(
                RemittanceLine.claim, RemittanceLine.status_code, RemittanceLine.paid, Remittance
            )
            .join(Remittance)
            .where(
                RemittanceLine.claim.in_(ids[start : start + _CHUNK])
                & RemittanceLine.outcome.in_(("posted", "matched", "confirmed"))
            )
            .order_by(RemittanceLine.id)
        )
        for row in rows:
            if row.status_code == "22":
                found.pop(row.claim_id, None)
            elif row.paid:
                found[row.claim_id] = row.remittance.trace_number
    return found


def match_remittance(data: RemittanceData) -> list[LineMatch]:
    """Each payment's match, in file order."""
    wanted = [line_facts(payment) for payment in data.claims]
    claims = claims_by_rx({f.rx_number for f in wanted})
    paid_before = earlier_payments({c.id for group in claims.values() for c in group})
    reversed_here: set[int] = set()
    matches = []
    for payment, line in zip(data.claims, wanted, strict=True):
        found = claims.get(line.rx_number, [])
        decision = rules.match_claim(line, [facts(c) for c in found])
        if decision.claim_id is None:
            outcome = "ambiguous" if len(decision.candidates) > 1 else "unmatched"
            matches.append(LineMatch(None, decision.candidates, outcome, decision.note))
            continue
        claim = next(c for c in found if c.id == decision.claim_id)
        doubts = doubts_about(claim, payment, data.payer_name)
        if payment.is_reversal:
            reversed_here.add(claim.id)
        elif claim.id in paid_before and claim.id not in reversed_here and payment.paid:
            doubts.append(
                f"the claim was already paid on payment {paid_before[claim.id]}: "
                "this may be a duplicate payment"
            )
        if doubts:
            note = "not posted until a person confirms: " + "; ".join(doubts)
            matches.append(LineMatch(claim, (claim.id,), "held", note, doubts))
        else:
            matches.append(LineMatch(claim, (claim.id,), ""))
    return matches
