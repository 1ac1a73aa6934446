"""NDC rules, from the shapes and examples in domain/identifiers.md."""

import contextlib
import re

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from portal.catalog.rules import ndc_candidates_from_barcode, normalize_ndc

BILLING_FORM = re.compile(r"[0-9]{5}-[0-9]{4}-[0-9]{2}")
GS = "\x1d"
# The three 11-digit readings of the bare 10 digits 1234567890 (identifiers.md examples).
CANDIDATES_1234567890 = ["01234-5678-90", "12345-0678-90", "12345-6789-00"]


def upc_check_digit(first_eleven: str) -> str:
    """UPC-A check digit as the GS1 spec states it: odd positions from the left count 3 times."""
    odd = sum(int(d) for d in first_eleven[0::2])
    even = sum(int(d) for d in first_eleven[1::2])
    return str((10 - (odd * 3 + even) % 10) % 10)


def upc_for(ndc10: str) -> str:
    return "3" + ndc10 + upc_check_digit("3" + ndc10)


def gtin14_for(ndc10: str) -> str:
    # A GTIN-14 of a UPC-A is "00" + the UPC; the check digit does not change.
    return "00" + upc_for(ndc10)


def digits_before_padding(billing: str) -> set[str]:
    """The 10-digit strings a billing-form NDC can come from: drop one padding zero."""
    digits = billing.replace("-", "")
    return {digits[:i] + digits[i + 1 :] for i in (0, 5, 9) if digits[i] == "0"}


# --- normalize_ndc ---------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "billing"),
    [
        ("1234-5678-90", "01234-5678-90"),  # 4-4-2
        ("12345-678-90", "12345-0678-90"),  # 5-3-2
        ("12345-6789-0", "12345-6789-00"),  # 5-4-1
        ("12345-6789-01", "12345-6789-01"),  # 5-4-2 already
        ("12345678901", "12345-6789-01"),  # 11 bare digits are 5-4-2
        ("  1234-5678-90 ", "01234-5678-90"),
    ],
)
def test_normalize_ndc_gives_the_11_digit_billing_form(typed, billing):
    assert normalize_ndc(typed) == billing


def test_ten_bare_digits_are_refused_as_ambiguous():
    with pytest.raises(ValueError, match="ambiguous"):
        normalize_ndc("1234567890")


@pytest.mark.parametrize(
    ("typed", "reason"),
    [
        ("", "empty"),
        ("   ", "empty"),
        ("123-4567-89", "groups 3-4-2 are not an NDC shape"),
        ("12345-67890-1", "groups 5-5-1 are not an NDC shape"),
        ("1234-5678", "three groups"),
        ("1234-5678-90-1", "three groups"),
        ("1234--5678", "three groups"),
        ("12a4-5678-90", "three groups"),
        ("1234 5678 90", "only digits and hyphens"),
        ("123456789", r"10 digits with hyphens or 11 digits \(9 entered\)"),
        ("123456789012", r"\(12 entered\)"),
        ("１２３４-５６７８-９０", "three groups"),
    ],
)
def test_normalize_ndc_explains_what_is_wrong(typed, reason):
    with pytest.raises(ValueError, match=reason):
        normalize_ndc(typed)


@given(st.text(alphabet="0123456789- \t", max_size=16))
@example("1234-5678-90")
@example("12345678901")
def test_normalize_ndc_returns_only_the_billing_form_or_raises(text):
    try:
        result = normalize_ndc(text)
    except ValueError as error:
        assert str(error)
    else:
        assert BILLING_FORM.fullmatch(result)
        # The digits typed are kept in order; only leading zeros are added.
        typed = text.strip().replace("-", "")
        assert typed in digits_before_padding(result) | {result.replace("-", "")}


@given(st.text())
def test_normalize_ndc_never_fails_with_anything_but_value_error(text):
    with contextlib.suppress(ValueError):
        assert BILLING_FORM.fullmatch(normalize_ndc(text))


@given(
    st.sampled_from([(4, 4, 2), (5, 3, 2), (5, 4, 1), (5, 4, 2)]),
    st.text(alphabet="0123456789", min_size=11, max_size=11),
)
def test_each_shape_pads_exactly_its_short_segment(shape, digits):
    segments, start = [], 0
    for length in shape:
        segments.append(digits[start : start + length])
        start += length
    result = normalize_ndc("-".join(segments)).split("-")
    assert [s.lstrip("0") for s in result] == [s.lstrip("0") for s in segments]
    assert [len(s) for s in result] == [5, 4, 2]
    assert [int(s) for s in result] == [int(s) for s in segments]


# --- ndc_candidates_from_barcode -------------------------------------------


def test_upc_a_gives_the_three_readings_of_its_ndc():
    upc = upc_for("1234567890")
    assert upc == "312345678906"
    assert ndc_candidates_from_barcode(upc) == CANDIDATES_1234567890


def test_upc_a_sent_as_ean_13_with_leading_zero_is_read():
    assert ndc_candidates_from_barcode("0" + upc_for("1234567890")) == CANDIDATES_1234567890


def test_upc_with_bad_check_digit_is_refused_with_the_right_digit():
    with pytest.raises(ValueError, match="UPC check digit should be 6, not 5"):
        ndc_candidates_from_barcode("312345678905")


def test_upc_not_starting_with_3_is_not_a_drug():
    # Wikipedia's UPC-A example: a valid UPC, but not an NDC one.
    with pytest.raises(ValueError, match="does not carry an NDC"):
        ndc_candidates_from_barcode("036000291452")


@pytest.mark.parametrize(
    "scan",
    [
        "(01)00312345678906",
        "(01)00312345678906(17)250131(10)AB-12",
        "(01) 00312345678906 (17) 250131 (10) LOT7",
        "0100312345678906",
        "01003123456789061725013110ABC123",
        "0100312345678906" + "10ABC123" + GS + "17250131",
        GS + "0100312345678906" + "21SERIAL9" + GS + "10LOT1",
        "1725013110LOT-1" + GS + "0100312345678906",
        "17250131" + "0100312345678906",
        "]d2" + "0100312345678906" + "17250131" + "10LOT",
        "]C1(01)00312345678906(10)LOT",
        "00312345678906",  # a bare GTIN-14
    ],
)
def test_gs1_text_with_ai_01_gives_the_three_readings(scan):
    assert gtin14_for("1234567890") == "00312345678906"
    assert ndc_candidates_from_barcode(scan) == CANDIDATES_1234567890


def test_gtin_with_bad_check_digit_is_refused():
    with pytest.raises(ValueError, match="GTIN check digit should be 6, not 7"):
        ndc_candidates_from_barcode("(01)00312345678907(17)250131")


def test_case_gtin_with_packaging_indicator_is_refused():
    body = "5031234567890"
    gtin = body + upc_check_digit(body)  # same weights counted from the right
    with pytest.raises(ValueError, match="case or bundle"):
        ndc_candidates_from_barcode(f"(01){gtin}")


def test_gtin_not_carrying_an_ndc_is_refused():
    body = "0041234567890"
    gtin = body + upc_check_digit(body)
    with pytest.raises(ValueError, match="does not start with 003"):
        ndc_candidates_from_barcode(gtin)


@pytest.mark.parametrize(
    ("scan", "reason"),
    [
        ("(17)250131(10)LOT", "could not find the product code"),
        ("17250131" + "10LOT" + GS + "21SN", "could not find the product code"),
        ("17250131" + "10LOT", "letters or symbols"),
        ("(01)0031234567890", "not 14 digits"),
        ("", "nothing was scanned"),
        ("ABCDEF", "letters or symbols"),
        ("123456789", "9 digits is not an NDC"),
        ("1312345678906", "13 digits is not an NDC"),
    ],
)
def test_unreadable_scans_say_why(scan, reason):
    with pytest.raises(ValueError, match=re.escape(reason)):
        ndc_candidates_from_barcode(scan)


def test_typed_ndc_with_hyphens_gives_one_candidate():
    assert ndc_candidates_from_barcode("12345-678-90") == ["12345-0678-90"]
    assert ndc_candidates_from_barcode("12345678901") == ["12345-6789-01"]


def test_typed_bare_ten_digits_gives_all_three_readings():
    assert ndc_candidates_from_barcode("1234567890") == CANDIDATES_1234567890


def test_bad_typed_ndc_raises_normalize_ndc_reason():
    with pytest.raises(ValueError, match="not an NDC shape"):
        ndc_candidates_from_barcode("123-4567-89")


def test_readings_that_coincide_are_listed_once():
    assert ndc_candidates_from_barcode(upc_for("0000000000")) == ["00000-0000-00"]


ten_digits = st.text(alphabet="0123456789", min_size=10, max_size=10)


@given(ten_digits)
def test_every_barcode_form_of_an_ndc_gives_the_same_candidates(ndc10):
    expected = ndc_candidates_from_barcode(ndc10)
    assert ndc_candidates_from_barcode(upc_for(ndc10)) == expected
    assert ndc_candidates_from_barcode(f"(01){gtin14_for(ndc10)}(10)X") == expected
    assert ndc_candidates_from_barcode(f"01{gtin14_for(ndc10)}") == expected


@given(ten_digits)
def test_candidates_are_distinct_billing_forms_of_the_scanned_digits(ndc10):
    candidates = ndc_candidates_from_barcode(upc_for(ndc10))
    assert 1 <= len(candidates) <= 3
    assert len(set(candidates)) == len(candidates)
    for ndc in candidates:
        assert BILLING_FORM.fullmatch(ndc)
        assert ndc10 in digits_before_padding(ndc)


@given(ten_digits, st.integers(1, 11), st.integers(1, 9))
def test_a_misread_upc_digit_is_caught(ndc10, position, shift):
    upc = upc_for(ndc10)
    misread = upc[:position] + str((int(upc[position]) + shift) % 10) + upc[position + 1 :]
    with pytest.raises(ValueError):
        ndc_candidates_from_barcode(misread)


@given(st.text())
def test_any_scan_gives_billing_forms_or_value_error(text):
    try:
        candidates = ndc_candidates_from_barcode(text)
    except ValueError:
        return
    assert candidates
    assert all(BILLING_FORM.fullmatch(ndc) for ndc in candidates)
