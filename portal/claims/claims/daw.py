"""DAW (Dispense As Written / Product Selection) codes, NCPDP D.0 field 408-D8."""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from portal.foundation.i18n import N_

DAW_CODES: Mapping[str, str] = MappingProxyType(
    {
        "0": N_("No product selection indicated"),
        "1": N_("Substitution not allowed by prescriber"),
        "2": N_("Substitution allowed, patient requested product dispensed"),
        "3": N_("Substitution allowed, pharmacist selected product dispensed"),
        "4": N_("Substitution allowed, generic drug not in stock"),
        "5": N_("Substitution allowed, brand drug dispensed as a generic"),
        "6": N_("Override"),
        "7": N_("Substitution not allowed, brand drug mandated by law"),
        "8": N_("Substitution allowed, generic drug not available in marketplace"),
        "9": N_("Substitution allowed by prescriber but plan requests brand"),
    }
)

# (value, label) pairs in code order, ready for a WTForms SelectField.
DAW_CHOICES: list[tuple[str, str]] = [
    (code, f"{code} - {text}") for code, text in DAW_CODES.items()
]


def daw_meaning(code: str | int) -> str:
    """The meaning of a DAW code 0-9; raise ValueError in words for anything else."""
    key = str(code).strip()
    if key not in DAW_CODES:
        raise ValueError(f'"{code}" is not a DAW code; DAW codes are 0 to 9.')
    return DAW_CODES[key]
