"""Compounding math against worked textbook examples: strength, dilution,
alligation, formula scaling, potency and salt corrections."""

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from portal.compounding.calculations import (
    FormulaIngredient,
    active_for_percent,
    active_for_ratio,
    alligation,
    base_in_salt,
    parse_ratio,
    percent_strength,
    percent_to_ratio,
    potency_corrected,
    ratio_to_percent,
    salt_for_base,
    scale_formula,
    solve_dilution,
)

D = Decimal

amounts = st.decimals(
    min_value=D("0.0001"), max_value=D("10000"), places=4, allow_nan=False, allow_infinity=False
)


# Percent strength


def test_grams_of_hydrocortisone_for_60_g_of_2_5_percent_cream():
    working = active_for_percent(D("60"), D("2.5"), "w/w")
    assert working.result == D("1.5")
    assert working.unit == "g"
    assert working.steps[-1] == "60 g × 2.5 ÷ 100 = 1.5 g"


def test_grams_of_sodium_chloride_in_250_ml_of_normal_saline():
    working = active_for_percent(D("250"), D("0.9"), "w/v")
    assert working.result == D("2.25")
    assert working.unit == "g"


def test_millilitres_of_alcohol_in_500_ml_of_70_percent_v_v():
    working = active_for_percent(D("500"), D("70"), "v/v")
    assert (working.result, working.unit) == (D("350"), "mL")


def test_percent_total_may_be_given_in_another_unit():
    working = active_for_percent(D("0.5"), D("0.9"), "w/v", total_unit="L")
    assert working.result == D("4.5")
    assert working.steps[0] == "1 L = 1000 mL"


def test_percent_total_in_a_volume_unit_is_refused_for_w_w():
    with pytest.raises(ValueError, match="density"):
        active_for_percent(D("60"), D("2.5"), "w/w", total_unit="mL")


def test_percent_from_amounts():
    working = percent_strength(D("1.5"), D("60"), "w/w")
    assert working.result == D("2.5")
    assert working.unit == "%"


def test_percent_from_amounts_in_other_units():
    # 500 mg in 0.1 kg is 0.5% w/w
    assert percent_strength(
        D("500"), D("0.1"), "w/w", active_unit="mg", total_unit="kg"
    ).result == D("0.5")


def test_w_w_above_100_percent_is_refused_but_w_v_is_not():
    with pytest.raises(ValueError, match="cannot exceed 100%"):
        percent_strength(D("70"), D("60"), "w/w")
    with pytest.raises(ValueError, match="cannot exceed 100%"):
        active_for_percent(D("60"), D("101"), "v/v")
    # 60 g dissolved to 50 mL is 120% w/v: more than 1 g per mL is possible.
    assert percent_strength(D("60"), D("50"), "w/v").result == D("120")


def test_unknown_percent_kind_is_refused():
    with pytest.raises(ValueError, match="unknown percent kind"):
        active_for_percent(D("60"), D("2.5"), "mg/mL")


@pytest.mark.parametrize("percent", [D("0"), D("-1")])
def test_percent_must_be_positive(percent):
    with pytest.raises(ValueError, match="greater than zero"):
        active_for_percent(D("60"), percent, "w/w")


@settings(deadline=None)
@given(amounts, st.decimals(min_value=D("0.01"), max_value=D("100"), places=2))
def test_percent_then_back_is_identity(total, percent):
    active = active_for_percent(total, percent, "w/w").result
    assert percent_strength(active, total, "w/w").result == percent


# Ratio strength


def test_ratio_1_to_2500_is_0_04_percent():
    working = ratio_to_percent("1:2500")
    assert working.result == D("0.04")
    assert working.steps == ("1:2500 means 1 part in 2500 parts", "1 ÷ 2500 × 100 = 0.04%")


def test_0_1_percent_is_1_to_1000():
    working = percent_to_ratio(D("0.1"))
    assert working.result == D("1000")
    assert working.steps[-1] == "100 ÷ 0.1 = 1000, so 1:1000"


def test_grams_in_500_ml_of_1_to_1000_w_v():
    working = active_for_ratio(D("500"), "1:1000", "w/v")
    assert (working.result, working.unit) == (D("0.5"), "g")


@pytest.mark.parametrize(
    ("text", "expected"),
    [("1:1000", (D(1), D(1000))), ("1 : 5000", (D(1), D(5000))), ("1 in 200", (D(1), D(200)))],
)
def test_ratio_forms_are_read(text, expected):
    assert parse_ratio(text) == expected


@pytest.mark.parametrize("text", ["1/1000", "1000", "1:0", "a:b", ""])
def test_unreadable_ratio_is_refused(text):
    with pytest.raises(ValueError):
        parse_ratio(text)


def test_w_w_ratio_with_more_active_than_whole_is_refused():
    with pytest.raises(ValueError, match="more active than the whole"):
        active_for_ratio(D("100"), "3:2", "w/w")


# Dilution: C1 × Q1 = C2 × Q2


def test_dilute_100_ml_of_20_percent_to_5_percent_makes_400_ml():
    working = solve_dilution(initial_strength=D(20), initial_quantity=D(100), final_strength=D(5))
    assert (working.result, working.unit) == (D(400), "mL")
    assert working.steps == (
        "C1 × Q1 = C2 × Q2",
        "Q2 = 20 × 100 ÷ 5 = 400 mL",
        "diluent to add: 400 mL − 100 mL = 300 mL",
    )


def test_stock_needed_for_400_ml_of_5_percent_from_20_percent():
    working = solve_dilution(initial_strength=D(20), final_strength=D(5), final_quantity=D(400))
    assert working.result == D(100)


def test_final_strength_after_diluting():
    working = solve_dilution(initial_strength=D(20), initial_quantity=D(100), final_quantity=D(400))
    assert (working.result, working.unit) == (D(5), "%")


def test_initial_strength_from_a_known_dilution():
    working = solve_dilution(initial_quantity=D(100), final_strength=D(5), final_quantity=D(400))
    assert working.result == D(20)


def test_dilution_in_other_units():
    working = solve_dilution(
        initial_strength=D(50),
        initial_quantity=D(10),
        final_strength=D(2),
        quantity_unit="g",
        strength_unit="mg/g",
    )
    assert (working.result, working.unit) == (D(250), "g")
    strength = solve_dilution(
        initial_strength=D(50),
        initial_quantity=D(10),
        final_quantity=D(250),
        quantity_unit="g",
        strength_unit="mg/g",
    )
    assert (strength.result, strength.unit) == (D(2), "mg/g")
    assert strength.steps[1] == "C2 = 50 × 10 ÷ 250 = 2 mg/g"


def test_dilution_cannot_strengthen():
    with pytest.raises(ValueError, match="cannot strengthen"):
        solve_dilution(initial_strength=D(5), initial_quantity=D(100), final_strength=D(20))
    with pytest.raises(ValueError, match="cannot strengthen"):
        solve_dilution(initial_strength=D(5), initial_quantity=D(400), final_quantity=D(100))


def test_dilution_needs_exactly_one_unknown():
    with pytest.raises(ValueError, match="exactly three"):
        solve_dilution(initial_strength=D(20), initial_quantity=D(100))
    with pytest.raises(ValueError, match="exactly three"):
        solve_dilution(
            initial_strength=D(20),
            initial_quantity=D(100),
            final_strength=D(5),
            final_quantity=D(4),
        )


def test_dilution_refuses_zero():
    with pytest.raises(ValueError, match="final strength must be greater than zero"):
        solve_dilution(initial_strength=D(20), initial_quantity=D(100), final_strength=D(0))


# Alligation alternate


def test_alligation_95_and_5_percent_alcohol_to_make_70_percent():
    mix = alligation(D(95), D(5), D(70))
    assert (mix.higher_parts, mix.lower_parts) == (D(65), D(25))
    assert mix.higher_quantity is None and mix.lower_quantity is None


def test_alligation_quantities_for_a_total():
    mix = alligation(D(95), D(5), D(70), total_quantity=D(90))
    assert (mix.higher_quantity, mix.lower_quantity) == (D(65), D(25))
    assert mix.unit == "mL"
    assert mix.steps[-2:] == ("95%: 90 mL × 65 ÷ 90 = 65 mL", "5%: 90 mL − 65 mL = 25 mL")


def test_alligation_10_and_1_percent_ointments_to_make_100_g_of_2_5_percent():
    mix = alligation(D(10), D(1), D("2.5"), total_quantity=D(100), quantity_unit="g")
    assert (mix.higher_parts, mix.lower_parts) == (D("1.5"), D("7.5"))
    assert round(mix.higher_quantity, 4) == D("16.6667")
    assert round(mix.lower_quantity, 4) == D("83.3333")


def test_alligation_with_a_diluent_at_zero_percent():
    mix = alligation(D(20), D(0), D(5))
    assert (mix.higher_parts, mix.lower_parts) == (D(5), D(15))


@pytest.mark.parametrize("desired", [D(96), D(4), D(95), D(5)])
def test_alligation_refuses_a_strength_not_between_the_two(desired):
    with pytest.raises(ValueError, match="strictly between"):
        alligation(D(95), D(5), desired)


def test_alligation_refuses_higher_not_above_lower():
    with pytest.raises(ValueError, match="must be above the lower"):
        alligation(D(5), D(95), D(70))


@settings(deadline=None)
@given(
    st.decimals(min_value=D("0"), max_value=D("50"), places=2),
    st.decimals(min_value=D("0.01"), max_value=D("50"), places=2),
    st.decimals(min_value=D("0.01"), max_value=D("50"), places=2),
    amounts,
)
def test_alligation_quantities_sum_to_the_total_at_the_desired_strength(
    lower, above_lower, above_desired, total
):
    desired = lower + above_lower
    higher = desired + above_desired
    mix = alligation(higher, lower, desired, total_quantity=total)
    assert mix.higher_quantity + mix.lower_quantity == total
    assert mix.higher_quantity > 0 and mix.lower_quantity > 0
    strength = (mix.higher_quantity * higher + mix.lower_quantity * lower) / total
    assert abs(strength - desired) < D("1e-20")


# Potency and salt corrections


def test_potency_correction_for_a_98_percent_pure_ingredient():
    working = potency_corrected(D(10), D(98))
    assert working.rounded(4) == D("10.2041")
    assert working.steps == ("potency 98%: 10 g × 100 ÷ 98 = 10.2041 g",)


def test_potency_above_100_percent_is_refused():
    with pytest.raises(ValueError, match="above 100%"):
        potency_corrected(D(10), D("101.5"))


def test_salt_for_100_mg_of_base_with_factor_1_21():
    working = salt_for_base(D(100), factor=D("1.21"))
    assert (working.result, working.unit) == (D("121"), "mg")


def test_salt_from_molecular_weights():
    # Diphenhydramine HCl 291.82 g/mol, diphenhydramine base 255.35 g/mol
    working = salt_for_base(
        D(100), salt_molecular_weight=D("291.82"), base_molecular_weight=D("255.35")
    )
    assert working.rounded(2) == D("114.28")
    assert working.steps[0] == "salt factor: 291.82 ÷ 255.35 = 1.1428"


def test_base_supplied_by_a_salt():
    assert base_in_salt(D(121), factor=D("1.21")).result == D(100)


def test_swapped_molecular_weights_are_refused():
    with pytest.raises(ValueError, match="swapped"):
        salt_for_base(D(100), salt_molecular_weight=D("255.35"), base_molecular_weight=D("291.82"))


def test_salt_needs_a_factor_or_both_weights_but_not_both():
    with pytest.raises(ValueError, match="needs the salt factor"):
        salt_for_base(D(100), salt_molecular_weight=D("291.82"))
    with pytest.raises(ValueError, match="not both"):
        salt_for_base(D(100), factor=D("1.2"), salt_molecular_weight=D("291.82"))


# Scaling a master formula

COLD_CREAM_PER_100_G = [
    FormulaIngredient("hydrocortisone", D("2.5"), "g"),
    FormulaIngredient("cetomacrogol cream", D("97.5"), "g"),
]


def test_scale_a_formula_per_100_g_to_60_g():
    scaled = scale_formula(
        COLD_CREAM_PER_100_G, basis_quantity=D(100), basis_unit="g", prescribed_quantity=D(60)
    )
    assert scaled.factor == D("0.6")
    assert [(item.name, item.amount_to_weigh) for item in scaled.ingredients] == [
        ("hydrocortisone", D("1.5")),
        ("cetomacrogol cream", D("58.5")),
    ]
    assert scaled.ingredients[0].steps == ("hydrocortisone: 2.5 g × 60 ÷ 100 = 1.5 g",)


def test_scale_to_a_prescribed_quantity_in_another_unit():
    scaled = scale_formula(
        COLD_CREAM_PER_100_G,
        basis_quantity=D(100),
        basis_unit="g",
        prescribed_quantity=D("0.5"),
        prescribed_unit="kg",
    )
    assert scaled.prescribed_quantity == D(500)
    assert scaled.ingredients[0].amount_to_weigh == D("12.5")


def test_scaled_ingredient_is_corrected_for_salt_then_potency():
    ingredient = FormulaIngredient(
        "drug (as base)", D(1), "g", potency_percent=D(98), salt_factor=D("1.21")
    )
    scaled = scale_formula(
        [ingredient], basis_quantity=D(100), basis_unit="g", prescribed_quantity=D(60)
    )
    item = scaled.ingredients[0]
    assert item.scaled_amount == D("0.6")
    # 0.6 g base × 1.21 = 0.726 g salt; ÷ 0.98 = 0.7408 g to weigh
    assert round(item.amount_to_weigh, 4) == D("0.7408")
    assert item.steps[1:] == (
        "salt factor 1.21 (given)",
        "salt: 0.6 g base × 1.21 = 0.726 g",
        "potency 98%: 0.726 g × 100 ÷ 98 = 0.7408 g",
    )


def test_scaling_refuses_an_empty_formula_and_mixed_dimensions():
    with pytest.raises(ValueError, match="at least one ingredient"):
        scale_formula([], basis_quantity=D(100), basis_unit="g", prescribed_quantity=D(60))
    with pytest.raises(ValueError, match="density"):
        scale_formula(
            COLD_CREAM_PER_100_G,
            basis_quantity=D(100),
            basis_unit="g",
            prescribed_quantity=D(60),
            prescribed_unit="mL",
        )


@settings(deadline=None)
@given(st.lists(amounts, min_size=1, max_size=5), amounts, amounts)
def test_scaling_then_unscaling_is_identity(formula_amounts, basis, prescribed):
    ingredients = [
        FormulaIngredient(f"ingredient {index}", amount, "g")
        for index, amount in enumerate(formula_amounts)
    ]
    scaled = scale_formula(
        ingredients, basis_quantity=basis, basis_unit="g", prescribed_quantity=prescribed
    )
    back = scale_formula(
        [FormulaIngredient(item.name, item.scaled_amount, "g") for item in scaled.ingredients],
        basis_quantity=prescribed,
        basis_unit="g",
        prescribed_quantity=basis,
    )
    assert [round(item.scaled_amount, 10) for item in back.ingredients] == formula_amounts
