"""Safety checks at data verification, built from domain/controlled.md and the brief's cases."""

import dataclasses
from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from portal.prescriptions.screening.rules import (
    CheckResult,
    CheckSettings,
    ControlledLimits,
    DrugFacts,
    FillFacts,
    IngredientFacts,
    OtherFill,
    PatientFacts,
    PrescriberFacts,
    PreviousFill,
    RxFacts,
    Status,
    add_months,
    check_controlled,
    check_duplicate_therapy,
    check_expired,
    check_quantity,
    check_refill_too_soon,
    check_refills,
    most_restrictive,
    refills_remaining,
    run_checks,
    worst,
)

WRITTEN = date(2024, 1, 15)
SETTINGS = CheckSettings()
DR_BROWN = PrescriberFacts(
    name="Dr. Ann Brown", last_name="Brown", dea="AB1234563", dea_schedules={"2", "3", "4", "5"}
)
AMOXICILLIN = DrugFacts(
    "Amoxicillin 500 mg capsule",
    ingredients=(IngredientFacts("amoxicillin trihydrate", ("penicillins",)),),
    product_key="00093-3109-01",
)
OXYCODONE = DrugFacts(
    "Oxycodone 5 mg tablet",
    ingredients=(IngredientFacts("oxycodone hydrochloride", schedule="2"),),
    schedule="2",
)
ALPRAZOLAM = DrugFacts("Alprazolam 0.5 mg tablet", (IngredientFacts("alprazolam", (), "4"),), "4")
TESTOSTERONE_CREAM = DrugFacts(
    "Testosterone 10% cream",
    ingredients=(IngredientFacts("testosterone cypionate", schedule="3"), IngredientFacts("base")),
    is_compound=True,
)


def rx(**changes) -> RxFacts:
    """A plain non-controlled prescription: 1 cap po bid x10d, 20 capsules, 2 refills."""
    base = RxFacts(
        rx_number="1001",
        written_on=WRITTEN,
        refills_authorized=2,
        quantity=Decimal(20),
        days_supply=10,
        directions="1 cap po bid x10d",
        quantity_unit="capsules",
    )
    return dataclasses.replace(base, **changes)


def fill(days_after_written: int = 0, fills_done: int = 0, **changes) -> FillFacts:
    filling_on = WRITTEN + timedelta(days=days_after_written)
    return FillFacts(filling_on=filling_on, fills_done=fills_done, **changes)


def controlled(drug, rx_changes=None, prescriber=DR_BROWN, limits=None, **fill_args):
    schedule = drug.effective_schedule
    prescription = rx(schedule=schedule, **(rx_changes or {}))
    return check_controlled(prescription, drug, prescriber, fill(**fill_args), limits)


# --- controlled substances ---------------------------------------------------


def test_non_controlled_passes_the_controlled_check():
    result = check_controlled(rx(), AMOXICILLIN, PrescriberFacts(), fill())
    assert result == CheckResult("controlled", Status.PASS, "Not a controlled substance.")


def test_c2_with_refills_is_blocked():
    result = controlled(OXYCODONE, {"refills_authorized": 1})
    assert result.status is Status.BLOCK
    assert "C-II prescriptions cannot be refilled (21 CFR 1306.12); 1 entered" in result.message


def test_c2_refill_request_is_blocked():
    result = controlled(OXYCODONE, {"refills_authorized": 0}, fills_done=1)
    assert result.status is Status.BLOCK
    assert "This would be a refill of a C-II prescription" in result.message


def test_c2_without_refills_in_time_passes():
    result = controlled(OXYCODONE, {"refills_authorized": 0}, days_after_written=180)
    assert result.status is Status.PASS
    assert result.message.startswith("C-II: ")


def test_c2_after_the_180_day_default_is_blocked():
    result = controlled(OXYCODONE, {"refills_authorized": 0}, days_after_written=181)
    assert result.status is Status.BLOCK
    assert "could be filled until Jul 13, 2024 (180 days, the pharmacy's limit)" in result.message


def test_c2_time_limit_is_a_setting():
    limits = ControlledLimits(days_valid_c2=90)
    assert controlled(
        OXYCODONE, {"refills_authorized": 0}, limits=limits, days_after_written=90
    ).status is Status.PASS  # fmt: skip
    assert controlled(
        OXYCODONE, {"refills_authorized": 0}, limits=limits, days_after_written=91
    ).status is Status.BLOCK  # fmt: skip


def test_c3_with_six_refills_is_blocked():
    result = controlled(TESTOSTERONE_CREAM, {"refills_authorized": 6})
    assert result.status is Status.BLOCK
    assert "C-III prescriptions allow at most 5 refills (21 CFR 1306.22); 6 entered" in (
        result.message
    )


def test_c3_with_five_refills_passes():
    assert controlled(TESTOSTERONE_CREAM, {"refills_authorized": 5}).status is Status.PASS


def test_c4_sixth_refill_is_blocked():
    result = controlled(ALPRAZOLAM, {"refills_authorized": 5}, fills_done=6)
    assert result.status is Status.BLOCK
    assert "This would be refill 6 of a C-IV prescription" in result.message


def test_c4_six_months_and_one_day_after_written_is_blocked():
    six_months = date(2024, 7, 15)
    result = check_controlled(
        rx(schedule="4"), ALPRAZOLAM, DR_BROWN, FillFacts(six_months + timedelta(days=1), 1)
    )
    assert result.status is Status.BLOCK
    assert result.message == (
        "C-IV prescription written Jan 15, 2024 cannot be filled after Jul 15, 2024 "
        "(21 CFR 1306.22); a new prescription is needed."
    )


def test_c4_exactly_six_months_after_written_passes():
    result = check_controlled(rx(schedule="4"), ALPRAZOLAM, DR_BROWN, FillFacts(date(2024, 7, 15)))
    assert result.status is Status.PASS


def test_six_months_from_august_31_ends_on_the_last_day_of_february():
    written = date(2023, 8, 31)
    prescription = rx(schedule="4", written_on=written)
    on_last_day = FillFacts(date(2024, 2, 29))
    day_after = FillFacts(date(2024, 3, 1))
    assert check_controlled(prescription, ALPRAZOLAM, DR_BROWN, on_last_day).status is Status.PASS
    assert check_controlled(prescription, ALPRAZOLAM, DR_BROWN, day_after).status is Status.BLOCK


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (date(2024, 1, 15), 6, date(2024, 7, 15)),
        (date(2023, 8, 31), 6, date(2024, 2, 29)),
        (date(2022, 8, 31), 6, date(2023, 2, 28)),
        (date(2024, 10, 31), 1, date(2024, 11, 30)),
        (date(2024, 12, 1), 1, date(2025, 1, 1)),
        (date(2024, 7, 20), 6, date(2025, 1, 20)),
        (date(2024, 5, 5), 0, date(2024, 5, 5)),
    ],
)
def test_add_months_counts_calendar_months(day, months, expected):
    assert add_months(day, months) == expected


@given(st.dates(date(1990, 1, 1), date(2090, 1, 1)), st.integers(0, 400))
def test_c3_c4_time_limit_is_between_181_and_184_days(written, days_later):
    # Six calendar months are 181 to 184 days long, whatever the start date.
    prescription = rx(schedule="4", written_on=written, refills_authorized=5)
    result = check_controlled(
        prescription, ALPRAZOLAM, DR_BROWN, FillFacts(written + timedelta(days=days_later))
    )
    if days_later <= 181:
        assert result.status is Status.PASS
    if days_later > 184:
        assert result.status is Status.BLOCK


def test_state_may_lower_the_c4_refill_limit():
    result = controlled(
        ALPRAZOLAM, {"refills_authorized": 3}, limits=ControlledLimits(max_refills_c4=2)
    )
    assert result.status is Status.BLOCK
    assert "at most 2 refills (the pharmacy's limit)" in result.message


@pytest.mark.parametrize(
    "looser",
    [
        {"max_refills_c2": 1},
        {"max_refills_c3": 6},
        {"max_refills_c4": 6},
        {"months_valid_c3_c4": 7},
    ],
)
def test_controlled_limits_cannot_be_looser_than_federal_law(looser):
    with pytest.raises(ValueError):
        ControlledLimits(**looser)


def test_c5_has_no_federal_refill_cap_but_a_state_may_set_one():
    cough_syrup = DrugFacts("Promethazine w/ codeine", schedule="5")
    assert controlled(cough_syrup, {"refills_authorized": 11}).status is Status.PASS
    capped = controlled(
        cough_syrup, {"refills_authorized": 11}, limits=ControlledLimits(max_refills_c5=5)
    )
    assert capped.status is Status.BLOCK


def test_compound_takes_the_schedule_of_its_controlled_ingredient():
    assert TESTOSTERONE_CREAM.effective_schedule == "3"
    result = check_controlled(rx(refills_authorized=6), TESTOSTERONE_CREAM, DR_BROWN, fill())
    assert result.status is Status.BLOCK
    assert "Prescription is recorded as not controlled but Testosterone 10% cream is C-III" in (
        result.message
    )


def test_most_restrictive_schedule_wins():
    assert most_restrictive(None, "4", "2", "5") == "2"
    assert most_restrictive(None, None) is None


def test_prescriber_without_dea_number_cannot_prescribe_controlled():
    result = controlled(ALPRAZOLAM, prescriber=PrescriberFacts(name="Dr. Ann Brown"))
    assert result.status is Status.BLOCK
    assert "needs the prescriber's DEA number (21 CFR 1306.05); none is on file" in result.message


def test_prescriber_with_invalid_dea_number_is_blocked():
    wrong = dataclasses.replace(DR_BROWN, dea="AB1234567")
    result = controlled(ALPRAZOLAM, prescriber=wrong)
    assert result.status is Status.BLOCK
    assert "DEA number AB1234567 of Dr. Ann Brown is not valid: check digit should be 3" in (
        result.message
    )


def test_dea_number_of_someone_else_is_caught_by_the_last_name():
    other = dataclasses.replace(DR_BROWN, last_name="Smith")
    result = controlled(ALPRAZOLAM, prescriber=other)
    assert result.status is Status.BLOCK
    assert "second letter should be S" in result.message


def test_registration_not_covering_the_schedule_is_blocked():
    no_c2 = dataclasses.replace(DR_BROWN, dea_schedules={"3", "4", "5"})
    result = controlled(OXYCODONE, {"refills_authorized": 0}, prescriber=no_c2)
    assert result.status is Status.BLOCK
    assert "does not cover C-II (schedules covered: 3, 4, 5)" in result.message


def test_registration_schedules_may_be_given_as_numbers():
    numbers = dataclasses.replace(DR_BROWN, dea_schedules=[2, 3, 4, 5])
    result = controlled(OXYCODONE, {"refills_authorized": 0}, prescriber=numbers)
    assert result.status is Status.PASS


def test_non_narcotic_only_registration_warns_for_c2():
    only_2n = dataclasses.replace(DR_BROWN, dea_schedules={"2n", "3", "4", "5"})
    result = controlled(OXYCODONE, {"refills_authorized": 0}, prescriber=only_2n)
    assert result.status is Status.WARN
    assert "covers only non-narcotic C-II (2N)" in result.message


# --- expiry, refills ---------------------------------------------------------


def test_non_controlled_fillable_for_365_days_then_blocked():
    assert check_expired(rx(), fill(365), SETTINGS).status is Status.PASS
    result = check_expired(rx(), fill(366), SETTINGS)
    assert result.status is Status.BLOCK
    assert result.message == (
        "Prescription written Jan 15, 2024 expired after Jan 14, 2025 "
        "(365 days, the pharmacy's limit); a new prescription is needed."
    )


def test_expiry_limit_is_a_setting():
    short = CheckSettings(days_valid=180)
    assert check_expired(rx(), fill(181), short).status is Status.BLOCK


def test_written_after_the_fill_date_is_blocked():
    result = check_expired(rx(), fill(-1), SETTINGS)
    assert result.status is Status.BLOCK
    assert "after the fill date" in result.message


@pytest.mark.parametrize(
    ("authorized", "fills_done", "remaining"),
    [(0, 0, 0), (0, 1, 0), (2, 0, 2), (2, 1, 2), (2, 2, 1), (2, 3, 0), (2, 9, 0), (5, 6, 0)],
)
def test_refills_remaining(authorized, fills_done, remaining):
    assert refills_remaining(authorized, fills_done) == remaining


@given(st.integers(0, 11), st.integers(0, 20))
def test_refills_remaining_counts_down_one_per_refill(authorized, fills_done):
    left = refills_remaining(authorized, fills_done)
    assert 0 <= left <= authorized
    assert refills_remaining(authorized, fills_done + 1) == max(0, left - (fills_done >= 1))


def test_refill_with_none_remaining_is_blocked():
    result = check_refills(rx(refills_authorized=2), fill(fills_done=3))
    assert result.status is Status.BLOCK
    assert result.message == (
        "No refills remain: 2 refills authorized, all filled; a new prescription is needed."
    )


def test_last_authorized_refill_passes_and_says_none_left():
    result = check_refills(rx(refills_authorized=2), fill(fills_done=2))
    assert result == CheckResult("refills", Status.PASS, "Refill 2 of 2; no refills left.")


def test_refill_on_prescription_without_refills_is_blocked():
    assert check_refills(rx(refills_authorized=0), fill(fills_done=1)).status is Status.BLOCK
    assert check_refills(rx(refills_authorized=0), fill()).status is Status.PASS


def test_negative_refills_are_blocked():
    assert check_refills(rx(refills_authorized=-1), fill()).status is Status.BLOCK


# --- refill too soon ---------------------------------------------------------


def test_refill_before_75_percent_of_the_supply_warns_with_the_due_date():
    last = PreviousFill(filled_on=date(2024, 3, 1), days_supply=30, rx_number="1001")
    # 75% of 30 days is 22.5: due on the 23rd day after the fill.
    early = FillFacts(date(2024, 3, 23), fills_done=1, previous_fill=last)
    result = check_refill_too_soon(early, SETTINGS)
    assert result.status is Status.WARN
    assert result.message == (
        "Refill too soon: Rx 1001 last filled Mar 1, 2024 for 30 days; due on or after "
        "Mar 24, 2024 (75% of the supply used)."
    )
    on_time = FillFacts(date(2024, 3, 24), fills_done=1, previous_fill=last)
    assert check_refill_too_soon(on_time, SETTINGS).status is Status.PASS


def test_refill_due_share_is_a_setting():
    last = PreviousFill(filled_on=date(2024, 3, 1), days_supply=30)
    stricter = CheckSettings(refill_due_fraction=Decimal("0.9"))
    result = check_refill_too_soon(FillFacts(date(2024, 3, 27), 1, last), stricter)
    assert result.status is Status.WARN
    assert "due on or after Mar 28, 2024 (90% of the supply used)" in result.message


def test_first_fill_is_never_too_soon():
    assert check_refill_too_soon(fill(), SETTINGS).status is Status.PASS


# --- duplicate therapy -------------------------------------------------------


def test_same_product_in_another_open_fill_warns_with_its_rx_number():
    result = check_duplicate_therapy(rx(), AMOXICILLIN, [OtherFill("1002", AMOXICILLIN)])
    assert result.status is Status.WARN
    assert result.message == (
        "Rx 1002 (Amoxicillin 500 mg capsule) is an open fill of the same product."
    )


def test_same_active_ingredient_in_another_salt_form_warns():
    augmentin = DrugFacts(
        "Augmentin 875 mg",
        (IngredientFacts("Amoxicillin"), IngredientFacts("clavulanate potassium")),
    )
    result = check_duplicate_therapy(rx(), AMOXICILLIN, [OtherFill("1003", augmentin)])
    assert result.status is Status.WARN
    assert result.message == "Rx 1003 (Augmentin 875 mg) also contains amoxicillin trihydrate."


def test_the_same_prescription_is_not_its_own_duplicate():
    result = check_duplicate_therapy(rx(), AMOXICILLIN, [OtherFill("1001", AMOXICILLIN)])
    assert result.status is Status.PASS


def test_unrelated_open_fills_pass():
    others = [OtherFill("1004", ALPRAZOLAM), OtherFill("1005", TESTOSTERONE_CREAM)]
    assert check_duplicate_therapy(rx(), AMOXICILLIN, others).status is Status.PASS


# --- quantity sanity ---------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "words"),
    [
        ({"quantity": Decimal(0)}, "Quantity must be more than zero (0 entered)."),
        ({"quantity": Decimal(-5)}, "Quantity must be more than zero (-5 entered)."),
        ({"days_supply": 0}, "Days supply must be more than zero (0 entered)."),
    ],
)
def test_quantity_and_days_supply_must_be_positive(changes, words):
    result = check_quantity(rx(**changes), SETTINGS)
    assert result.status is Status.BLOCK
    assert result.message == words


def test_quantity_matching_the_directions_passes():
    result = check_quantity(rx(), SETTINGS)
    assert result.status is Status.PASS
    assert result.message == (
        "Directions use 2 capsules a day, so 10 days need 20 capsules; quantity is 20."
    )


@pytest.mark.parametrize("quantity", [30, 15, 17, 23])
def test_quantity_off_by_more_than_the_tolerance_warns_with_what_was_expected(quantity):
    result = check_quantity(rx(quantity=Decimal(quantity)), SETTINGS)
    assert result.status is Status.WARN
    assert f"so 10 days need 20 capsules; quantity is {quantity}." in result.message


@pytest.mark.parametrize("quantity", [18, 22])
def test_quantity_within_the_tolerance_passes(quantity):
    assert check_quantity(rx(quantity=Decimal(quantity)), SETTINGS).status is Status.PASS


def test_as_needed_quantity_may_be_less_but_not_more_than_the_most_allowed():
    prn = {"directions": "1 tab po q6h prn pain", "days_supply": 30, "quantity_unit": "tablets"}
    assert check_quantity(rx(quantity=Decimal(30), **prn), SETTINGS).status is Status.PASS
    result = check_quantity(rx(quantity=Decimal(150), **prn), SETTINGS)
    assert result.status is Status.WARN
    assert "allow at most 4 tablets a day, so 30 days at most 120 tablets" in result.message


def test_days_in_directions_that_differ_from_days_supply_warn():
    result = check_quantity(rx(days_supply=30), SETTINGS)
    assert result.status is Status.WARN
    assert "Directions say 10 days but the days supply is 30." in result.message


def test_liquid_quantity_is_compared_in_ml():
    liquid = rx(directions="5 ml po tid x10d", quantity=Decimal(150), quantity_unit="mL")
    assert check_quantity(liquid, SETTINGS).status is Status.PASS
    assert check_quantity(dataclasses.replace(liquid, quantity=Decimal(100)), SETTINGS).status is (
        Status.WARN
    )


def test_capsules_in_directions_but_tablets_in_quantity_warns():
    result = check_quantity(rx(quantity_unit="tablets"), SETTINGS)
    assert result.status is Status.WARN
    assert "Directions are in capsules but the quantity is in tablets" in result.message


def test_quantity_with_no_unit_counts_capsules():
    assert check_quantity(rx(quantity_unit=None, quantity=Decimal(40)), SETTINGS).status is (
        Status.WARN
    )


def test_directions_in_milligrams_are_not_compared_with_tablets():
    result = check_quantity(rx(directions="500 mg po bid x10d", quantity_unit="tab"), SETTINGS)
    assert result.status is Status.PASS
    assert "not compared" in result.message


def test_unreadable_directions_pass_with_a_note():
    result = check_quantity(rx(directions="1 tab po qam and 2 tabs qhs"), SETTINGS)
    assert result.status is Status.PASS
    assert result.message == "Directions could not be read for a quantity check."


# --- run_checks and worst ----------------------------------------------------


def test_run_checks_runs_every_check_in_order():
    results = run_checks(
        patient=PatientFacts("nkda"), prescriber=DR_BROWN, drug=AMOXICILLIN, rx=rx(), fill=fill()
    )
    assert [r.check for r in results] == [
        "allergy", "controlled", "expired", "refills", "refill_too_soon", "duplicate_therapy",
        "interaction", "quantity",
    ]  # fmt: skip
    assert worst(results) is Status.PASS


def test_run_checks_uses_the_pharmacys_settings():
    strict = CheckSettings(days_valid=30)
    results = run_checks(
        patient=PatientFacts("nkda"), prescriber=DR_BROWN, drug=AMOXICILLIN, rx=rx(),
        fill=fill(31), settings=strict,
    )  # fmt: skip
    assert worst(results) is Status.BLOCK


def test_worst_of_no_results_is_pass():
    assert worst([]) is Status.PASS


statuses = st.sampled_from(list(Status))


@given(st.lists(statuses))
def test_worst_is_block_if_any_block_else_warn_if_any_warn(found):
    results = [CheckResult("x", status, "") for status in found]
    expected = (
        Status.BLOCK
        if Status.BLOCK in found
        else Status.WARN
        if Status.WARN in found
        else Status.PASS
    )
    assert worst(results) is expected


def test_status_orders_by_severity_not_by_name():
    assert Status.PASS < Status.WARN < Status.BLOCK
    assert sorted([Status.BLOCK, Status.PASS, Status.WARN]) == [
        Status.PASS, Status.WARN, Status.BLOCK,
    ]  # fmt: skip


def test_check_result_accepts_the_status_as_a_word():
    assert CheckResult("allergy", "warn", "x").status is Status.WARN
    with pytest.raises(ValueError):
        CheckResult("allergy", "fail", "x")


def test_unknown_schedule_is_refused():
    with pytest.raises(ValueError, match="schedule"):
        DrugFacts("x", schedule="II")
