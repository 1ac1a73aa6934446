"""Allergy check: patient allergies against a product's or compound's every ingredient."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from portal.prescriptions.screening.rules import (
    DrugFacts,
    IngredientFacts,
    PatientAllergy,
    PatientFacts,
    Status,
    check_allergies,
)

SMX = IngredientFacts("sulfamethoxazole", allergen_classes=("sulfonamides",))
TMP = IngredientFacts("trimethoprim")
BACTRIM = DrugFacts("Bactrim DS", ingredients=(SMX, TMP))
AMOXIL = DrugFacts("Amoxil 500 mg capsule", ingredients=(
    IngredientFacts("amoxicillin trihydrate", allergen_classes=("penicillins",)),
))  # fmt: skip
KETO_CREAM = DrugFacts(
    "Ketoprofen 10% / lidocaine 5% cream",
    ingredients=(
        IngredientFacts("lidocaine hydrochloride", allergen_classes=("amide anesthetics",)),
        IngredientFacts("Lipoderm base"),
        IngredientFacts("ketoprofen"),  # the catalog entry names no class
    ),
    is_compound=True,
)


def patient(*allergies: PatientAllergy, status: str = "has_allergies") -> PatientFacts:
    return PatientFacts(allergy_status=status, allergies=allergies)


def test_compound_ingredient_in_the_patients_allergy_class_blocks():
    compound = DrugFacts(
        "SMX/TMP 200/40 mg/5 mL suspension",
        ingredients=(TMP, SMX, IngredientFacts("Ora-Plus")),
        is_compound=True,
    )
    sulfa = PatientAllergy("sulfonamides", kind="class", reaction="hives", severity="severe")
    result = check_allergies(patient(sulfa), compound)
    assert result.status is Status.BLOCK
    assert result.check == "allergy"
    assert result.message == (
        "Patient is allergic to sulfonamides (hives, severe); "
        "ingredient sulfamethoxazole in this compound belongs to sulfonamides."
    )


def test_product_ingredient_in_class_names_the_product():
    result = check_allergies(patient(PatientAllergy("Sulfonamides", kind="class")), BACTRIM)
    assert result.status is Status.BLOCK
    assert result.message == (
        "Patient is allergic to Sulfonamides; sulfamethoxazole in Bactrim DS belongs to "
        "sulfonamides."
    )


def test_ingredient_allergy_matches_the_salt_form_whatever_the_case():
    result = check_allergies(patient(PatientAllergy("AMOXICILLIN", kind="ingredient")), AMOXIL)
    assert result.status is Status.BLOCK
    assert "Amoxil 500 mg capsule contains amoxicillin trihydrate" in result.message


@pytest.mark.parametrize("allergen", ["penicillin", "Penicillins", "PCN"])
def test_class_names_match_singular_plural_and_common_abbreviation(allergen):
    result = check_allergies(patient(PatientAllergy(allergen, kind="class")), AMOXIL)
    assert result.status is Status.BLOCK
    assert "belongs to penicillins" in result.message


@pytest.mark.parametrize("allergen", ["sulfa", "Sulfa drugs"])
def test_sulfa_in_free_text_means_sulfonamides(allergen):
    result = check_allergies(patient(PatientAllergy(allergen)), BACTRIM)
    assert result.status is Status.BLOCK
    assert f"Patient is allergic to {allergen};" in result.message


def test_every_ingredient_of_a_compound_is_checked_including_the_last():
    allergy = PatientAllergy("NSAIDs", kind="class", reaction="angioedema")
    result = check_allergies(patient(allergy), KETO_CREAM)
    assert result.status is Status.BLOCK
    assert "ingredient ketoprofen in this compound is one of the NSAIDs" in result.message
    assert result.source == "FDA Established Pharmacologic Class (SPL indexing)"


def test_free_text_naming_the_product_blocks():
    drug = DrugFacts("Bactrim DS", ingredients=(TMP,))  # catalog lacks SMX
    result = check_allergies(patient(PatientAllergy("bactrim", reaction="rash")), drug)
    assert result.status is Status.BLOCK
    assert result.message == "Patient is allergic to bactrim (rash); this is Bactrim DS."


def test_free_text_naming_a_combination_blocks_each_named_ingredient():
    allergy = PatientAllergy("amoxicillin-clavulanate", kind="text")
    assert check_allergies(patient(allergy), AMOXIL).status is Status.BLOCK


def test_free_text_that_matches_nothing_passes_and_lists_what_was_checked():
    allergies = (PatientAllergy("bee stings"), PatientAllergy("latex"))
    result = check_allergies(patient(*allergies), BACTRIM)
    assert result.status is Status.PASS
    assert result.message == "No match with the patient's allergies (bee stings, latex)."


def test_other_class_is_not_matched_cross_sensitivity_is_the_pharmacists_call():
    cephalexin = DrugFacts(
        "Keflex", ingredients=(IngredientFacts("cephalexin", ("cephalosporins",)),)
    )
    result = check_allergies(patient(PatientAllergy("penicillins", kind="class")), cephalexin)
    assert result.status is Status.PASS


def test_all_matches_are_reported():
    allergies = (PatientAllergy("sulfonamides", kind="class"), PatientAllergy("trimethoprim"))
    result = check_allergies(patient(*allergies), BACTRIM)
    assert result.status is Status.BLOCK
    assert "belongs to sulfonamides" in result.message
    assert "Bactrim DS contains trimethoprim" in result.message


def test_allergies_never_asked_warns():
    result = check_allergies(patient(status="not_asked"), BACTRIM)
    assert result.status is Status.WARN
    assert result.message == "Allergies were never asked — ask the patient before verifying."


def test_never_asked_but_a_match_still_blocks_and_says_both():
    allergy = PatientAllergy("sulfa")
    result = check_allergies(patient(allergy, status="not_asked"), BACTRIM)
    assert result.status is Status.BLOCK
    assert "never asked" in result.message


def test_no_known_drug_allergies_passes():
    result = check_allergies(patient(status="nkda"), BACTRIM)
    assert result.status is Status.PASS
    assert result.message == "No known drug allergies."


def test_nkda_with_allergies_listed_warns_and_still_checks_them():
    listed = patient(PatientAllergy("latex"), status="nkda")
    result = check_allergies(listed, BACTRIM)
    assert result.status is Status.WARN
    assert "no known drug allergies but lists latex" in result.message
    blocked = check_allergies(patient(PatientAllergy("sulfa"), status="nkda"), BACTRIM)
    assert blocked.status is Status.BLOCK


def test_marked_allergic_with_none_recorded_warns():
    result = check_allergies(patient(status="has_allergies"), BACTRIM)
    assert result.status is Status.WARN
    assert "none are recorded" in result.message


def test_drug_without_ingredient_data_warns_instead_of_passing():
    result = check_allergies(patient(PatientAllergy("codeine")), DrugFacts("Tylenol #3"))
    assert result.status is Status.WARN
    assert "No ingredients are recorded for Tylenol #3" in result.message


def test_unknown_allergy_kind_or_status_is_refused():
    with pytest.raises(ValueError, match="allergy kind"):
        PatientAllergy("latex", kind="food")
    with pytest.raises(ValueError, match="allergy status"):
        PatientFacts(allergy_status="unknown")


names = st.text(alphabet="abcdefghijklmnopqrstuvwxyz", min_size=4, max_size=12)


@given(
    st.lists(names, min_size=1, max_size=6, unique=True),
    st.data(),
    st.sampled_from(["ingredient", "text", "class"]),
)
def test_an_allergy_to_any_ingredient_of_a_compound_blocks(ingredient_names, data, kind):
    ingredients = tuple(IngredientFacts(name) for name in ingredient_names)
    compound = DrugFacts("Custom compound", ingredients=ingredients, is_compound=True)
    name = data.draw(st.sampled_from(ingredient_names))
    plural = name if name.endswith("s") else name + "s"
    typed = data.draw(st.sampled_from([name, name.upper(), name.title(), plural]))
    result = check_allergies(patient(PatientAllergy(typed, kind=kind)), compound)
    assert result.status is Status.BLOCK
    assert f"this compound contains {name}" in result.message


@given(st.lists(names, min_size=1, max_size=4, unique=True), names)
def test_a_class_on_any_ingredient_blocks(ingredient_names, cls):
    ingredients = tuple(IngredientFacts(n) for n in ingredient_names[:-1]) + (
        IngredientFacts(ingredient_names[-1], allergen_classes=(cls,)),
    )
    drug = DrugFacts("Product", ingredients=ingredients)
    result = check_allergies(patient(PatientAllergy(cls.upper(), kind="class")), drug)
    assert result.status is Status.BLOCK


def test_a_compound_made_without_the_allergen_passes_even_when_its_base_names_it():
    patient = PatientFacts(
        allergy_status="has_allergies",
        allergies=(PatientAllergy("parabens", kind="class"),),
    )
    drug = DrugFacts(
        name="Hydrocortisone 2.5% cream",
        ingredients=(IngredientFacts("Hydrocortisone"), IngredientFacts("Paraben-free cream base")),
        is_compound=True,
    )
    assert check_allergies(patient, drug).status is Status.PASS
