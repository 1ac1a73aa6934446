"""Rules for posting an 835 to pharmacy claims, on plain values (X12 005010X221A1).

- Money: CAS group CO is contractual (never collectable), PR is the patient's (1 deductible,
  2 coinsurance, 3 copay), anything else (OA, PI) is what the plan kept back from its own
  adjudicated amount: a short pay to follow up.
- Matching (PBM practice): CLP01 carries the prescription number, not a reference of the
  pharmacy's own; a fill is found by Rx number, then date of service (DTM*232 or the service
  line's DTM*472), then product (SVC01-1 qualifier N4, the 11-digit NDC), then amount billed
  (CLP03).
- Sanity: never post to another payer's claim, another patient's claim (NM1*QC), or more
  than was billed, without a person confirming.
- Idempotence: a payment is TRN02 (trace) with TRN03 (payer); a known trace with another
  amount, date or payer is a different payment to hold, not a re-import to skip.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from portal.claims.remittance import codes
from portal.foundation.money import ZERO, format_money

CONTRACTUAL, PATIENT = "CO", "PR"


@dataclass(frozen=True)
class AdjustmentTotals:
    contractual: Decimal  # CO
    patient: Decimal  # PR
    other: Decimal  # OA, PI: the plan paying less than it adjudicated


def adjustment_totals(adjustments: Iterable) -> AdjustmentTotals:
    """Sum CAS adjustments by who bears them (anything with .group and .amount)."""
    totals = {CONTRACTUAL: ZERO, PATIENT: ZERO, "": ZERO}
    for adjustment in adjustments:
        key = adjustment.group if adjustment.group in (CONTRACTUAL, PATIENT) else ""
        totals[key] += adjustment.amount
    return AdjustmentTotals(totals[CONTRACTUAL], totals[PATIENT], totals[""])


def adjudicated_plan_amount(charge: Decimal, contractual: Decimal, patient: Decimal) -> Decimal:
    """What the plan itself said it owes: billed less contractual and patient parts."""
    return charge - contractual - patient


def short_pay_reason(adjustments: Iterable, adjudicated: Decimal, paid: Decimal) -> str:
    """Why the plan paid less than it adjudicated, in words ("" when it did not)."""
    if paid >= adjudicated:
        return ""
    reasons = [
        f"{a.group}-{a.reason} {codes.reason_label(a.reason)} {format_money(a.amount)}"
        for a in adjustments
        if a.group not in (CONTRACTUAL, PATIENT)
    ]
    because = "; ".join(reasons) or "the remittance gives no reason"
    return (
        f"short pay: the plan paid {format_money(paid)} of the {format_money(adjudicated)} "
        f"it adjudicated ({because})"
    )


# ---- matching ----


@dataclass(frozen=True)
class ClaimFacts:
    """What matching needs to know of one claim."""

    id: int
    rx_number: str
    fill_number: int
    date_of_service: date
    product_id: str
    billed: Decimal


@dataclass(frozen=True)
class LineFacts:
    """What matching reads from one CLP."""

    rx_number: str
    fill_number: int | None  # only when CLP01 is a reference "rx-fill-payer"
    service_date: date | None
    ndc: str  # 11 digits, "" when the 835 has none
    charge: Decimal


_DIGITS = re.compile(r"[0-9]+")
_REFERENCE = re.compile(r"([0-9]{1,12})-([0-9]{1,2})(?:-[A-Z0-9]{1,12})?")


def rx_from_clp01(text: str) -> tuple[str, int | None]:
    """The Rx number in CLP01 (without leading zeros) and, for "100123-0-MEDRX" style
    references, the fill number; ("", None) when CLP01 holds no Rx number."""
    text = text.strip().upper()
    reference = _REFERENCE.fullmatch(text)
    if reference:
        return str(int(reference[1])), int(reference[2])
    if _DIGITS.fullmatch(text):
        return str(int(text)), None
    return "", None


def ndc11(text: str) -> str:
    """An NDC as 11 digits (the HIPAA billing form): "00093-7164-01" -> "00093716401"."""
    digits = re.sub(r"[^0-9]", "", text)
    return digits if len(digits) == 11 else ""


@dataclass(frozen=True)
class Match:
    claim_id: int | None  # the one claim, when exactly one fits
    candidates: tuple[int, ...]  # what a person chooses from otherwise
    note: str


def match_claim(line: LineFacts, claims: Sequence[ClaimFacts]) -> Match:
    """Narrow the claims with this Rx number to one: date of service, NDC, then billed."""
    found = [c for c in claims if c.rx_number.lstrip("0") == line.rx_number.lstrip("0")]
    if not line.rx_number or not found:
        return Match(None, (), f"no claim for Rx {line.rx_number or '(none in CLP01)'}")
    if line.fill_number is not None:
        found = [c for c in found if c.fill_number == line.fill_number] or found
    steps = (
        ("date of service", line.service_date, lambda c: c.date_of_service == line.service_date),
        ("NDC", line.ndc, lambda c: ndc11(c.product_id) == line.ndc),
        ("amount billed", line.charge, lambda c: c.billed == abs(line.charge)),
    )
    for what, value, fits in steps:
        if len(found) == 1 and what != "date of service":
            break
        if not value:
            continue
        narrowed = [c for c in found if fits(c)]
        if not narrowed:
            ids = tuple(c.id for c in found)
            return Match(None, ids, f"Rx {line.rx_number} has no claim with this {what}")
        found = narrowed
    if len(found) == 1:
        return Match(found[0].id, (found[0].id,), "")
    ids = tuple(c.id for c in found)
    return Match(None, ids, f"Rx {line.rx_number} fits {len(found)} claims: choose one")


def _words(name: str) -> list[str]:
    return re.findall(r"[A-Z0-9]+", name.upper())


def same_payer(remittance_payer: str, claim_payer: str, claim_payer_code: str) -> bool:
    """Whether the 835's payer (N1*PR) names the claim's payer: same words, or the payer's
    short code among them."""
    words, theirs = _words(remittance_payer), _words(claim_payer)
    if not words:
        return True  # nothing to compare: the reader refuses a file without N1*PR anyway
    return words == theirs or claim_payer_code.upper() in words


def same_patient(nm1_name: str, last_name: str, first_name: str) -> bool:
    """Whether NM1*QC ("LAST, FIRST") names this patient: same last name and first initial."""
    if not nm1_name.strip():
        return True
    last, _, first = nm1_name.partition(",")
    if _words(last) != _words(last_name):
        return False
    first, ours = _words(first), _words(first_name)
    return not first or not ours or first[0][0] == ours[0][0]


def posting_doubts(
    *,
    remittance_payer: str,
    claim_payer: str,
    claim_payer_code: str,
    nm1_name: str,
    last_name: str,
    first_name: str,
    payment: Decimal,
    billed: Decimal,
) -> list[str]:
    """Why a matched line must wait for a person before it is posted ([] when it need not)."""
    doubts = []
    if not same_payer(remittance_payer, claim_payer, claim_payer_code):
        doubts.append(
            f"the payment is from {remittance_payer}, the claim is billed to {claim_payer}"
        )
    if not same_patient(nm1_name, last_name, first_name):
        doubts.append(
            f"the remittance names patient {nm1_name}, the claim is for {last_name}, {first_name}"
        )
    if payment > billed:
        doubts.append(
            f"the payment {format_money(payment)} is more than the {format_money(billed)} billed"
        )
    return doubts


# ---- idempotence ----


def trace_differences(
    known: tuple[Decimal, date, str], new: tuple[Decimal, date, str]
) -> list[str]:
    """How a payment reusing a known trace number differs from the one imported (amount,
    date, payer name); [] when it is the same payment again."""
    labels = ("amount", "date", "payer")
    differences = []
    for label, was, now in zip(labels, known, new, strict=True):
        if (_words(was) != _words(now)) if label == "payer" else was != now:
            shown = [format_money(v) if label == "amount" else str(v) for v in (was, now)]
            differences.append(f"{label} {shown[0]} before, {shown[1]} now")
    return differences


# ---- provider-level adjustments ----

RECOUPMENTS = frozenset({"WO", "72", "FB", "J1", "CS"})


def plb_reference_rx(reference: str) -> str:
    """The Rx number a PLB03-2 reference names ("60031-0-CDISC" -> "60031"; "" if none)."""
    rx, _ = rx_from_clp01(reference.split(" ")[0])
    if rx:
        return rx
    head = reference.strip().split("-")[0]
    return str(int(head)) if _DIGITS.fullmatch(head) else ""


def check_balances(payment: Decimal, claim_paid: Decimal, plb_total: Decimal) -> str:
    """005010X221A1 1.10.2.1: BPR02 = sum of CLP04 - sum of PLB amounts. Words when not."""
    if claim_paid - plb_total == payment:
        return ""
    return (
        f"the check pays {format_money(payment)}, but the claims pay {format_money(claim_paid)} "
        f"less provider adjustments {format_money(plb_total)} = "
        f"{format_money(claim_paid - plb_total)}"
    )
