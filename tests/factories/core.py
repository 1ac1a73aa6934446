"""The pharmacy."""

from portal.pharmacy.models import Pharmacy

__all__ = ["make_pharmacy"]


def make_pharmacy(**fields) -> Pharmacy:
    values = {
        "name": "Elm Street Compounding Pharmacy",
        "address_line1": "120 Elm Street",
        "city": "Springfield",
        "state": "IL",
        "postal_code": "62701",
        "phone": "(217) 555-0142",
        "fax": "(217) 555-0143",
        "npi": "1234567893",
        "ncpdp_id": "1456789",
        "dea": "FE1234563",
        "time_zone": "America/Chicago",
    }
    values.update(fields)
    return Pharmacy.create(**values)
