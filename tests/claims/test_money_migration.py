"""Migration 0120 on a database with claims and remittances from before it: amounts are
kept, and each claim gets its plan amount and contractual part from what it already had."""

from decimal import Decimal as D

from playhouse.schema_diff import diff_models

from portal import migrate
from portal.claims.claims.models import Claim
from portal.claims.remittance.models import Remittance
from portal.foundation.db import connection, db
from portal.schema import all_models
from tests.factories import make_claim

MIGRATION = "0120_claim_money_and_matching"


def test_upgrade_keeps_amounts_and_derives_the_plan_amount(app, make_835):
    known = make_claim("paid", ingredient_cost=D("21.54"), dispensing_fee=D(0),
                       paid=D("15.75"), patient_pay=D("2.00"))  # fmt: skip
    plain = make_claim("paid", ingredient_cost=D("10.00"), dispensing_fee=D(0))
    waiting = make_claim("submitted")
    with connection():
        try:
            migrate.runner().down(MIGRATION)
            # As 0070 stored it: allowed known, adjustments = every non-patient adjustment.
            db.execute_sql(
                f"UPDATE claim SET allowed = 1775, adjustments = 379 WHERE id = {known.id}"
            )
            db.execute_sql(
                "INSERT INTO remittance (payer_id, trace_number, payer_name, payee_name, "
                "payment_amount, payment_date, payment_method, provider_adjustments, file_name, "
                "raw_text, imported_by_id, imported_at) VALUES ('1', 'T1', 'P', '', 1575, "
                f"'2025-03-10', 'CHK', 0, 'a.835', 'x', {known.created_by_id}, "
                "'2025-03-10 10:00:00')"
            )
            assert migrate.runner().up()[0] == MIGRATION
        finally:
            migrate.runner().up()
        assert not diff_models(db.obj, all_models())
    stored = Claim.get_by_id(known.id)
    assert (stored.paid, stored.patient_pay, stored.allowed) == (D("15.75"), D("2.00"), D("17.75"))
    assert (stored.adjudicated, stored.contractual, stored.adjustments) == (
        D("15.75"),
        D("3.79"),
        D(0),
    )
    assert stored.balance == 0
    assert Claim.get_by_id(plain.id).adjudicated == D("10.00")
    assert Claim.get_by_id(waiting.id).adjudicated is None
    assert Claim.get_by_id(waiting.id).balance == Claim.get_by_id(waiting.id).billed
    [remittance] = Remittance.select()
    assert (remittance.status, remittance.payment_amount) == ("posted", D("15.75"))
