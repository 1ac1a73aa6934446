"""Rx numbers, which several terminals ask for at once: each new prescription gets its own,
none skipped or given twice (every read-modify-write is atomic)."""

from portal.prescriptions.models import Prescription
from tests.factories import make_patient, make_prescriber, make_product
from tests.prescriptions.test_intake_pages import _complete
from tests.security.concurrency import at_once, signed_in_clients

BURST = 8


def test_simultaneous_new_prescriptions_get_distinct_consecutive_rx_numbers(app):
    patient, prescriber, product = make_patient(), make_prescriber(), make_product()
    clients = signed_in_clients(app, BURST, "technician")
    data = _complete(patient, prescriber, product)

    answers = at_once([lambda c=c: c.post("/prescriptions/new", data=data) for c in clients])

    assert [answer.status_code for answer in answers] == [302] * BURST
    numbers = sorted(rx.rx_number for rx in Prescription.select())
    assert numbers == list(range(numbers[0], numbers[0] + BURST))
