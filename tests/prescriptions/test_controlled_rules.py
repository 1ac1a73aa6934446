"""C-II origin and partial-fill windows, from /work/shared/domain/controlled.md:
21 CFR 1306.11 (origin), 1306.13 and 21 USC 829(f) (C-II partial fills), 1306.23 (C-III-V)."""

from datetime import date, datetime
from decimal import Decimal

import pytest

from portal.prescriptions.controlled import rules
from portal.prescriptions.controlled.rules import OriginFacts, OriginLimits

WRITTEN = date(2026, 3, 2)
FIRST_FILL = datetime(2026, 3, 2, 15, 30)


def _facts(**overrides) -> OriginFacts:
    values = {"schedule": "2", "origin": "written"}
    values.update(overrides)
    return OriginFacts(**values)


@pytest.mark.parametrize("origin", ["written", "electronic"])
def test_written_or_electronic_c2_passes(origin):
    facts = _facts(origin=origin)
    assert rules.data_verification_problem(facts, Decimal(30)) is None
    assert rules.final_verification_problem(facts) is None


def test_phoned_c2_is_refused_until_recorded_as_emergency_oral_order():
    problem = rules.data_verification_problem(_facts(origin="phone"), Decimal(10))
    assert "1306.11(a)" in problem and "emergency oral order" in problem


def test_emergency_oral_order_is_limited_to_the_emergency_quantity():
    facts = _facts(origin="phone", emergency_quantity=Decimal(8))
    assert rules.data_verification_problem(facts, Decimal(8)) is None
    problem = rules.data_verification_problem(facts, Decimal(12))
    assert "emergency quantity, 8" in problem and "for 12" in problem


def test_phoned_c3_needs_no_emergency_record():
    assert rules.data_verification_problem(_facts(schedule="3", origin="phone"), 30) is None


def test_faxed_c2_may_be_prepared_but_not_pass_final_verification():
    facts = _facts(origin="fax")
    assert rules.data_verification_problem(facts, Decimal(30)) is None
    assert "Faxed C-II" in rules.origin_note(facts)
    assert "signed original" in rules.final_verification_problem(facts)


@pytest.mark.parametrize("reason", ["home_infusion", "ltcf", "hospice"])
def test_fax_serves_as_original_with_a_recorded_reason(reason):
    facts = _facts(origin="fax", fax_reason=reason)
    assert rules.final_verification_problem(facts) is None
    assert "1306.11" in rules.reason_label(reason)


def test_fax_passes_final_verification_once_the_original_is_received():
    assert rules.final_verification_problem(_facts(origin="fax", original_received=True)) is None


def test_emergency_follow_up_is_due_in_seven_days():
    assert rules.follow_up_due(date(2026, 3, 2)) == date(2026, 3, 9)
    assert rules.follow_up_due(date(2026, 12, 28)) == date(2027, 1, 4)
    assert rules.follow_up_due(date(2026, 3, 2), OriginLimits(follow_up_days=5)) == date(2026, 3, 7)


def test_follow_up_is_overdue_only_after_its_due_day_while_open():
    due = date(2026, 3, 9)
    assert not rules.follow_up_overdue(due, rules.FOLLOW_UP_DUE, date(2026, 3, 9))
    assert rules.follow_up_overdue(due, rules.FOLLOW_UP_DUE, date(2026, 3, 10))
    assert not rules.follow_up_overdue(due, rules.FOLLOW_UP_RECEIVED, date(2026, 3, 10))


def test_limits_may_not_loosen_the_federal_ones():
    with pytest.raises(ValueError):
        OriginLimits(follow_up_days=8)
    with pytest.raises(ValueError):
        OriginLimits(out_of_stock_hours=96)
    with pytest.raises(ValueError):
        OriginLimits(ltcf_days=90)


def _window(reason, schedule="2", **kwargs):
    return rules.remainder_window(
        schedule=schedule, reason=reason, written_on=WRITTEN, first_filled_at=FIRST_FILL, **kwargs
    )


def _remainder(window, now, asked=Decimal(20)):
    return rules.remainder_problem(
        window=window, now=now, prescribed=Decimal(30), dispensed=Decimal(10), asked=asked
    )


def test_out_of_stock_remainder_within_72_hours_of_the_first_partial():
    window = _window("out_of_stock")
    assert window.ends_at == datetime(2026, 3, 5, 15, 30)
    assert _remainder(window, datetime(2026, 3, 5, 15, 29)) is None
    problem = _remainder(window, datetime(2026, 3, 5, 15, 30))
    assert "72 hours" in problem and "1306.13(a)" in problem and "void" in problem


def test_requested_partial_until_30_days_after_the_date_written():
    window = _window("request")
    assert window.last_day == date(2026, 4, 1)
    assert _remainder(window, datetime(2026, 4, 1, 23, 59)) is None
    assert "829(f)" in _remainder(window, datetime(2026, 4, 2, 0, 0))


def test_requested_partial_of_an_emergency_oral_order_within_72_hours():
    window = _window("request", emergency_oral=True)
    assert window.ends_at == datetime(2026, 3, 5, 0, 0)
    assert _remainder(window, datetime(2026, 3, 4, 23, 0)) is None
    assert _remainder(window, datetime(2026, 3, 5, 9, 0)) is not None


def test_long_term_care_or_terminal_partial_up_to_60_days():
    window = _window("ltcf_terminal")
    assert window.last_day == date(2026, 5, 1)
    assert _remainder(window, datetime(2026, 5, 1, 18, 0)) is None
    assert "60 days" in _remainder(window, datetime(2026, 5, 2, 8, 0))


@pytest.mark.parametrize("schedule", ["3", "4", "5"])
def test_c3_to_c5_partials_within_six_months_of_the_date_written(schedule):
    window = _window("out_of_stock", schedule=schedule)
    assert window.last_day == date(2026, 9, 2)
    assert _remainder(window, datetime(2026, 9, 2, 20, 0)) is None
    assert "1306.23" in _remainder(window, datetime(2026, 9, 3, 9, 0))


def test_remainder_may_not_exceed_what_is_left():
    window = _window("request")
    problem = _remainder(window, datetime(2026, 3, 3, 9, 0), asked=Decimal(21))
    assert "Only 20 remain of the 30 prescribed" in problem
    assert _remainder(window, datetime(2026, 3, 3, 9, 0), asked=Decimal(20)) is None


def test_a_partial_fill_dispenses_less_than_prescribed_with_a_reason():
    assert rules.partial_problem(prescribed=30, dispensing=10, reason="out_of_stock") is None
    assert "Choose why" in rules.partial_problem(prescribed=30, dispensing=10, reason="")
    assert "less than the 30" in rules.partial_problem(
        prescribed=30, dispensing=30, reason="request"
    )
    assert rules.partial_words(Decimal(10), Decimal(30)) == "partial fill: 10 of 30"
