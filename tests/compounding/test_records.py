"""Compounding records: scaling, lots, weights and deviations, quality checks, completion
(stock and BUD), approval and rejection; audited."""

from datetime import date, timedelta
from decimal import Decimal

import pytest

from portal.audit.models import AuditEvent
from portal.catalog.stock.models import Lot, StockMovement
from portal.compounding.records import actions
from portal.compounding.records.models import CompoundingRecord
from portal.foundation.db import write_transaction
from tests.factories import (
    make_batch_record,
    make_formula,
    make_ingredient,
    make_lot,
    make_user,
    stock_formula,
)

D = Decimal
TODAY = date(2026, 3, 1)


def _fill_in(record, measured=None, lots=None, user=None, today=TODAY):
    """Choose each line's first usable lot and measure exactly what is required."""
    user = user or make_user()
    with write_transaction():
        for line in record.lines():
            lot = (lots or {}).get(line.name) or actions.suggested_lots(line, today)[0]
            amount = (measured or {}).get(line.name, line.required_amount)
            actions.record_line(record, line, lot=lot, measured=amount, user=user, today=today)
        for result in record.quality_results():
            if result.check.kind == "final_weight":
                actions.record_quality(record, result, measured=record.quantity, observed="",
                                       judged_pass=None, user=user)  # fmt: skip
            else:
                actions.record_quality(record, result, measured=None, observed="smooth",
                                       judged_pass=True, user=user)  # fmt: skip


def test_a_batch_gets_the_months_next_lot_number(app):
    formula = make_formula(approved_by=True)
    first = make_batch_record(formula, today=date(2026, 11, 3))
    second = make_batch_record(formula, today=date(2026, 11, 20))
    december = make_batch_record(formula, today=date(2026, 12, 1))
    assert [first.batch_number, second.batch_number, december.batch_number] == [
        "B2611-0001", "B2611-0002", "B2612-0001"
    ]  # fmt: skip
    assert first.internal_id == "B2611-0001"


def test_only_an_approved_formula_can_be_compounded(app):
    with pytest.raises(actions.RecordProblem, match="only an approved formula"):
        make_batch_record(make_formula())


def test_the_formula_is_scaled_and_corrected_for_potency_and_salt(app):
    drug = make_ingredient(name="Morphine sulfate", potency=D("0.98"))
    base = make_ingredient(name="Ora-Sweet", unit="mL", potency=D(1))
    formula = make_formula(
        lines=[(drug, D(100), "mg", True, D("1.21")), (base, D(100), "mL", False)],
        basis_unit="mL", dosage_form="oral solution", route="oral", approved_by=True,
    )  # fmt: skip
    record = make_batch_record(formula, quantity=D(30), unit="mL")
    morphine, sweet = record.lines()
    assert morphine.scaled_amount == D(30)  # 100 mg × 30 ÷ 100
    # 30 mg of base × 1.21 = 36.3 mg of salt; ÷ 98% = 37.0408 mg
    assert morphine.required_amount.quantize(D("0.0001")) == D("37.0408")
    assert "salt: 30 mg base × 1.21 = 36.3 mg" in morphine.step_list
    assert sweet.required_amount == D(30)


def test_an_expired_lot_is_refused_in_words(app):
    record = make_batch_record()
    line = record.lines()[0]
    old = make_lot(line.formula_line.item, expires_on=TODAY - timedelta(days=1), lot_number="OLD1")
    with pytest.raises(actions.RecordProblem, match="expired on 02/28/2026"), write_transaction():
        actions.record_line(record, line, lot=old, measured=None, user=make_user(), today=TODAY)


def test_a_lot_of_another_ingredient_is_refused(app):
    record = make_batch_record()
    other = make_lot(make_ingredient(name="Zinc oxide"), lot_number="Z1")
    with pytest.raises(actions.RecordProblem, match="is not a lot of"), write_transaction():
        actions.record_line(record, record.lines()[0], lot=other, measured=None,
                            user=make_user(), today=TODAY)  # fmt: skip


def test_suggested_lots_are_first_expiring_first_and_never_expired(app):
    record = make_batch_record()
    item = record.lines()[0].formula_line.item
    later = make_lot(item, expires_on=TODAY + timedelta(days=300), lot_number="LATER")
    sooner = make_lot(item, expires_on=TODAY + timedelta(days=30), lot_number="SOONER")
    make_lot(item, expires_on=TODAY - timedelta(days=3), lot_number="GONE")
    suggested = [lot.lot_number for lot in actions.suggested_lots(record.lines()[0], TODAY)]
    assert suggested == [sooner.lot_number, later.lot_number]


def test_out_of_tolerance_amount_is_flagged_and_needs_a_pharmacists_note(app):
    record = make_batch_record()
    stock_formula(record.formula)
    active = record.lines()[0]  # 1.5 g required
    _fill_in(record, measured={active.name: D("1.6")})
    active = record.lines()[0]
    assert active.deviation_percent == D("6.6667") and active.flagged
    assert any("a pharmacist's note is needed" in p for p in actions.problems(record, TODAY))
    with pytest.raises(actions.RecordProblem, match="Only a pharmacist"), write_transaction():
        actions.note_deviation(record, active, "fine", make_user(roles=("technician",)))
    with write_transaction():
        actions.note_deviation(record, active, "Within the assay range; accepted.",
                               make_user(roles=("pharmacist",)))  # fmt: skip
    assert actions.problems(record, TODAY) == []


def test_a_new_measurement_clears_the_old_note(app):
    record = make_batch_record()
    stock_formula(record.formula)
    name = record.lines()[0].name
    _fill_in(record, measured={name: D("1.6")})
    with write_transaction():
        actions.note_deviation(record, record.lines()[0], "ok", make_user(roles=("pharmacist",)))
    _fill_in(record, measured={name: D("1.7")})
    assert record.lines()[0].pharmacist_note == ""


def test_completing_takes_stock_dates_the_bud_and_is_audited(app):
    record = make_batch_record()  # 60 g of an aqueous, unpreserved cream
    lots = stock_formula(record.formula, quantity=D(500))
    _fill_in(record)
    user = make_user(roles=("technician",))
    explanation = actions.complete(record, user, today=TODAY)
    record = CompoundingRecord.get_by_id(record.id)
    assert record.status == "completed" and record.compounded_by_id == user.id
    # 14 days, the day of compounding counted as day 1: 1 March -> 14 March.
    assert record.beyond_use_date == date(2026, 3, 14) == explanation.beyond_use_date
    assert "14 days, through 2026-03-14: aqueous, no preservative" in record.bud_explanation
    assert record.storage == "Store in a refrigerator (2–8 °C)"
    assert [Lot.get_by_id(lot.id).quantity_on_hand for lot in lots] == [D("498.5"), D("441.5")]
    moves = StockMovement.select().where(StockMovement.compounding_record_id == record.id)
    assert sorted(m.delta for m in moves) == [D("-58.5"), D("-1.5")]
    assert {m.reason for m in moves} == {"compounded"}
    event = AuditEvent.get(
        (AuditEvent.entity == "compounding_record") & (AuditEvent.action == "complete")
    )
    assert event.after_data()["status"] == "completed"


def test_the_bud_is_cut_short_by_the_earliest_lot_expiry(app):
    record = make_batch_record()
    stock_formula(record.formula, expires_on=TODAY + timedelta(days=5))
    _fill_in(record)
    actions.complete(record, make_user(), today=TODAY)
    record = CompoundingRecord.get_by_id(record.id)
    assert record.beyond_use_date == TODAY + timedelta(days=5)
    assert "limited by" in record.bud_explanation


def test_a_stability_supported_bud_replaces_the_table(app):
    formula = make_formula(approved_by=True, stability_days=60, bud_reference="J Pharm 2020;1:2")
    record = make_batch_record(formula)
    stock_formula(formula)
    _fill_in(record)
    actions.complete(record, make_user(), today=TODAY)
    assert CompoundingRecord.get_by_id(record.id).beyond_use_date == date(2026, 4, 29)


def test_not_enough_stock_changes_nothing(app):
    record = make_batch_record()
    lots = stock_formula(record.formula, quantity=D(10))  # the base needs 58.5 g
    _fill_in(record)
    with pytest.raises(actions.RecordProblem, match="has 10 g on hand"):
        actions.complete(record, make_user(), today=TODAY)
    assert [Lot.get_by_id(lot.id).quantity_on_hand for lot in lots] == [D(10), D(10)]
    assert CompoundingRecord.get_by_id(record.id).status == "in_progress"


def test_a_failed_quality_check_blocks_completion(app):
    record = make_batch_record()
    stock_formula(record.formula)
    _fill_in(record)
    weight = next(r for r in record.quality_results() if r.check.kind == "final_weight")
    with write_transaction():
        actions.record_quality(record, weight, measured=D("56"), observed="", judged_pass=None,
                               user=make_user())  # fmt: skip
    assert any("failed" in p for p in actions.problems(record, TODAY))
    with pytest.raises(actions.RecordProblem, match="cannot be dispensed"):
        actions.complete(record, make_user(), today=TODAY)


def test_the_pharmacist_approves_a_completed_record(app):
    record = make_batch_record()
    stock_formula(record.formula)
    _fill_in(record)
    actions.complete(record, make_user(), today=TODAY)
    with pytest.raises(actions.RecordProblem, match="Only a pharmacist"), write_transaction():
        actions.approve(record, make_user(roles=("technician",)))
    pharmacist = make_user(roles=("pharmacist",))
    with write_transaction():
        actions.approve(record, pharmacist)
    record = CompoundingRecord.get_by_id(record.id)
    assert record.status == "approved" and record.approved_by_id == pharmacist.id


def test_a_record_cannot_be_changed_after_completion(app):
    record = make_batch_record()
    stock_formula(record.formula)
    _fill_in(record)
    actions.complete(record, make_user(), today=TODAY)
    with (
        pytest.raises(actions.RecordProblem, match="can no longer be changed"),
        write_transaction(),
    ):
        actions.record_line(record, record.lines()[0], lot=None, measured=D(1), user=make_user(),
                            today=TODAY)  # fmt: skip


def test_the_label_facts_carry_what_a_compound_label_needs(app):
    record = make_batch_record()
    stock_formula(record.formula)
    _fill_in(record)
    actions.complete(record, make_user(), today=TODAY)
    facts = CompoundingRecord.get_by_id(record.id).label_facts()
    assert facts["internal_id"] == record.batch_number
    assert facts["dosage_form"] == "cream"
    assert facts["active_ingredients"][0][1] == "2.5%"
    assert facts["active_ingredients"][0][0].startswith("Hydrocortisone USP")
    assert facts["beyond_use_date"] == date(2026, 3, 14)
    assert facts["storage"] == "Store in a refrigerator (2–8 °C)"
