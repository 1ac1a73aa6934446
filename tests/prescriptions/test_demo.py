"""The demo pharmacy's prescriptions: a day's work at every step, made through the same
steps staff take, with one allergy block to try."""

from portal.catalog.stock.models import Lot
from portal.foundation.dates import local_today
from portal.prescriptions import demo
from portal.prescriptions.fills.models import Fill
from portal.prescriptions.screening import gather


def test_demo_prescriptions_cover_the_workflow(bare_app):
    result = bare_app.test_cli_runner().invoke(args=["demo", "load"])
    assert result.exit_code == 0, result.output
    assert "prescriptions: 10 at every step of the workflow" in result.output
    statuses = {f.status for f in Fill.select().where(Fill.status != "compound")}  # compounding
    assert statuses == {
        "data_verify",
        "data_entry",
        "fill",
        "final_verify",
        "ready",
        "picked_up",
        "on_hold",
    }
    returned = Fill.get(Fill.status == "data_entry")
    assert returned.was_returned and returned.return_reason == demo.RETURN_REASON
    # Filling took stock from the lots, through the stock movements.
    assert Lot.out_of_step().count() == 0
    dispensed = Fill.select().where(Fill.dispensed_lot.is_null(False)).count()
    assert dispensed == 4  # final_verify, 2 ready, picked_up


def test_the_demo_amoxicillin_is_blocked_by_the_patients_penicillin_allergy(bare_app):
    assert bare_app.test_cli_runner().invoke(args=["demo", "load"]).exit_code == 0
    fill = next(
        f
        for f in Fill.select().where(Fill.status == "data_verify")
        if f.prescription.drug_name.startswith("Amoxicillin")
    )
    results = gather.checks_for(fill, local_today(None))
    blocks = [r for r in results if r.status.value == "block"]
    assert blocks and "penicillin" in blocks[0].message.lower()
    assert demo.load().endswith("none added")
