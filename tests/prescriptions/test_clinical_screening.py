"""Screening against the drug knowledge base: the vectors in shared/domain/screening.md,
read against the cited starter set (portal/catalog/knowledge/starter.py)."""

from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest

from portal.catalog.knowledge import starter
from portal.catalog.knowledge.rules import InteractionFact, Knowledge
from portal.prescriptions.screening.facts import (
    DrugFacts,
    FillFacts,
    IngredientFacts,
    OtherFill,
    PatientAllergy,
    PatientFacts,
    PrescriberFacts,
    RxFacts,
    Status,
)
from portal.prescriptions.screening.rules import (
    check_allergies,
    check_cross_sensitivity,
    check_duplicate_therapy,
    check_interactions,
    check_unscreened_allergies,
    run_checks,
    worst,
)

KB = starter.knowledge()


def drug(name, *ingredients, compound=False):
    return DrugFacts(
        name=name,
        ingredients=tuple(IngredientFacts(i) for i in (ingredients or (name,))),
        is_compound=compound,
        product_key=name,
    )


def allergic(*allergens):
    return PatientFacts(
        "has_allergies", tuple(PatientAllergy(a, kind="ingredient") for a in allergens)
    )


def taking(*drugs):
    return [OtherFill(rx_number=str(1000 + n), drug=d) for n, d in enumerate(drugs)]


RX = RxFacts(
    rx_number="2000",
    written_on=date(2026, 1, 5),
    refills_authorized=0,
    quantity=Decimal(30),
    days_supply=30,
)


# Allergies reach the whole class -------------------------------------------------------


@pytest.mark.parametrize(
    ("allergen", "dispensed"),
    [
        ("amoxicillin", "Ampicillin Trihydrate"),
        ("erythromycin", "azithromycin"),
        ("lisinopril", "enalapril"),
        ("morphine", "oxycodone hydrochloride"),
        ("sulfamethoxazole", "sulfadiazine"),
        ("aspirin", "ibuprofen"),
    ],
)
def test_an_allergy_to_one_drug_blocks_the_others_of_its_class(allergen, dispensed):
    result = check_allergies(allergic(allergen), drug(dispensed), KB)
    assert result.status is Status.BLOCK
    assert "an allergy to one covers the class" in result.message
    assert result.source


def test_amoxicillin_allergy_blocks_ampicillin_naming_the_class():
    result = check_allergies(allergic("Amoxicillin"), drug("Ampicillin 500 mg", "ampicillin"), KB)
    assert result.status is Status.BLOCK
    assert "ampicillin in Ampicillin 500 mg and amoxicillin are both Penicillins" in result.message


def test_celecoxib_after_an_nsaid_allergy_warns_and_does_not_block():
    result = check_allergies(allergic("ibuprofen"), drug("celecoxib"), KB)
    assert result.status is Status.WARN
    assert "usually tolerated" in result.message


def test_less_cross_reactive_opioids_are_not_blocked_by_a_morphine_allergy():
    assert check_allergies(allergic("morphine"), drug("fentanyl"), KB).status is Status.PASS


def test_a_drug_allergy_does_not_reach_a_class_that_does_not_cross_react():
    # SSRIs are a duplication class, not an allergy class.
    assert check_allergies(allergic("sertraline"), drug("fluoxetine"), KB).status is Status.PASS


def test_parabens_allergy_blocks_a_formula_with_methylparaben():
    cream = drug("Ketoprofen 10% cream", "ketoprofen", "methylparaben", "water", compound=True)
    patient = PatientFacts("has_allergies", (PatientAllergy("Parabens", kind="class"),))
    result = check_allergies(patient, cream, KB)
    assert result.status is Status.BLOCK
    assert "ingredient methylparaben in this compound is one of the Parabens" in result.message


def test_propylparaben_allergy_reaches_methylparaben_in_a_compound():
    cream = drug("Base", "methylparaben", compound=True)
    assert check_allergies(allergic("propylparaben"), cream, KB).status is Status.BLOCK


def test_cefaclor_is_a_cephalosporin():
    patient = PatientFacts("has_allergies", (PatientAllergy("cephalosporins", kind="class"),))
    assert check_allergies(patient, drug("cefaclor"), KB).status is Status.BLOCK


# Cross-sensitivity ---------------------------------------------------------------------


def test_penicillin_allergy_with_cephalexin_warns_naming_the_side_chain_for_amoxicillin():
    [result] = check_cross_sensitivity(allergic("amoxicillin"), drug("cephalexin"), KB)
    assert result.status is Status.WARN
    assert "R1 side chain" in result.message
    assert "AAAAI" in result.source


def test_penicillin_allergy_with_cephalexin_warns():
    patient = PatientFacts("has_allergies", (PatientAllergy("penicillin", kind="class"),))
    [result] = check_cross_sensitivity(patient, drug("cephalexin"), KB)
    assert result.status is Status.WARN
    assert "cephalexin (one of the Cephalosporins): cross-reactivity about 1-2%" in result.message


def test_penicillin_allergy_with_a_cephalosporin_of_another_side_chain_warns_without_one():
    [result] = check_cross_sensitivity(allergic("amoxicillin"), drug("ceftriaxone"), KB)
    assert result.status is Status.WARN
    assert "side chain" not in result.message


def test_penicillin_allergy_with_a_carbapenem_is_for_information():
    [result] = check_cross_sensitivity(allergic("amoxicillin"), drug("meropenem"), KB)
    assert result.status is Status.PASS
    assert result.info and result.shown
    assert "under 1%" in result.message


def test_sulfa_antibiotic_allergy_and_furosemide_is_information_not_a_block():
    patient = PatientFacts("has_allergies", (PatientAllergy("sulfa"),))
    assert check_allergies(patient, drug("furosemide"), KB).status is Status.PASS
    [result] = check_cross_sensitivity(patient, drug("furosemide"), KB)
    assert result.status is Status.PASS and result.info
    assert "Strom" in result.source


# Duplication and interactions ----------------------------------------------------------


def test_sertraline_and_fluoxetine_warn_as_duplicate_therapy():
    result = check_duplicate_therapy(RX, drug("sertraline"), taking(drug("fluoxetine")), KB)
    assert result.status is Status.WARN
    assert "Rx 1000 (fluoxetine) contains fluoxetine: it and sertraline are both SSRIs" in (
        result.message
    )


def test_a_drug_the_same_prescriber_stopped_for_this_one_is_not_a_duplicate():
    """screening.md: a warning "unless the prescriber is the same and one replaces the other"."""
    rx = replace(RX, prescriber_id=7)
    stopped = OtherFill("1000", drug("sertraline"), prescriber_id=7, stopped=True)
    result = check_duplicate_therapy(rx, drug("fluoxetine"), [stopped], KB)
    assert result.status is Status.PASS
    assert result.message == (
        "Replaces Rx 1000 (sertraline), which the same prescriber discontinued."
    )


@pytest.mark.parametrize(
    "other",
    [
        OtherFill("1000", drug("sertraline"), prescriber_id=8, stopped=True),  # another prescriber
        OtherFill("1000", drug("sertraline"), prescriber_id=7, stopped=False),  # still active
    ],
)
def test_a_duplicate_still_warns_unless_its_own_prescriber_stopped_it(other):
    rx = replace(RX, prescriber_id=7)
    assert check_duplicate_therapy(rx, drug("fluoxetine"), [other], KB).status is Status.WARN


def test_an_ace_inhibitor_and_an_arb_warn_as_duplicate_therapy():
    result = check_duplicate_therapy(RX, drug("lisinopril"), taking(drug("losartan")), KB)
    assert result.status is Status.WARN


def test_a_drug_from_another_pharmacy_counts_as_an_active_medication():
    other = OtherFill(rx_number="", drug=drug("Prozac", "fluoxetine"), where="other medication")
    result = check_duplicate_therapy(RX, drug("sertraline"), [other], KB)
    assert "Prozac (other medication) contains fluoxetine" in result.message


def test_oxycodone_with_alprazolam_warns_of_an_interaction_with_its_source():
    [result] = check_interactions(drug("oxycodone hydrochloride"), taking(drug("alprazolam")), KB)
    assert result.status is Status.WARN
    assert "Major interaction: oxycodone hydrochloride with alprazolam" in result.message
    assert "respiratory depression" in result.message
    assert "FDA boxed warning" in result.source


def test_sildenafil_with_nitroglycerin_blocks():
    [result] = check_interactions(drug("sildenafil citrate"), taking(drug("nitroglycerin")), KB)
    assert result.status is Status.BLOCK
    assert "Contraindicated" in result.message
    assert "labeling" in result.source


@pytest.mark.parametrize(
    ("new", "active"),
    [
        ("phenelzine", "sertraline"),
        ("simvastatin", "clarithromycin"),
        ("tizanidine", "ciprofloxacin"),
        ("ciprofloxacin", "tizanidine"),  # either side may be the new fill
    ],
)
def test_contraindicated_pairs_block_whichever_is_new(new, active):
    [result] = check_interactions(drug(new), taking(drug(active)), KB)
    assert result.status is Status.BLOCK


@pytest.mark.parametrize(
    ("new", "active"),
    [
        ("warfarin", "naproxen sodium"),
        ("methotrexate", "trimethoprim"),
        ("lisinopril", "spironolactone"),
    ],
)
def test_major_and_moderate_pairs_warn(new, active):
    [result] = check_interactions(drug(new), taking(drug(active)), KB)
    assert result.status is Status.WARN


def test_no_interaction_passes():
    [result] = check_interactions(drug("amoxicillin"), taking(drug("lisinopril")), KB)
    assert result.status is Status.PASS


def test_an_ingredient_level_pair_the_pharmacy_added_is_found():
    kb = Knowledge.of(interactions=[InteractionFact("drug x", "drug y", "major", "it harms")])
    [result] = check_interactions(drug("Drug X"), taking(drug("Drug Y")), kb)
    assert result.status is Status.WARN


def test_a_fill_without_ingredients_says_so_and_never_crashes():
    empty = DrugFacts(name="Mystery cream")
    [result] = check_interactions(empty, taking(drug("alprazolam")), KB)
    assert result.status is Status.WARN
    assert "No ingredients are recorded for Mystery cream" in result.message
    results = run_checks(
        patient=allergic("amoxicillin"),
        prescriber=PrescriberFacts(),
        drug=empty,
        rx=RX,
        fill=FillFacts(filling_on=date(2026, 1, 6)),
        other_fills=taking(drug("alprazolam")),
        knowledge=KB,
    )
    assert worst(results) is Status.WARN


def test_free_text_matching_nothing_known_is_shown_as_unscreened():
    patient = PatientFacts("has_allergies", (PatientAllergy("bee stings"), PatientAllergy("pcn")))
    [result] = check_unscreened_allergies(patient, KB)
    assert result.shown and result.status is Status.PASS
    assert "“bee stings”" in result.message and "pcn" not in result.message


def test_an_empty_knowledge_base_still_screens_exact_names():
    result = check_allergies(allergic("amoxicillin"), drug("amoxicillin"), Knowledge())
    assert result.status is Status.BLOCK
    assert check_allergies(allergic("amoxicillin"), drug("ampicillin"), Knowledge()).status is (
        Status.PASS
    )


def test_the_starter_set_names_a_source_on_every_row_and_every_pair_refers_to_something():
    known = set(KB.classes) | set(KB.memberships)
    for pairs in (*KB.interactions.values(), *KB.cross.values()):
        for pair in pairs:
            assert pair.source
    from portal.catalog.knowledge.names import term_key

    for pair in starter.INTERACTIONS:
        assert {term_key(pair.a), term_key(pair.b)} <= known, pair
    for pair in starter.CROSS:
        assert {term_key(pair.allergen), term_key(pair.drug)} <= known, pair
    assert all(c.source for c in KB.classes.values())


def test_a_grade_or_form_after_the_name_is_the_same_drug():
    from portal.catalog.knowledge.names import term_key

    assert term_key("Ketoprofen USP") == "ketoprofen"
    assert term_key("Hydrocortisone USP micronized") == "hydrocortisone"
    cream = drug("Cream", "Ketoprofen USP", compound=True)
    assert check_allergies(allergic("aspirin"), cream, KB).status is Status.BLOCK


@pytest.mark.parametrize(
    "one, other",
    [
        ("phenelzine", "dextroamphetamine"),
        ("atazanavir", "omeprazole"),
        ("febuxostat", "azathioprine"),
        ("sertraline", "phenelzine"),
        ("irinotecan", "ketoconazole"),
        ("tranylcypromine", "meperidine"),
        ("amitriptyline", "selegiline"),
        ("dofetilide", "sotalol"),
        ("ramelteon", "fluvoxamine"),
        ("rifampin", "darunavir"),
        ("simvastatin", "clarithromycin"),
        ("ergotamine", "ritonavir"),
        ("tizanidine", "ciprofloxacin"),
        ("tranylcypromine", "procarbazine"),
        ("sumatriptan", "phenelzine"),
    ],
)
def test_each_pair_of_the_onc_high_priority_list_is_contraindicated(one, other):
    """The 15 pairs of Phansalkar et al. (JAMIA 2012), as tabled again in Am J Health-Syst
    Pharm 2022;79:1086 (Table 4), one example drug pair each."""
    knowledge = starter.knowledge()
    pairs = knowledge.pairs_between(knowledge.terms(one), knowledge.terms(other))
    assert {pair.severity for pair in pairs if "Phansalkar" in pair.source} == {"contraindicated"}


def _opioid(name, ingredient, form):
    return DrugFacts(name=name, ingredients=(IngredientFacts(name=ingredient),), dosage_form=form)


def test_two_long_acting_opioids_warn_as_duplicate_therapy():
    morphine_er = _opioid(
        "Morphine sulfate ER 30 mg", "morphine sulfate", "tablet, extended release"
    )
    fentanyl = _opioid("Fentanyl 25 mcg/h", "fentanyl", "patch")
    result = check_duplicate_therapy(RX, morphine_er, taking(fentanyl), KB)
    assert result.status is Status.WARN
    assert "are both long-acting opioids" in result.message
    assert "REMS" in result.source


def test_methadone_is_long_acting_whatever_its_form():
    methadone = _opioid("Methadone 10 mg", "methadone hydrochloride", "tablet")
    oxycontin = _opioid("Oxycodone ER 20 mg", "oxycodone hydrochloride", "tablet, extended release")
    result = check_duplicate_therapy(RX, methadone, taking(oxycontin), KB)
    assert "are both long-acting opioids" in result.message


def test_an_immediate_release_opioid_beside_a_long_acting_one_is_not_a_duplicate():
    """Breakthrough doses beside a long-acting opioid are ordinary practice."""
    oxycodone_ir = _opioid("Oxycodone 5 mg", "oxycodone hydrochloride", "tablet")
    morphine_er = _opioid("Morphine ER 30 mg", "morphine sulfate", "tablet, extended release")
    result = check_duplicate_therapy(RX, oxycodone_ir, taking(morphine_er), KB)
    assert result.status is Status.PASS
