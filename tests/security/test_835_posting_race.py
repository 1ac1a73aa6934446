"""An 835 posting a claim while a terminal records a rejection on it: one of them wins. The
payment is posted and the late rejection refused in words, or the rejection stands and the
835 line waits in the matching queue saying why; never both, never a server error."""

from datetime import date
from decimal import Decimal

from portal.audit import log as audit
from portal.claims.claims.models import Claim
from portal.claims.remittance import importing
from portal.claims.remittance.models import RemittanceLine
from tests.claims.conftest import build_835
from tests.factories import claims_user, make_claim, make_coverage, make_patient, make_payer
from tests.security.concurrency import at_once, signed_in_clients

TODAY = date(2025, 3, 26)


def test_an_835_and_a_terminal_moving_the_same_claim_at_once(app):
    payer = make_payer(code="CDISC", name="CareDisc PBM")
    claim = make_claim(
        "submitted",
        coverage=make_coverage(make_patient(last_name="Okafor", first_name="Grace"), payer),
        rx_number="60080",
        ingredient_cost=Decimal("17.75"),
        dispensing_fee=Decimal("0.00"),
        date_of_service=date(2025, 3, 1),
        today=TODAY,
    )
    header = ("BPR*I*17.75*C*ACH************20250310", "TRN*1*RACE1*1411111111",
              "N1*PR*CAREDISC PBM")  # fmt: skip
    text = build_835("CLP*60080*1*17.75*17.75*0*MC*X", "NM1*QC*1*OKAFOR*GRACE",
                     "DTM*232*20250301", header=header)  # fmt: skip
    [terminal] = signed_in_clients(app, 1, "technician")
    user = claims_user()

    def import_it():
        with app.app_context():
            return importing.import_file(text, "race.835", user, TODAY)

    def reject_it():
        return terminal.post(
            f"/claims/{claim.id}/response", data={"outcome": "rejected", "reject_codes": "75"}
        )

    _, answer = at_once([import_it, reject_it])

    stored = Claim.get_by_id(claim.id)
    [line] = list(RemittanceLine.select())
    if stored.status == "paid":
        assert answer.status_code == 422, answer.get_data(as_text=True)[-3000:]
        assert "cannot move" in answer.get_data(as_text=True)
        assert line.outcome == "posted" and stored.paid == Decimal("17.75")
    else:
        assert answer.status_code == 302 and stored.status == "rejected"
        assert line.outcome == "not_posted" and line.is_waiting
        assert "Rejected" in line.outcome_note and stored.paid == 0
    assert audit.verify_chain(audit.chain_key()).ok
