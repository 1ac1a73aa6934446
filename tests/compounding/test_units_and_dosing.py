"""Unit conversion, mg/kg dosing, weighing tolerance and the Working helpers."""

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from portal.compounding.calculations import (
    Working,
    convert,
    deviation,
    round_half_up,
    show,
    to_decimal,
    weight_based_dose,
    within_tolerance,
)

D = Decimal


# Units


def test_five_grains_in_milligrams_uses_the_exact_grain():
    working = convert(D(5), "gr", "mg")
    assert working.result == D("323.99455")  # not the 325 mg clinical rounding
    assert working.steps == ("1 gr = 64.79891 mg", "5 gr × 64.79891 = 323.9946 mg")


@pytest.mark.parametrize(
    ("amount", "source", "target", "expected"),
    [
        (D(1), "kg", "g", D(1000)),
        (D("0.25"), "g", "mg", D(250)),
        (D(250), "mcg", "mg", D("0.25")),
        (D(2), "mg", "mcg", D(2000)),
        (D("2.5"), "L", "mL", D(2500)),
        (D(44), "lb", "kg", D("19.95806428")),
        (D(1), "gr", "g", D("0.06479891")),
    ],
)
def test_conversions(amount, source, target, expected):
    assert convert(amount, source, target).result == expected


def test_one_kilogram_is_about_2_2046_pounds():
    assert convert(D(1), "kg", "lb").rounded(4) == D("2.2046")


@pytest.mark.parametrize(
    ("alias", "unit"), [("ml", "mL"), ("µg", "mcg"), ("ug", "mcg"), ("grains", "gr"), ("l", "L")]
)
def test_unit_aliases(alias, unit):
    assert convert(D(1), alias, unit).result == D(1)
    assert convert(D(1), alias, unit).unit == unit


def test_units_are_read_regardless_of_case():
    assert convert(D(1), "KG", "G").result == D(1000)
    assert convert(D(1), "ML", "L").unit == "L"


def test_mass_to_volume_needs_a_density():
    with pytest.raises(ValueError, match="without a density"):
        convert(D(1), "g", "mL")


def test_unknown_unit_is_refused():
    with pytest.raises(ValueError, match="unknown unit 'tsp'"):
        convert(D(1), "tsp", "mL")


@settings(deadline=None)
@given(st.decimals(min_value=D("0.001"), max_value=D("100000"), places=3))
def test_grams_to_milligrams_and_back_is_identity(amount):
    assert convert(convert(amount, "g", "mg").result, "mg", "g").result == amount


# mg/kg dosing


def test_15_mg_per_kg_for_a_20_kg_child_is_300_mg():
    dose = weight_based_dose(D(15), D(20))
    assert dose.dose_mg == D(300)
    assert dose.daily_mg == D(300)
    assert dose.capped_by is None


def test_15_mg_per_kg_for_a_44_lb_child():
    # Textbooks take 2.2 lb/kg (44 lb = 20 kg, 300 mg); the exact pound gives
    # 19.958 kg and 299.37 mg.
    dose = weight_based_dose(D(15), D(44), weight_unit="lb")
    assert dose.weight_kg == D("19.95806428")
    assert round_half_up(dose.dose_mg, 2) == D("299.37")
    assert dose.steps[0] == "1 lb = 0.45359237 kg"


def test_dose_per_day_divided_into_doses():
    # amoxicillin 90 mg/kg/day divided every 12 hours, 20 kg
    dose = weight_based_dose(D(90), D(20), per="day", doses_per_day=2)
    assert (dose.daily_mg, dose.dose_mg) == (D(1800), D(900))
    assert dose.steps[-1] == "1800 mg ÷ 2 doses = 900 mg per dose"


def test_dose_per_dose_times_doses_per_day():
    dose = weight_based_dose(D(10), D(20), doses_per_day=3)
    assert (dose.dose_mg, dose.daily_mg) == (D(200), D(600))


def test_maximum_single_dose_caps_the_dose():
    dose = weight_based_dose(D(15), D(80), doses_per_day=4, max_dose_mg=D(1000))
    assert (dose.dose_mg, dose.daily_mg) == (D(1000), D(4000))
    assert dose.capped_by == "maximum single dose"


def test_maximum_daily_dose_caps_the_dose():
    dose = weight_based_dose(D(15), D(80), doses_per_day=4, max_daily_mg=D(4000))
    assert (dose.dose_mg, dose.daily_mg) == (D(1000), D(4000))
    assert dose.capped_by == "maximum daily dose"


def test_dose_under_the_maximum_is_not_capped():
    dose = weight_based_dose(D(15), D(20), max_dose_mg=D(1000), max_daily_mg=D(4000))
    assert dose.dose_mg == D(300)
    assert dose.capped_by is None


def test_weight_in_a_volume_unit_is_refused():
    with pytest.raises(ValueError, match="weight cannot be in mL"):
        weight_based_dose(D(15), D(20), weight_unit="mL")


@pytest.mark.parametrize("doses", [0, -1, True])
def test_doses_per_day_must_be_a_whole_number_of_at_least_one(doses):
    with pytest.raises(ValueError, match="doses per day"):
        weight_based_dose(D(15), D(20), doses_per_day=doses)


def test_dose_basis_must_be_dose_or_day():
    with pytest.raises(ValueError, match="per must be"):
        weight_based_dose(D(15), D(20), per="week")


# Weighing tolerance


def test_deviation_is_signed_percent():
    assert deviation(D(10), D("10.2")) == D(2)
    assert deviation(D(10), D("9.5")) == D(-5)


def test_within_tolerance_includes_the_limits():
    assert within_tolerance(D(10), D("10.5"))
    assert within_tolerance(D(10), D("9.5"))
    assert not within_tolerance(D(10), D("10.501"))
    assert not within_tolerance(D(10), D("9.499"))


def test_tolerance_is_a_parameter():
    assert not within_tolerance(D(10), D("10.2"), tolerance_percent=D(1))
    assert within_tolerance(D(10), D("10.2"), tolerance_percent=D(2))


def test_deviation_needs_a_required_amount_above_zero():
    with pytest.raises(ValueError, match="required amount"):
        deviation(D(0), D(1))


# Working and Decimal helpers


def test_booleans_are_not_numbers():
    # True is an int in Python; a checkbox value must never become an amount of 1.
    with pytest.raises(TypeError, match="bool"):
        to_decimal(True, "amount")


def test_floats_are_refused():
    with pytest.raises(TypeError, match="float"):
        to_decimal(0.1, "amount")
    with pytest.raises(TypeError, match="float"):
        convert(5.0, "gr", "mg")


@pytest.mark.parametrize("value", ["NaN", "Infinity", "1,5", "abc"])
def test_non_numbers_are_refused(value):
    with pytest.raises(ValueError):
        to_decimal(value, "amount")


def test_strings_and_ints_are_read_exactly():
    assert to_decimal(" 2.50 ", "amount") == D("2.50")
    assert to_decimal(3, "amount") == D(3)


def test_rounding_is_half_up():
    assert round_half_up(D("2.5"), 0) == D(3)
    assert round_half_up(D("10.20405"), 4) == D("10.2041")
    assert round_half_up(D("-2.5"), 0) == D(-3)


def test_show_keeps_small_values_significant_and_drops_trailing_zeros():
    assert show(D("1.5000")) == "1.5"
    assert show(D("0.0000123456")) == "0.00001235"
    assert show(D("1E+3")) == "1000"
    assert show(D("0")) == "0"


def test_working_reads_as_amount_and_unit():
    assert str(Working(D("1.50"), "g", ())) == "1.5 g"


def test_counts_scale_but_never_convert_to_mass():
    from portal.compounding.calculations import FormulaIngredient, scale_formula

    scaled = scale_formula(
        [FormulaIngredient("Ketoprofen", D("2.5"), "g"), FormulaIngredient("Shells", 100, "each")],
        basis_quantity=100,
        basis_unit="each",
        prescribed_quantity=30,
    )
    assert [i.amount_to_weigh for i in scaled.ingredients] == [D("0.75"), D(30)]
    with pytest.raises(ValueError, match="a count is not a mass or volume"):
        convert(D(1), "each", "g")
