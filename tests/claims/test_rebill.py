"""Reversal and rebill (NCPDP D.0 B2, B3): a reversed claim does not block billing the fill
to the same payer again; B3 corrects a paid claim in one step; a rejected claim is
resubmitted, not rebilled. Migration 0121 keeps existing claims."""

from datetime import date
from decimal import Decimal as D

import pytest
from playhouse.schema_diff import diff_models

from portal import migrate
from portal.claims.claims import actions
from portal.claims.claims.models import Claim, ClaimError
from portal.claims.remittance import importing
from portal.foundation.db import connection, db
from portal.schema import all_models
from tests.claims.conftest import build_835
from tests.factories import claims_user, make_claim, make_coverage, make_patient, make_payer

TODAY = date(2025, 3, 26)


def test_after_a_reversal_the_fill_can_be_billed_to_the_same_payer_again(app):
    paid = make_claim("paid", today=TODAY)
    with pytest.raises(ClaimError, match="already exists"):
        Claim.open(paid.coverage, rx_number=paid.rx_number, fill_number=0,
                   date_of_service=paid.date_of_service, user=claims_user(),
                   ingredient_cost=D("1"), dispensing_fee=D("1"))  # fmt: skip
    actions.reverse(paid, claims_user(), "returned to stock")
    again = Claim.open(paid.coverage, rx_number=paid.rx_number, fill_number=0,
                       date_of_service=paid.date_of_service, user=claims_user(),
                       ingredient_cost=D("40.00"), dispensing_fee=D("10.50"))  # fmt: skip
    assert again.claim_reference == paid.claim_reference and again.id != paid.id
    assert Claim.open_with_reference(paid.claim_reference).get().id == again.id


def test_b3_rebill_corrects_a_paid_claim_in_one_step(app):
    paid = make_claim("paid", today=TODAY)
    new = actions.rebill(paid, claims_user(), TODAY, "quantity was 60", quantity=D(60))
    assert Claim.get_by_id(paid.id).status == "reversed"
    assert (new.status, new.quantity, new.claim_reference) == (
        "submitted",
        D(60),
        paid.claim_reference,
    )
    assert any("rebill (B3)" in event.note for event in new.history())


def test_a_rejected_claim_is_resubmitted_not_rebilled(app):
    rejected = make_claim("rejected", today=TODAY)
    with pytest.raises(ClaimError, match="resubmit it instead"):
        actions.rebill(rejected, claims_user(), TODAY, "fixed member id")


def test_an_835_reversal_ends_the_claim_and_a_rebill_is_paid_on_the_next(app):
    payer = make_payer(code="CDISC", name="CareDisc PBM")
    patient = make_patient(last_name="Okafor", first_name="Grace")
    claim = make_claim("paid", coverage=make_coverage(patient, payer), rx_number="70001",
                       ingredient_cost=D("20.00"), dispensing_fee=D("0.00"),
                       date_of_service=date(2025, 3, 1), today=TODAY)  # fmt: skip
    header = ("BPR*I*20.00*D*ACH************20250310", "TRN*1*REV1*1411111111",
              "N1*PR*CAREDISC PBM")  # fmt: skip
    reversal = build_835("CLP*70001*22*-20.00*-20.00*0*MC*X1", "NM1*QC*1*OKAFOR*GRACE",
                         "DTM*232*20250301", header=header)  # fmt: skip
    [result] = importing.import_file(reversal, "rev.835", claims_user(), TODAY)
    assert not result.held
    assert Claim.get_by_id(claim.id).status == "reversed"
    rebilled = Claim.open(claim.coverage, rx_number="70001", fill_number=0,
                          date_of_service=date(2025, 3, 1), user=claims_user(),
                          ingredient_cost=D("20.00"), dispensing_fee=D("0.00"))  # fmt: skip
    actions.submit(rebilled, claims_user(), TODAY)
    header = ("BPR*C*20.00*C*ACH************20250312", "TRN*1*PAY2*1411111111",
              "N1*PR*CAREDISC PBM")  # fmt: skip
    payment = build_835("CLP*70001*1*20.00*20.00*0*MC*X2", "NM1*QC*1*OKAFOR*GRACE",
                        "DTM*232*20250301", header=header)  # fmt: skip
    importing.import_file(payment, "pay.835", claims_user(), TODAY)
    assert Claim.get_by_id(rebilled.id).status == "paid"
    assert Claim.get_by_id(claim.id).status == "reversed"


def test_migration_0121_keeps_claims_and_the_schema_matches_the_models(app):
    claims = {make_claim("paid").id: "paid", make_claim("rejected").id: "rejected"}
    with connection():
        try:
            migrate.runner().down("0121_claim_rebill_after_reversal")
            assert migrate.runner().up()[0] == "0121_claim_rebill_after_reversal"
        finally:
            migrate.runner().up()
        rows = dict(db.execute_sql("SELECT id, status FROM claim").fetchall())
        assert rows == claims
        assert not diff_models(db.obj, all_models())
