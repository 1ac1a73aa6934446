"""Reading the search box and the other pure patient rules."""

from datetime import date

import pytest

from portal.patients import rules
from portal.patients.rules import NameGuess, parse_patient_query

TODAY = date(2025, 6, 1)


def parse(text):
    return parse_patient_query(text, today=TODAY)


def test_a_last_name_prefix_is_one_name_guess():
    assert parse("Smi").names == (NameGuess("smi"),)


def test_last_comma_first_reads_both_prefixes():
    query = parse("  Smith ,  Jo ")
    assert query.names == (NameGuess("smith", "jo"),)
    assert query.date_of_birth is None and query.phone == "" and query.rx_number == ""


def test_two_words_are_tried_as_last_first_and_first_last():
    assert parse("john smith").names == (
        NameGuess("john smith"),
        NameGuess("john", "smith"),
        NameGuess("smith", "john"),
    )


@pytest.mark.parametrize(
    "typed", ["1/2/1960", "01/02/1960", "1-2-1960", "1.2.1960", "1960-01-02", "01021960", "1/2/60"]
)
def test_dates_of_birth_in_common_formats(typed):
    query = parse(typed)
    assert query.date_of_birth == date(1960, 1, 2)
    assert query.names == () and query.phone == ""


def test_two_digit_years_are_the_latest_year_not_in_the_future():
    assert parse("3/4/25").date_of_birth == date(2025, 3, 4)
    assert parse("3/4/26").date_of_birth == date(1926, 3, 4)
    assert rules.expand_two_digit_year(0, TODAY) == 2000


def test_name_and_date_together():
    query = parse("smith 1/2/60")
    assert query.names == (NameGuess("smith"),)
    assert query.date_of_birth == date(1960, 1, 2)


def test_an_impossible_date_is_explained_not_searched_as_a_name_only():
    query = parse("2/30/1960")
    assert query.date_of_birth is None
    assert "not a date" in query.problems[0]


@pytest.mark.parametrize(
    "typed", ["(217) 555-0142", "217.555.0142", "1 217 555 0142", "2175550142"]
)
def test_phone_numbers_are_read_as_ten_digits(typed):
    assert parse(typed).phone == "2175550142"


def test_seven_digits_are_a_phone_number_or_an_rx_number():
    query = parse("555-0142")
    assert query.phone == "5550142"
    assert query.rx_number == "5550142"


@pytest.mark.parametrize("typed", ["rx 1234", "RX#1234", "#1234", "Rx 0001234", "1234"])
def test_rx_numbers(typed):
    query = parse(typed)
    assert query.rx_number == "1234"
    assert query.names == () and query.phone == ""


def test_empty_and_blank_queries_are_empty():
    assert parse("").is_empty and parse("   ").is_empty and parse(None).is_empty
    assert parse(",").is_empty


def test_name_keys_drop_accents_apostrophes_and_case():
    assert rules.name_key("  O'Brien-Núñez ") == "obrien nunez"
    assert rules.name_key("ZOË") == "zoe"


def test_prefix_upper_bound_brackets_every_longer_key():
    bound = rules.prefix_upper_bound("smi")
    assert "smi" < "smith" < "smizzz" < bound <= "smj"
    assert rules.prefix_upper_bound("a\U0010ffff") == "b"


def test_nkda_is_refused_while_allergies_are_recorded():
    assert rules.nkda_refusal(0) is None
    assert "2 recorded allergies" in rules.nkda_refusal(2)


def test_removing_the_last_allergy_needs_a_chosen_status():
    assert rules.allergy_status_after_removal(1, None) == "has_allergies"
    assert rules.allergy_status_after_removal(0, None) is None
    assert rules.allergy_status_after_removal(0, "nkda") == "nkda"
    assert rules.allergy_status_after_removal(0, "has_allergies") is None
