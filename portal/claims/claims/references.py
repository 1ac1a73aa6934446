"""The claim reference: how Mortar names a claim to the payer and finds it again.

Mortar sends ``{rx_number}-{fill_number}-{payer_code}`` (e.g. ``100123-0-MEDRX``)
as the claim's reference, and the payer echoes it back in the 835 as CLP01,
Patient Control Number (X12 005010X221A1, at most 38 characters). One claim per
fill per payer, so Rx number, fill number and payer code name it uniquely.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# NCPDP D.0 402-D2 Prescription/Service Reference Number is up to 12 digits;
# 403-D3 Fill Number is 0 (original) to 99. The payer code is the pharmacy's
# own short name for the payer, kept to letters and digits so "-" stays a
# separator and the whole reference fits CLP01's 38 characters.
_RX_NUMBER = re.compile(r"[0-9]{1,12}")
_PAYER_CODE = re.compile(r"[A-Z0-9]{1,12}")
_REFERENCE = re.compile(r"(?P<rx>[0-9]{1,12})-(?P<fill>[0-9]{1,2})-(?P<payer>[A-Z0-9]{1,12})")
MAX_FILL_NUMBER = 99


class ClaimReferenceError(ValueError):
    """A claim reference, or a part of one, that does not have the expected form."""


@dataclass(frozen=True)
class ClaimReference:
    """The parts of a claim reference: which fill of which prescription, billed to whom."""

    rx_number: str
    fill_number: int
    payer_code: str

    def __str__(self) -> str:
        """The reference as sent to the payer."""
        return f"{self.rx_number}-{self.fill_number}-{self.payer_code}"


def claim_reference(rx_number: str | int, fill_number: int, payer_code: str) -> str:
    """Build the reference sent to the payer, e.g. claim_reference(100123, 0, "MEDRX")."""
    rx_text = str(rx_number).strip()
    payer = payer_code.strip().upper()
    if not _RX_NUMBER.fullmatch(rx_text):
        raise ClaimReferenceError(f'Rx number "{rx_number}" must be 1 to 12 digits.')
    if isinstance(fill_number, bool) or not isinstance(fill_number, int):
        raise ClaimReferenceError(f'Fill number "{fill_number}" must be a whole number.')
    if not 0 <= fill_number <= MAX_FILL_NUMBER:
        raise ClaimReferenceError(
            f"Fill number {fill_number} must be 0 (original fill) to {MAX_FILL_NUMBER}."
        )
    if not _PAYER_CODE.fullmatch(payer):
        raise ClaimReferenceError(
            f'Payer code "{payer_code}" must be 1 to 12 letters or digits (no spaces or dashes).'
        )
    return str(ClaimReference(rx_text, fill_number, payer))


def parse_claim_reference(text: str) -> ClaimReference:
    """Split "100123-0-MEDRX" into its parts; raise ClaimReferenceError if it is not one."""
    match = _REFERENCE.fullmatch(text.strip().upper())
    if match is None:
        raise ClaimReferenceError(
            f'"{text}" is not a Mortar claim reference (Rx number-fill number-payer code, '
            "like 100123-0-MEDRX)."
        )
    return ClaimReference(match["rx"], int(match["fill"]), match["payer"])
