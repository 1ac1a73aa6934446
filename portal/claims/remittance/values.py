"""What an 835 remittance says, as plain values: the payment and each claim's outcome.

Money is Decimal, dates are dates. ``era835`` fills these in from a file; the
app posts them to claims (see ``posting``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from portal.claims.remittance import codes


class RemittanceError(ValueError):
    """An 835 file Mortar cannot post from; the message says what and where."""


@dataclass(frozen=True)
class Adjustment:
    """One CAS adjustment: group (who bears it), reason code and amount."""

    group: str
    reason: str
    amount: Decimal
    quantity: Decimal | None = None

    @property
    def group_label(self) -> str:
        """Who bears the adjustment, in words ("Patient responsibility")."""
        return codes.ADJUSTMENT_GROUPS.get(self.group, self.group)

    @property
    def reason_label(self) -> str:
        """Why, in words ("Coinsurance")."""
        return codes.reason_label(self.reason)


@dataclass(frozen=True)
class ServiceLine:
    """One SVC service line; for a pharmacy claim usually the one NDC dispensed."""

    product_qualifier: str  # SVC01-1, "N4" for an NDC
    product_id: str
    charge: Decimal
    paid: Decimal
    units: Decimal | None
    service_date: date | None
    allowed: Decimal | None  # AMT*B6
    adjustments: list[Adjustment]


@dataclass(frozen=True)
class ClaimPayment:
    """One CLP claim payment: the payer's answer on one of our claims.

    ``adjustments`` holds every adjustment on the claim, claim level first,
    then each service line's (those are also kept on their line).
    """

    claim_reference: str  # CLP01, Mortar's claim reference echoed back
    status_code: str
    status_label: str
    charge: Decimal
    paid: Decimal
    patient_responsibility: Decimal
    adjustments: list[Adjustment]
    service_dates: tuple[date, date] | None
    payer_claim_number: str  # CLP07, quote it when calling the payer
    patient_name: str = ""
    service_lines: list[ServiceLine] = field(default_factory=list)

    @property
    def is_reversal(self) -> bool:
        """Whether the payer takes back an earlier payment (CLP02 = 22)."""
        return self.status_code == "22"

    @property
    def is_denied(self) -> bool:
        """Whether the payer denied the claim (CLP02 = 4)."""
        return self.status_code == "4"


@dataclass(frozen=True)
class ProviderAdjustment:
    """One PLB adjustment: positive takes money back, negative adds (e.g. interest)."""

    provider_id: str
    fiscal_period_date: date
    reason: str
    reference: str
    amount: Decimal

    @property
    def reason_label(self) -> str:
        """The provider-level adjustment reason in words ("Interest owed")."""
        return codes.provider_reason_label(self.reason)


@dataclass(frozen=True)
class Remittance:
    """One payment (one 835 transaction set) and the claims it pays."""

    trace_number: str  # TRN02, check or EFT number
    payer_name: str
    payment_amount: Decimal
    payment_date: date
    claims: list[ClaimPayment]
    provider_adjustments: list[ProviderAdjustment]
    payer_id: str = ""  # TRN03; with trace_number it names the payment uniquely
    payee_name: str = ""
    payee_id: str = ""  # N104, the pharmacy's NPI when N103 is XX
    payment_method: str = ""  # BPR04

    @property
    def payment_method_label(self) -> str:
        """How the money came, in words ("Check")."""
        return codes.PAYMENT_METHODS.get(self.payment_method, self.payment_method)
