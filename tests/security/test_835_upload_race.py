"""The same 835 imported from ten terminals at once posts once; the others are told it was
already imported, never shown a server error (issue 17, item 7: on PostgreSQL the unique
payer + trace number refused the late inserts as UniqueViolation, four HTTP 500s)."""

from datetime import date
from decimal import Decimal
from pathlib import Path

from portal.claims.claims.models import Claim, ClaimEvent
from portal.claims.remittance.models import Remittance, RemittanceLine
from tests.factories import make_claim, make_coverage, make_patient, make_payer
from tests.security.concurrency import at_once, signed_in_clients
from tests.waiting import finish

SAMPLE = Path(__file__).resolve().parents[1] / "claims" / "data" / "full_payment.835"
BURST = 10


def _claim(payer, reference: str, billed: str, patient: tuple[str, str]) -> Claim:
    """A claim for the patient the sample's NM1*QC names (posting checks the name)."""
    rx_number, fill_number, _ = reference.split("-")
    last_name, first_name = patient
    return make_claim(
        "submitted",
        coverage=make_coverage(make_patient(last_name=last_name, first_name=first_name), payer),
        rx_number=rx_number,
        fill_number=int(fill_number),
        ingredient_cost=Decimal(billed),
        dispensing_fee=Decimal("0.00"),
        date_of_service=date(2025, 3, int(rx_number) - 100122),  # the sample's DTM*232
        today=date(2025, 3, 26),
    )


def test_the_same_835_imported_ten_times_at_once_posts_once(app):
    medrx = make_payer(code="MEDRX", name="MedRx Benefit Services")
    first = _claim(medrx, "100123-0-MEDRX", "45.67", ("Rivera", "Ana"))
    second = _claim(medrx, "100124-2-MEDRX", "12.30", ("Chen", "David"))
    clients = signed_in_clients(app, BURST, "technician")
    form = {"text": SAMPLE.read_text(), "file_name": "full_payment.835"}

    def upload(client):
        answer = client.post("/claims/remittances/import", data=form)
        return answer, finish(client, answer).get_data(as_text=True)

    results = at_once([lambda c=c: upload(c) for c in clients])

    assert [answer.status_code for answer, _ in results] == [303] * BURST  # to the progress
    pages = [page for _, page in results]
    assert sum("posted." in page for page in pages) == 1
    assert sum("was already imported on" in page for page in pages) == BURST - 1
    assert Remittance.select().count() == 1
    assert RemittanceLine.select().count() == 2
    for claim in (first, second):
        assert Claim.get_by_id(claim.id).status == "paid"
        assert (
            ClaimEvent.select()
            .where(ClaimEvent.claim == claim.id, ClaimEvent.kind == "remittance")
            .count()
            == 1
        )
