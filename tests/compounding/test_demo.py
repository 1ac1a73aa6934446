"""The demo pharmacy's compounding: approved formulas from the demo ingredients and a compound
fill waiting to be made, whose record starts with in-date lots to choose."""

from datetime import date

from portal.catalog.formulas.models import Formula
from portal.compounding import demo
from portal.compounding.records import actions as record_actions
from portal.compounding.records import start as record_start
from portal.prescriptions.fills.models import Fill


def test_demo_formulas_are_approved_and_a_compound_waits(bare_app):
    result = bare_app.test_cli_runner().invoke(args=["demo", "load"])
    assert result.exit_code == 0, result.output
    assert "compounding: 2 approved master formulas, one compound to make" in result.output
    assert {f.status for f in Formula.select()} == {"approved"}
    fill = Fill.get(Fill.status == "compound")
    assert fill.prescription.formula.name == "Ketoprofen / Lidocaine"

    record = record_start.start_for_fill(fill, fill.data_verified_by, today=date.today())
    for line in record.lines():
        lots = record_actions.suggested_lots(line, date.today())
        assert lots, f"no lot to choose for {line}"
        assert all(lot.expires_on >= date.today() for lot in lots)
    assert demo.load().endswith("none added")
