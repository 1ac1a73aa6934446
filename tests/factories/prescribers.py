"""Prescribers with valid NPI and DEA numbers."""

import itertools

from portal.foundation.identifiers import dea_check_digit, npi_check_digit
from portal.prescribers.models import Prescriber

__all__ = ["make_prescriber", "valid_npi", "valid_dea"]

_numbers = itertools.count(1)


def valid_npi(first_nine: str) -> str:
    """A valid NPI from 9 digits (check digit appended)."""
    return first_nine + str(npi_check_digit(first_nine))


def valid_dea(letters: str, first_six: str) -> str:
    """A valid DEA number from 2 letters and 6 digits (check digit appended)."""
    return letters + first_six + str(dea_check_digit(first_six))


def make_prescriber(**fields) -> Prescriber:
    number = next(_numbers)
    last_name = fields.get("last_name", f"Whitfield{number}")
    values = {
        "first_name": "Ana",
        "last_name": last_name,
        "credentials": "MD",
        "npi": valid_npi(f"1{number:08d}"),
        "dea": valid_dea("B" + last_name[0].upper(), f"{number:06d}"),
        "dea_schedules": "2 2N 3 3N 4 5",
        "license_number": f"036.{100000 + number}",
        "license_state": "IL",
        "phone": "(217) 555-0190",
        "fax": "(217) 555-0191",
        "address_line1": "800 N Rutledge St",
        "city": "Springfield",
        "state": "IL",
        "postal_code": "62702",
    }
    values.update(fields)
    return Prescriber.create(**values)
