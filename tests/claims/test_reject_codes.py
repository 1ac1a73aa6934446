"""NCPDP reject codes: the table from domain/claims.md, lookups, and codes typed by staff."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from portal.claims.claims.reject_codes import (
    MAX_REJECT_CODES_PER_CLAIM,
    RejectCodeError,
    describe,
    lookup,
    normalize_code,
    parse_reject_codes,
    reject_code_table,
    standard_reject_codes,
)

# domain/claims.md, "Common NCPDP reject codes", code -> meaning.
CLAIMS_MD_CODES = {
    "07": "M/I Cardholder ID",
    "09": "M/I Date of Birth",
    "15": "M/I Date of Service",
    "19": "M/I Days Supply",
    "21": "M/I Product/Service ID",
    "22": "M/I Dispense As Written/Product Selection Code",
    "25": "M/I Prescriber ID",
    "41": "Submit Bill to Other Processor/Primary Payer",
    "52": "Non-Matched Cardholder ID",
    "65": "Patient Is Not Covered",
    "67": "Filled Before Coverage Effective",
    "68": "Filled After Coverage Expired",
    "69": "Filled After Coverage Terminated",
    "70": "Product/Service Not Covered",
    "75": "Prior Authorization Required",
    "76": "Plan Limitations Exceeded",
    "79": "Refill Too Soon",
    "88": "DUR Reject Error",
    "MR": "Product Not On Formulary",
    "85": "Claim Not Processed",
    "56": "Non-Matched Prescriber ID",
    "77": "Discontinued Product/Service ID",
    "78": "Cost Exceeds Maximum",
    "N1": "No patient match found",
    "92": "System Unavailable/Host Unavailable",
    "99": "Host Processing Error",
    "E7": "M/I Quantity Dispensed",
}
# The codes claims.md names from the full NCPDP list, seeded too (issue 16).
SEEDED_CODES = {
    "04": "M/I Processor Control Number",
    "06": "M/I Group ID",
    "13": "M/I Other Coverage Code",
    "28": "M/I Date Prescription Written",
    "29": "M/I Number Of Refills Authorized",
    "34": "M/I Submission Clarification Code",
    "40": "Pharmacy Not Contracted With Plan On Date Of Service",
    "54": "Non-Matched Product/Service ID Number",
    "83": "Duplicate Paid/Captured Claim",
    "569": "Provide Notice: Medicare Prescription Drug Coverage And Your Rights",
    "608": "Step Therapy: Alternate Drug Therapy Required Prior To Use Of Submitted Product",
}
# shared/ sits beside the project checkout (as in CI).
CLAIMS_MD = Path(__file__).resolve().parents[3] / "shared" / "domain" / "claims.md"


def test_table_holds_every_code_in_claims_md_with_its_meaning():
    table = standard_reject_codes()
    assert {code: entry.meaning for code, entry in table.items()} == {
        **CLAIMS_MD_CODES,
        **SEEDED_CODES,
    }


def test_dur_reject_88_says_which_override_codes_to_send():
    assert "DUR/PPS override codes" in lookup("88").next_step


def test_every_code_has_a_next_step():
    assert all(entry.next_step for entry in standard_reject_codes().values())


def test_compound_next_step_names_submission_clarification_code_8():
    assert "Submission Clarification Code 8" in lookup("70").next_step


@pytest.mark.skipif(not CLAIMS_MD.exists(), reason="shared domain notes not mounted")
def test_table_matches_claims_md_as_it_stands_today():
    rows = re.findall(r"^\| (\w{2}) \| (.+?) \| (.+?) \|$", CLAIMS_MD.read_text(), re.M)
    from_doc = {code: (meaning, step) for code, meaning, step in rows if code != "Code"}
    table = standard_reject_codes()
    # 88's next step names the DUR/PPS fields; the codes seeded beyond the table are checked
    # against claims.md's list of further codes instead.
    from_doc.pop("88")
    in_table = {c: (e.meaning, e.next_step) for c, e in table.items() if c in from_doc}
    assert in_table == from_doc
    for code in SEEDED_CODES:
        assert f" {code} " in CLAIMS_MD.read_text().replace(",", " ")


def test_table_is_read_once_and_cannot_be_changed_by_callers():
    assert standard_reject_codes() is standard_reject_codes()
    with pytest.raises(TypeError):
        standard_reject_codes()["75"] = None  # type: ignore[index]


def test_describe_known_code_spells_out_missing_or_invalid():
    assert describe("07") == (
        "07: Missing or invalid Cardholder ID. Next step: correct member id, resubmit."
    )


def test_describe_unknown_code_says_it_is_unknown():
    text = describe("x9")
    assert text.startswith("X9: unknown reject code.")
    assert "payer" in text


def test_a_lone_digit_means_the_zero_padded_code():
    assert normalize_code("7") == "07"
    assert lookup("9").code == "09"
    assert normalize_code(" mr ") == "MR"


def test_pharmacy_rows_add_codes_and_replace_next_steps():
    table = reject_code_table(
        [
            {"code": "1c", "meaning": "M/I Smoker/Non-Smoker Code", "next_step": "ask patient"},
            {"code": "75", "meaning": "Prior Authorization Required", "next_step": "fax form 12"},
        ]
    )
    assert describe("1C", table) == (
        "1C: Missing or invalid Smoker/Non-Smoker Code. Next step: ask patient."
    )
    assert lookup("75", table).next_step == "fax form 12"
    assert lookup("75").next_step.startswith("start PA")  # the standard table is untouched
    assert len(table) == len(CLAIMS_MD_CODES) + len(SEEDED_CODES) + 1


def test_pharmacy_row_without_next_step_describes_meaning_only():
    table = reject_code_table([{"code": "ZZ", "meaning": "Plan-specific edit"}])
    assert describe("zz", table) == "ZZ: Plan-specific edit."


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ({"code": "ABCD", "meaning": "too long"}, "Row 1 .* 'ABCD' is not a reject code"),
        ({"code": "", "meaning": "no code"}, "is not a reject code"),
        ({"code": "Z1", "meaning": "  "}, "code Z1 has no meaning"),
    ],
)
def test_malformed_pharmacy_rows_are_refused(row, message):
    with pytest.raises(RejectCodeError, match=message):
        reject_code_table([row])


@pytest.mark.parametrize(
    ("typed", "codes"),
    [
        ("75", ["75"]),
        ("75, 76 MR", ["75", "76", "MR"]),
        ("75;76,,  e7\n", ["75", "76", "E7"]),
        ("7 75 7", ["07", "75"]),
        ("", []),
        ("  ,  ", []),
    ],
)
def test_parse_reject_codes_splits_on_commas_and_spaces(typed, codes):
    assert parse_reject_codes(typed) == codes


def test_parse_reject_codes_names_every_bad_code():
    with pytest.raises(RejectCodeError) as refused:
        parse_reject_codes("75, ABCD, 7-5, 76")
    assert str(refused.value) == (
        'Reject codes are 1 to 3 letters or digits (like 75 or MR); not a code: "ABCD", "7-5".'
    )


def test_a_claim_carries_at_most_twenty_reject_codes():
    twenty = " ".join(f"{n:02d}" for n in range(1, 21))
    assert len(parse_reject_codes(twenty)) == MAX_REJECT_CODES_PER_CLAIM == 20
    with pytest.raises(RejectCodeError, match="at most 20 reject codes; there are 21"):
        parse_reject_codes(twenty + " 21")


_codes = st.from_regex(r"[A-Z0-9]{2,3}", fullmatch=True)
_separators = st.sampled_from([",", " ", ", ", ";", "\n", " ,  "])


@given(st.lists(_codes, max_size=20, unique=True), st.data())
def test_typed_codes_come_back_in_order(codes, data):
    separators = [data.draw(_separators) for _ in codes]
    typed = "".join(sep + code.lower() for sep, code in zip(separators, codes, strict=True))
    assert parse_reject_codes(typed) == codes
