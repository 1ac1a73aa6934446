"""Reading an X12 835 remittance advice (005010X221A1) into plain dataclasses.

Why a parser of our own: the two PyPI candidates were tried on the sample
files in tests/claims/data. edi-835-parser 1.8.0 returns money as float,
drops claim-level CAS segments and all but the first reason in a CAS segment,
ignores TRN and PLB, guesses delimiters instead of reading them from ISA,
only reads from a file path, and pulls in pandas and numpy. pyx12 4.0.0 is
correct and maintained, and its validator accepts our samples, but its
reading API silently accepts a truncated file or a wrong SE count, keeps only
the last error, and gives back strings we would still have to turn into money
and dates ourselves. The subset a pharmacy needs is small, so this module
reads it strictly, with every error in words naming the segment and line.

What is read (per transaction set): BPR (payment), TRN (trace number),
N1*PR / N1*PE (payer, payee), CLP (one claim), CAS (adjustments, up to six
per segment, claim and service-line level), NM1*QC (patient), DTM*232/233
(claim service dates), SVC with DTM*472/150/151 and AMT*B6 (service lines),
PLB (provider-level adjustments). Other 835 segments are passed over.
Amounts must balance as the TR3 requires (section 1.10.2.1): per claim,
charge - paid = sum of its adjustments; per payment, sum of claim payments -
sum of provider adjustments = BPR02.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from portal.claims.remittance import codes
from portal.claims.remittance.values import (
    Adjustment,
    ClaimPayment,
    ProviderAdjustment,
    Remittance,
    RemittanceError,
    ServiceLine,
)
from portal.claims.remittance.x12 import (
    Segment,
    TransactionSet,
    X12SyntaxError,
    read_transaction_sets,
)

__all__ = [
    "Adjustment",
    "ClaimPayment",
    "ProviderAdjustment",
    "Remittance",
    "RemittanceError",
    "ServiceLine",
    "read_remittance",
    "read_remittances",
]

_KNOWN_TAGS = frozenset(
    ("ST", "SE", "BPR", "TRN", "CUR", "REF", "DTM", "N1", "N2", "N3", "N4", "PER", "RDM", "LX")
    + ("TS3", "TS2", "CLP", "CAS", "NM1", "MIA", "MOA", "AMT", "QTY", "SVC", "LQ", "PLB")
)
_VERSION = "005010X221"
_ZERO = Decimal("0.00")


def read_remittances(text: str | bytes) -> list[Remittance]:
    """Every remittance (835 transaction set) in a file; raise RemittanceError if unusable."""
    if isinstance(text, bytes):
        try:
            text = text.decode("utf-8")
        except UnicodeDecodeError:
            text = text.decode("latin-1")
    try:
        return [_read_remittance(transaction) for transaction in read_transaction_sets(text)]
    except X12SyntaxError as error:
        raise RemittanceError(str(error)) from None


def read_remittance(text: str | bytes) -> Remittance:
    """The one remittance in a file; raise RemittanceError if there are none or several."""
    remittances = read_remittances(text)
    if len(remittances) != 1:
        raise RemittanceError(f"The file holds {len(remittances)} payments; expected exactly one.")
    return remittances[0]


def _read_remittance(transaction: TransactionSet) -> Remittance:
    """Read one ST...SE transaction set into a Remittance."""
    st = transaction.segments[0]
    if transaction.code != "835":
        raise RemittanceError(
            f"The {st.where()} starts an X12 {transaction.code} transaction, "
            "not an 835 remittance advice."
        )
    if not transaction.version.startswith(_VERSION):
        raise RemittanceError(
            f"The remittance starting on line {st.line} is X12 version "
            f"{transaction.version or '(none)'}; Mortar reads {_VERSION}A1 (HIPAA 5010) only."
        )
    return _RemittanceReader(transaction.segments).read()


class _LineDraft:
    """A service line being read: its SVC and what follows it."""

    def __init__(self, svc: Segment) -> None:
        self.svc = svc
        self.adjustments: list[Adjustment] = []
        self.dates: dict[str, date] = {}
        self.allowed: Decimal | None = None

    def build(self) -> ServiceLine:
        """The finished service line."""
        product = self.svc.components(1)
        return ServiceLine(
            product_qualifier=product[0],
            product_id=product[1] if len(product) > 1 else "",
            charge=self.svc.money(2, "line charge"),
            paid=self.svc.money(3, "line payment"),
            units=self.svc.number(5, "units paid"),
            service_date=self.dates.get("472") or self.dates.get("150"),
            allowed=self.allowed,
            adjustments=self.adjustments,
        )


class _ClaimDraft:
    """A claim being read: its CLP and what follows it."""

    def __init__(self, clp: Segment) -> None:
        self.clp = clp
        self.adjustments: list[Adjustment] = []
        self.lines: list[_LineDraft] = []
        self.dates: dict[str, date] = {}
        self.patient_name = ""

    def build(self) -> ClaimPayment:
        """The finished claim payment, once its amounts are checked to balance."""
        clp = self.clp
        reference = clp.element(1).strip()
        if not reference:
            raise RemittanceError(f"The {clp.where()} has no claim reference (CLP01).")
        status = clp.element(2)
        if status not in codes.CLAIM_STATUSES:
            raise RemittanceError(
                f"The {clp.where()} has claim status {status!r} (CLP02), "
                "which 005010X221A1 does not define."
            )
        lines = [line.build() for line in self.lines]
        adjustments = self.adjustments + [a for line in lines for a in line.adjustments]
        charge, paid = clp.money(3, "claim charge"), clp.money(4, "claim payment")
        _check_claim_balance(clp, reference, charge, paid, adjustments)
        patient_responsibility = clp.optional_money(5, "patient responsibility")
        if patient_responsibility is None:  # CLP05 is only required when it is not zero
            patient_responsibility = sum((a.amount for a in adjustments if a.group == "PR"), _ZERO)
        return ClaimPayment(
            claim_reference=reference,
            status_code=status,
            status_label=codes.CLAIM_STATUSES[status],
            charge=charge,
            paid=paid,
            patient_responsibility=patient_responsibility,
            adjustments=adjustments,
            service_dates=self._service_dates(),
            payer_claim_number=clp.element(7),
            patient_name=self.patient_name,
            service_lines=lines,
        )

    def _service_dates(self) -> tuple[date, date] | None:
        """Claim dates (DTM*232/233), else the span of the service lines' dates."""
        starts = [d for line in self.lines for q, d in line.dates.items() if q in ("472", "150")]
        ends = [d for line in self.lines for q, d in line.dates.items() if q in ("472", "151")]
        start = self.dates.get("232") or min(starts, default=None)
        end = self.dates.get("233") or max(ends, default=None)
        if start is None or end is None:
            single = start or end
            return None if single is None else (single, single)
        return (start, end)


class _RemittanceReader:
    """Reads the segments of one 835 transaction set, in order."""

    def __init__(self, segments: tuple[Segment, ...]) -> None:
        self.segments = segments
        self.found: dict[str, Segment] = {}
        self.claims: list[_ClaimDraft] = []
        self.provider_adjustments: list[ProviderAdjustment] = []

    def read(self) -> Remittance:
        """Read every segment between ST and SE, then build the Remittance."""
        st, body = self.segments[0], self.segments[1:-1]
        if not body or body[0].tag != "BPR":
            raise RemittanceError(
                f"The remittance starting on line {st.line} must begin with BPR (the payment)."
            )
        for segment in body:
            if segment.tag not in _KNOWN_TAGS:
                raise RemittanceError(f"The {segment.where()} does not belong in an 835.")
            self._read_segment(segment)
        return self._build(st)

    def _read_segment(self, segment: Segment) -> None:
        """Note what one segment says, in the claim or service line it belongs to."""
        tag, qualifier = segment.tag, segment.element(1)
        claim = self.claims[-1] if self.claims and not self.provider_adjustments else None
        line = claim.lines[-1] if claim and claim.lines else None
        innermost = line or claim
        if tag in ("BPR", "TRN") or (tag == "N1" and qualifier in ("PR", "PE")):
            key = f"N1*{qualifier}" if tag == "N1" else tag
            if key in self.found:
                raise RemittanceError(f"The {segment.where()} repeats {key}.")
            self.found[key] = segment
        elif tag == "CLP":
            if self.provider_adjustments:
                raise RemittanceError(f"The {segment.where()} comes after the PLB segments.")
            self.claims.append(_ClaimDraft(segment))
        elif tag in ("CAS", "SVC") and claim is None:
            raise RemittanceError(f"The {segment.where()} is not inside a claim (CLP).")
        elif tag == "CAS" and innermost:
            innermost.adjustments.extend(_adjustments(segment))
        elif tag == "SVC" and claim:
            claim.lines.append(_LineDraft(segment))
        elif tag == "DTM" and innermost:
            innermost.dates[qualifier] = segment.date_value(2, f"date {qualifier}")
        elif tag == "AMT" and line and qualifier == "B6":
            line.allowed = segment.money(2, "allowed amount")
        elif tag == "NM1" and claim and qualifier == "QC":
            last, first = segment.element(3), segment.element(4)
            claim.patient_name = f"{last}, {first}" if first else last
        elif tag == "PLB":
            self.provider_adjustments.extend(_provider_adjustments(segment))

    def _build(self, st: Segment) -> Remittance:
        """The Remittance, once every segment is read and the amounts balance."""
        bpr, trn = self.found["BPR"], self.found.get("TRN")
        payer, payee = self.found.get("N1*PR"), self.found.get("N1*PE")
        if trn is None or not trn.element(2).strip():
            raise RemittanceError(
                f"The remittance starting on line {st.line} has no trace number (TRN02), "
                "so Mortar could not tell whether it was already posted."
            )
        if payer is None:
            raise RemittanceError(
                f"The remittance starting on line {st.line} does not name its payer (N1*PR)."
            )
        payment = bpr.money(2, "total payment")
        if payment < 0:
            raise RemittanceError(f"The total payment in the {bpr.where()} is negative.")
        if bpr.element(3) == "D":  # BPR03 debit: the pharmacy owes the payer
            payment = -payment
        # A check that does not balance (BPR02 != sum CLP04 - sum PLB) is read, not refused:
        # importing.py holds it for a person, so a payment never goes unrecorded.
        claims = [claim.build() for claim in self.claims]
        return Remittance(
            trace_number=trn.element(2).strip(),
            payer_name=payer.element(2).strip(),
            payment_amount=payment,
            payment_date=bpr.date_value(16, "payment date"),
            claims=claims,
            provider_adjustments=self.provider_adjustments,
            payer_id=trn.element(3).strip(),
            payee_name=payee.element(2).strip() if payee else "",
            payee_id=payee.element(4).strip() if payee else "",
            payment_method=bpr.element(4),
        )


def _adjustments(cas: Segment) -> list[Adjustment]:
    """The up to six (reason, amount, quantity) triplets of one CAS segment."""
    group = cas.element(1)
    if group not in codes.ADJUSTMENT_GROUPS:
        known = ", ".join(codes.ADJUSTMENT_GROUPS)
        raise RemittanceError(
            f"The {cas.where()} has adjustment group {group!r}; expected one of {known}."
        )
    if len(cas.elements) > 19:
        raise RemittanceError(f"The {cas.where()} has more than six adjustments.")
    adjustments = []
    for at in range(2, 20, 3):
        reason = cas.element(at)
        if not reason:
            if cas.element(at + 1) or cas.element(at + 2):
                raise RemittanceError(f"The {cas.where()} has an amount without a reason code.")
            continue
        amount = cas.money(at + 1, f"adjustment {group}-{reason} amount")
        quantity = cas.number(at + 2, f"adjustment {group}-{reason} quantity")
        adjustments.append(Adjustment(group, reason, amount, quantity))
    if not adjustments:
        raise RemittanceError(f"The {cas.where()} has no adjustment in it.")
    return adjustments


def _provider_adjustments(plb: Segment) -> list[ProviderAdjustment]:
    """The up to six (reason:reference, amount) pairs of one PLB segment."""
    provider_id = plb.element(1).strip()
    if not provider_id:
        raise RemittanceError(f"The {plb.where()} has no provider identifier (PLB01).")
    fiscal_period_date = plb.date_value(2, "fiscal period date")
    adjustments = []
    for at in range(3, 15, 2):
        if not plb.element(at):
            continue
        reason, *reference = plb.components(at)
        amount = plb.money(at + 1, f"provider adjustment {reason} amount")
        reference_id = reference[0] if reference else ""
        adjustments.append(
            ProviderAdjustment(provider_id, fiscal_period_date, reason, reference_id, amount)
        )
    if not adjustments:
        raise RemittanceError(f"The {plb.where()} has no adjustment in it.")
    return adjustments


def _check_claim_balance(
    clp: Segment, reference: str, charge: Decimal, paid: Decimal, adjustments: list[Adjustment]
) -> None:
    """005010X221A1 section 1.10.2.1: claim charge - claim payment = sum of adjustments."""
    adjusted = sum((a.amount for a in adjustments), _ZERO)
    if charge - paid != adjusted:
        raise RemittanceError(
            f"Claim {reference} ({clp.where()}) does not balance: charge {charge} minus "
            f"payment {paid} is {charge - paid}, but its adjustments add up to {adjusted}."
        )
