"""Claim references (Rx-fill-payer code) and DAW codes."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from portal.claims.claims.daw import DAW_CHOICES, DAW_CODES, daw_meaning
from portal.claims.claims.references import (
    ClaimReference,
    ClaimReferenceError,
    claim_reference,
    parse_claim_reference,
)


def test_reference_is_rx_number_fill_number_and_payer_code():
    assert claim_reference("100123", 0, "MEDRX") == "100123-0-MEDRX"
    assert claim_reference(100123, 12, "medrx") == "100123-12-MEDRX"


def test_reference_parses_back_into_its_parts():
    assert parse_claim_reference("100123-0-MEDRX") == ClaimReference("100123", 0, "MEDRX")
    assert parse_claim_reference(" 100123-00-medrx ") == ClaimReference("100123", 0, "MEDRX")


@pytest.mark.parametrize(
    ("rx_number", "fill_number", "payer_code", "message"),
    [
        ("RX100", 0, "MEDRX", "Rx number .* must be 1 to 12 digits"),
        ("1234567890123", 0, "MEDRX", "must be 1 to 12 digits"),
        ("100123", 100, "MEDRX", "must be 0 \\(original fill\\) to 99"),
        ("100123", -1, "MEDRX", "must be 0"),
        ("100123", "1", "MEDRX", "must be a whole number"),
        ("100123", True, "MEDRX", "must be a whole number"),
        ("100123", 0, "MED-RX", "letters or digits"),
        ("100123", 0, "", "letters or digits"),
        ("100123", 0, "ABCDEFGHIJKLM", "letters or digits"),
    ],
)
def test_bad_reference_parts_are_refused_in_words(rx_number, fill_number, payer_code, message):
    with pytest.raises(ClaimReferenceError, match=message):
        claim_reference(rx_number, fill_number, payer_code)


@pytest.mark.parametrize(
    "text", ["RX100131", "100123-0", "100123-0-MED-RX", "100123-100-MEDRX", ""]
)
def test_text_that_is_not_a_reference_is_refused(text):
    with pytest.raises(ClaimReferenceError, match="not a Mortar claim reference"):
        parse_claim_reference(text)


@given(
    st.from_regex(r"[0-9]{1,12}", fullmatch=True),
    st.integers(min_value=0, max_value=99),
    st.from_regex(r"[A-Z0-9]{1,12}", fullmatch=True),
)
def test_every_reference_built_parses_back(rx_number, fill_number, payer_code):
    reference = claim_reference(rx_number, fill_number, payer_code)
    assert len(reference) <= 38  # fits X12 CLP01, Patient Control Number
    assert parse_claim_reference(reference) == ClaimReference(rx_number, fill_number, payer_code)


def test_daw_codes_zero_to_nine_have_meanings():
    assert list(DAW_CODES) == [str(n) for n in range(10)]
    assert daw_meaning(0) == "No product selection indicated"
    assert daw_meaning("1") == "Substitution not allowed by prescriber"
    assert daw_meaning(9) == "Substitution allowed by prescriber but plan requests brand"


@pytest.mark.parametrize("code", [10, -1, "A", "", "01", True])
def test_anything_else_is_not_a_daw_code(code):
    with pytest.raises(ValueError, match="DAW codes are 0 to 9"):
        daw_meaning(code)


def test_daw_choices_are_ready_for_a_select_field():
    assert DAW_CHOICES[0] == ("0", "0 - No product selection indicated")
    assert [value for value, _ in DAW_CHOICES] == list(DAW_CODES)
