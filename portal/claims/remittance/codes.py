"""Code values used in an 835 remittance, in words (X12 005010X221A1).

Claim status (CLP02), adjustment group (CAS01), the common claim adjustment
reason codes (CARC, CAS02...) a pharmacy sees, provider-level adjustment
reasons (PLB03-1) and payment methods (BPR04). Reason codes not listed here
are still accepted; they are shown by number with a pointer to the X12 list.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

CLAIM_STATUSES: Mapping[str, str] = MappingProxyType(
    {
        "1": "Processed as primary",
        "2": "Processed as secondary",
        "3": "Processed as tertiary",
        "4": "Denied",
        "19": "Processed as primary, forwarded to additional payer(s)",
        "20": "Processed as secondary, forwarded to additional payer(s)",
        "21": "Processed as tertiary, forwarded to additional payer(s)",
        "22": "Reversal of previous payment",
        "23": "Not our claim, forwarded to additional payer(s)",
        "25": "Predetermination pricing only, no payment",
    }
)

# 005010 dropped CR (correction and reversal); reversals use CLP02 = 22.
ADJUSTMENT_GROUPS: Mapping[str, str] = MappingProxyType(
    {
        "CO": "Contractual obligation",
        "OA": "Other adjustment",
        "PI": "Payer initiated reduction",
        "PR": "Patient responsibility",
    }
)

ADJUSTMENT_REASONS: Mapping[str, str] = MappingProxyType(
    {
        "1": "Deductible",
        "2": "Coinsurance",
        "3": "Copayment",
        "16": "Claim lacks information needed for adjudication",
        "18": "Duplicate claim",
        "22": "May be covered by another payer (coordination of benefits)",
        "23": "Impact of prior payer(s) adjudication",
        "27": "Expenses incurred after coverage terminated",
        "29": "Time limit for filing has expired",
        "45": "Charge exceeds fee schedule / maximum allowable",
        "94": "Processed in excess of charges",
        "96": "Non-covered charge(s)",
        "119": "Benefit maximum for this time period has been reached",
        "197": "Precertification/authorization absent",
    }
)

PROVIDER_ADJUSTMENT_REASONS: Mapping[str, str] = MappingProxyType(
    {
        "72": "Authorized return (refund)",
        "CS": "Adjustment",
        "FB": "Forwarding balance",
        "IR": "Internal Revenue Service withholding",
        "J1": "Nonreimbursable",
        "L3": "Penalty",
        "L6": "Interest owed",
        "WO": "Overpayment recovery",
    }
)

PAYMENT_METHODS: Mapping[str, str] = MappingProxyType(
    {
        "ACH": "Electronic funds transfer (ACH)",
        "BOP": "Financial institution option",
        "CHK": "Check",
        "FWT": "Federal Reserve wire transfer",
        "NON": "No payment",
    }
)


def reason_label(reason_code: str) -> str:
    """A claim adjustment reason code in words, or a pointer to the full list."""
    return ADJUSTMENT_REASONS.get(
        reason_code, f"Reason {reason_code} (see the X12 claim adjustment reason code list)"
    )


def provider_reason_label(reason_code: str) -> str:
    """A provider-level (PLB) adjustment reason in words, or a pointer to the full list."""
    return PROVIDER_ADJUSTMENT_REASONS.get(
        reason_code, f"Reason {reason_code} (see X12 element 426, adjustment reason code)"
    )
