"""Name comparison used by the allergy and duplicate-therapy checks."""

import pytest

from portal.catalog.knowledge.names import contains_words, moiety_words, name_words


@pytest.mark.parametrize(
    ("typed", "words"),
    [
        ("NSAIDs", ("nsaid",)),
        ("Penicillins", ("penicillin",)),
        ("co-trimoxazole", ("co", "trimoxazole")),
        ("Sulfa (drugs)", ("sulfa", "drug")),
        ("Glass", ("glass",)),  # "ss" is not a plural
        ("gas", ("gas",)),  # too short to be a plural
    ],
)
def test_name_words_ignore_case_punctuation_and_simple_plurals(typed, words):
    assert name_words(typed) == words


@pytest.mark.parametrize(
    ("ingredient", "moiety"),
    [
        ("naproxen sodium", ("naproxen",)),
        ("Amoxicillin Trihydrate", ("amoxicillin",)),
        ("morphine sulfate", ("morphine",)),
        ("oxycodone HCl", ("oxycodone",)),
        ("atorvastatin calcium", ("atorvastatin",)),
        ("dextrose anhydrous", ("dextrose",)),
        ("magnesium sulfate", ("magnesium",)),  # never stripped to nothing
        ("sodium chloride", ("sodium", "chloride")),  # salt words only at the end
        ("penicillin g potassium", ("penicillin", "g")),
    ],
)
def test_moiety_words_drop_trailing_salt_words(ingredient, moiety):
    assert moiety_words(ingredient) == moiety


def test_contains_words_matches_whole_consecutive_words_only():
    assert contains_words(("penicillin", "g", "potassium"), ("penicillin", "g"))
    assert not contains_words(("penicillin", "g", "potassium"), ("penicillin", "potassium"))
    assert not contains_words(("amoxicillin",), ("cillin",))
    assert not contains_words(("amoxicillin",), ())


def test_a_name_that_says_free_of_something_does_not_mention_it():
    from portal.catalog.knowledge.names import mentions, name_words

    assert not mentions(name_words("Paraben-free cream base"), ("paraben",))
    assert not mentions(name_words("Base without dye"), ("dye",))
    assert not mentions(name_words("Non-latex stopper"), ("latex",))
    assert mentions(name_words("Methylparaben NF"), ("methylparaben",))
    assert mentions(name_words("Paraben blend, then paraben free"), ("paraben",))
