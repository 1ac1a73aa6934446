"""Two terminals confirming the same waiting 835 line at once post it once; the other is
told in words, never shown a server error, and the claim is paid once."""

from datetime import date
from decimal import Decimal

from portal.claims.claims.models import Claim, ClaimEvent
from portal.claims.remittance import importing
from portal.claims.remittance.models import RemittanceLine
from tests.claims.conftest import build_835
from tests.factories import claims_user, make_claim, make_coverage, make_patient, make_payer
from tests.security.concurrency import at_once, signed_in_clients


def test_two_terminals_confirming_one_line_post_it_once(app):
    payer = make_payer(code="CDISC", name="CareDisc PBM")
    claim = make_claim(
        "submitted",
        coverage=make_coverage(make_patient(last_name="Okafor", first_name="Grace"), payer),
        rx_number="60070",
        ingredient_cost=Decimal("17.75"),
        dispensing_fee=Decimal("0.00"),
        date_of_service=date(2025, 3, 1),
        today=date(2025, 3, 26),
    )
    header = ("BPR*I*450.00*C*ACH************20250310", "TRN*1*R1*1411111111",
              "N1*PR*CAREDISC PBM")  # fmt: skip
    text = build_835("CLP*60070*1*17.75*450.00*0*MC*X", "CAS*OA*94*-432.25",
                     "NM1*QC*1*OKAFOR*GRACE", "DTM*232*20250301", header=header)  # fmt: skip
    importing.import_file(text, "over.835", claims_user(), date(2025, 3, 26))
    [line] = list(RemittanceLine.waiting())
    clients = signed_in_clients(app, 2, "manager")
    form = {f"line{line.id}-candidate": str(claim.id), f"line{line.id}-reason": "payer confirmed"}

    answers = at_once(
        [
            lambda c=c: c.post(f"/claims/remittances/lines/{line.id}/match", data=form)
            for c in clients
        ]  # fmt: skip
    )

    codes = sorted(answer.status_code for answer in answers)
    assert codes in ([302, 302], [302, 422]), codes
    assert RemittanceLine.get_by_id(line.id).outcome == "confirmed"
    assert Claim.get_by_id(claim.id).paid == Decimal("450.00")
    events = ClaimEvent.select().where(
        (ClaimEvent.claim == claim.id) & (ClaimEvent.kind == "remittance")
    )
    assert events.count() == 1
