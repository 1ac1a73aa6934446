"""Code values used in an 835 remittance, in words (X12 005010X221A1).

Claim status (CLP02), adjustment group (CAS01), the common claim adjustment
reason codes (CARC, CAS02...) a pharmacy sees, provider-level adjustment
reasons (PLB03-1) and payment methods (BPR04). Reason codes not listed here
are still accepted; they are shown by number with a pointer to the X12 list.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from portal.foundation.i18n import N_

CLAIM_STATUSES: Mapping[str, str] = MappingProxyType(
    {
        "1": N_("Processed as primary"),
        "2": N_("Processed as secondary"),
        "3": N_("Processed as tertiary"),
        "4": N_("Denied"),
        "19": N_("Processed as primary, forwarded to additional payer(s)"),
        "20": N_("Processed as secondary, forwarded to additional payer(s)"),
        "21": N_("Processed as tertiary, forwarded to additional payer(s)"),
        "22": N_("Reversal of previous payment"),
        "23": N_("Not our claim, forwarded to additional payer(s)"),
        "25": N_("Predetermination pricing only, no payment"),
    }
)

# 005010 dropped CR (correction and reversal); reversals use CLP02 = 22.
ADJUSTMENT_GROUPS: Mapping[str, str] = MappingProxyType(
    {
        "CO": N_("Contractual obligation"),
        "OA": N_("Other adjustment"),
        "PI": N_("Payer initiated reduction"),
        "PR": N_("Patient responsibility"),
    }
)

ADJUSTMENT_REASONS: Mapping[str, str] = MappingProxyType(
    {
        "1": N_("Deductible"),
        "2": N_("Coinsurance"),
        "3": N_("Copayment"),
        "16": N_("Claim lacks information needed for adjudication"),
        "18": N_("Duplicate claim"),
        "22": N_("May be covered by another payer (coordination of benefits)"),
        "23": N_("Impact of prior payer(s) adjudication"),
        "27": N_("Expenses incurred after coverage terminated"),
        "29": N_("Time limit for filing has expired"),
        "45": N_("Charge exceeds fee schedule / maximum allowable"),
        "94": N_("Processed in excess of charges"),
        "96": N_("Non-covered charge(s)"),
        "119": N_("Benefit maximum for this time period has been reached"),
        "197": N_("Precertification/authorization absent"),
    }
)

PROVIDER_ADJUSTMENT_REASONS: Mapping[str, str] = MappingProxyType(
    {
        "72": N_("Authorized return (refund)"),
        "CS": N_("Adjustment"),
        "FB": N_("Forwarding balance"),
        "IR": N_("Internal Revenue Service withholding"),
        "J1": N_("Nonreimbursable"),
        "L3": N_("Penalty"),
        "L6": N_("Interest owed"),
        "WO": N_("Overpayment recovery"),
    }
)

PAYMENT_METHODS: Mapping[str, str] = MappingProxyType(
    {
        "ACH": N_("Electronic funds transfer (ACH)"),
        "BOP": N_("Financial institution option"),
        "CHK": N_("Check"),
        "FWT": N_("Federal Reserve wire transfer"),
        "NON": N_("No payment"),
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
