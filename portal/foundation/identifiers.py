"""Prescriber identifier rules: NPI and DEA registration number checks.

Pure functions on plain strings. Each ``*_problem`` function returns the
problem in words for a form to show, or ``None`` when the number is fine; the
``*_is_valid`` functions are defined in terms of them so there is one source of
truth. Surrounding spaces are tolerated (forms should still store the value
stripped, and DEA letters upper-cased).
"""

from __future__ import annotations

import re
import unicodedata

from portal.foundation.i18n import N_

# CMS "Requirements for NPI check digit": Luhn over 80840 + the first 9 digits.
# Luhn over the 9 digits alone plus this constant gives the same result.
NPI_PREFIX_CONSTANT = 24

# identifiers.md (21 CFR 1301; DEA registrant formats): the first letter is the
# registrant type. X (DATA-waived buprenorphine) was retired in 2023 but old
# numbers may still appear, so it is accepted.
DEA_REGISTRANT_TYPES: dict[str, str] = {
    "A": "practitioner",
    "B": "practitioner",
    "F": "practitioner",
    "G": "practitioner (federal or military)",
    "M": "mid-level practitioner (NP, PA)",
    "P": "distributor",
    "R": "distributor",
    "X": "DATA-waived buprenorphine prescriber (retired 2023)",
}

_NPI_SHAPE = re.compile(r"[0-9]{10}")
_DEA_SHAPE = re.compile(r"[A-Z][A-Z9][0-9]{7}")
_DEA_DIGIT_SECOND = re.compile(r"[A-Z][0-8][0-9]{7}")
_MISTYPE_HINT = N_("a digit is probably mistyped; compare every digit with the prescription")


def npi_check_digit(first_nine: str) -> int:
    """Return the NPI check digit for the first 9 digits (CMS Luhn with prefix 80840)."""
    total = NPI_PREFIX_CONSTANT
    # Rightmost of the 9 digits is doubled first, then every other one.
    for position, char in enumerate(reversed(first_nine)):
        digit = int(char)
        if position % 2 == 0:
            digit *= 2
            digit = digit // 10 + digit % 10
        total += digit
    return (10 - total % 10) % 10


def npi_problem(npi: str) -> str | None:
    """Return what is wrong with an NPI in words, or None when it is valid."""
    npi = npi.strip()
    if not _NPI_SHAPE.fullmatch(npi):
        digits = sum(char in "0123456789" for char in npi)
        if digits == len(npi):
            return f"NPI must be 10 digits ({len(npi)} entered)"
        return N_("NPI must be 10 digits, without letters, spaces or dashes")
    expected = npi_check_digit(npi[:9])
    if int(npi[9]) != expected:
        return f"check digit should be {expected}, not {npi[9]}; {_MISTYPE_HINT}"
    return None


def npi_is_valid(npi: str) -> bool:
    """True when the NPI is 10 digits with a correct check digit."""
    return npi_problem(npi) is None


def dea_check_digit(first_six: str) -> int:
    """Return the DEA check digit for the first 6 digits of the number."""
    d = [int(char) for char in first_six]
    return (d[0] + d[2] + d[4] + 2 * (d[1] + d[3] + d[5])) % 10


def _first_letter(name: str) -> str | None:
    """First letter of a name with accents removed (Ñúñez -> N), or None if it has none."""
    for char in unicodedata.normalize("NFKD", name):
        if char.isalpha():
            return char.upper()
    return None


def dea_problem(dea: str, last_name: str | None = None) -> str | None:
    """Return what is wrong with a DEA number in words, or None when it is valid.

    When ``last_name`` is given, the second letter must be its first letter,
    except that ``9`` is accepted for some business registrations.
    """
    dea = dea.strip().upper()
    if not _DEA_SHAPE.fullmatch(dea):
        if _DEA_DIGIT_SECOND.fullmatch(dea):
            return N_("second character must be a letter (or 9 for some business registrations)")
        return N_("DEA number must be 2 letters then 7 digits, like AB1234563")
    if dea[0] not in DEA_REGISTRANT_TYPES:
        known = ", ".join(DEA_REGISTRANT_TYPES)
        return f"first letter {dea[0]} is not a DEA registrant type (expected one of {known})"
    expected = dea_check_digit(dea[2:8])
    if int(dea[8]) != expected:
        return f"check digit should be {expected}, not {dea[8]}; {_MISTYPE_HINT}"
    initial = _first_letter(last_name) if last_name else None
    if initial and dea[1] != "9" and dea[1] != initial:
        return f"second letter should be {initial}, the first letter of the last name"
    return None


def dea_is_valid(dea: str, last_name: str | None = None) -> bool:
    """True when the DEA number is well formed, its check digit is right and it fits the name."""
    return dea_problem(dea, last_name) is None
