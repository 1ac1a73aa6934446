"""An Rx number typed in the top search box opens its fill (the scan box's rules: final
verification or pickup when it waits there), instead of listing the patient."""

from flask import url_for

from portal.foundation.digits import is_digits
from portal.patients.search import register_rx_opener
from portal.prescriptions.models import Prescription


def _fill_address(rx_number: str) -> str | None:
    if not is_digits(rx_number) or len(rx_number) > 12:
        return None
    if not Prescription.select().where(Prescription.rx_number == int(rx_number)).exists():
        return None
    return url_for("prescriptions.find_fill", code=rx_number)


def register() -> None:
    register_rx_opener(_fill_address)
