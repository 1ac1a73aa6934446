"""Files Mortar must not post from: each refused with a RemittanceError saying what and where."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from portal.claims.remittance.era835 import RemittanceError, read_remittance

CLAIM = (
    "CLP*100123-0-MEDRX*1*45.67*40.00*5.67*12*PCN1",
    "CAS*PR*3*5.67",
)


def refused(text: str) -> str:
    """The error message read_remittance gives for ``text``."""
    with pytest.raises(RemittanceError) as error:
        read_remittance(text)
    return str(error.value)


def test_the_builder_makes_a_valid_835(make_835):
    remittance = read_remittance(make_835(*CLAIM, payment="40.00"))
    assert remittance.claims[0].paid == 40


@pytest.mark.parametrize("text", ["", "hello world", "GS*HP*X~", "\n\n  PDF-1.7"])
def test_not_an_x12_file(text):
    assert "This is not an X12 file" in refused(text)


def test_isa_cut_short():
    assert refused("ISA*00*   *00*") == (
        "The ISA segment on line 1 is cut short; the file is incomplete."
    )


def test_file_cut_mid_segment(sample_835):
    text = sample_835("full_payment")
    cut = text[: text.index("CLP*100124") + 12]
    assert refused(cut) == (
        "Line 22: \"CLP*100124-2\" is not ended by the segment terminator '~'; "
        "the file may be cut short."
    )


def test_file_cut_after_a_segment(sample_835):
    text = sample_835("full_payment")
    cut = text[: text.index("GE*")]
    assert refused(cut) == (
        "The file ends with the SE segment on line 28 and has no IEA; it may be cut short."
    )


def test_wrong_segment_count_in_se(sample_835):
    text = sample_835("partial_payment").replace("SE*31*0001", "SE*30*0001")
    assert refused(text) == (
        "The SE segment on line 33 counts 30 segments but there are 31; "
        "the file may be cut short or edited."
    )


def test_a_segment_removed_from_the_middle_is_noticed(sample_835):
    text = sample_835("partial_payment").replace("CAS*CO*45*15.00~\n", "")
    assert "counts 31 segments but there are 30" in refused(text)


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        (
            "SE*26*0001",
            "SE*26*0002",
            "SE segment on line 28 has control number '0002', which does not match ST02 '0001'",
        ),
        ("GE*1*101", "GE*2*101", "GE segment on line 29 counts 2 transaction sets but there are 1"),
        ("GE*1*101", "GE*1*999", "does not match GS06 '101'"),
        ("IEA*1*000000101", "IEA*2*000000101", "counts 2 functional groups but there are 1"),
        ("IEA*1*000000101", "IEA*1*000000999", "does not match ISA13 '000000101'"),
    ],
)
def test_envelope_counts_and_control_numbers_must_match(sample_835, old, new, message):
    text = sample_835("full_payment")
    assert old in text
    assert message in refused(text.replace(old, new))


def test_missing_se(sample_835):
    text = sample_835("full_payment").replace("SE*26*0001~\n", "")
    assert refused(text) == "The transaction set started by the ST segment on line 3 has no SE."


def test_text_after_the_interchange(sample_835):
    text = sample_835("full_payment")
    assert refused(text + text) == (
        "The file goes on after the IEA segment on line 30; import one interchange per file."
    )


def test_isa_with_an_extra_element_is_refused(sample_835):
    text = sample_835("full_payment").replace("*P*:~", "*P*X*:~", 1)
    assert refused(text).startswith("The ISA segment on line 1 declares unusable separators")


def test_garbage_between_segments(sample_835):
    text = sample_835("full_payment").replace("LX*1~", "LX*1~\nhello world~")
    assert refused(text) == 'Line 16: "hello world" does not start with a segment name.'


def test_segment_that_does_not_belong_in_an_835(make_835):
    text = make_835(*CLAIM, "HL*1**20*1", payment="40.00")
    assert refused(text) == "The HL segment on line 10 does not belong in an 835."


def test_another_transaction_type(make_835):
    assert refused(make_835(transaction_code="837")) == (
        "The ST segment on line 3 starts an X12 837 transaction, not an 835 remittance advice."
    )


def test_old_4010_remittances_are_refused(make_835):
    assert refused(make_835(version="004010X091A1")) == (
        "The remittance starting on line 3 is X12 version 004010X091A1; "
        "Mortar reads 005010X221A1 (HIPAA 5010) only."
    )


def test_payment_segment_must_come_first(make_835):
    text = make_835(header=("TRN*1*CHK1*1512345678", "BPR*C*0*C*CHK************20250310"))
    assert refused(text) == ("The remittance starting on line 3 must begin with BPR (the payment).")


def test_no_trace_number(make_835):
    text = make_835(header=("BPR*C*0*C*CHK************20250310", "N1*PR*MEDRX"))
    assert "has no trace number (TRN02), so Mortar could not tell" in refused(text)


def test_no_payer(make_835):
    text = make_835(header=("BPR*C*0*C*CHK************20250310", "TRN*1*CHK1*1512345678"))
    assert refused(text) == ("The remittance starting on line 3 does not name its payer (N1*PR).")


def test_repeated_trace_number(make_835):
    text = make_835("TRN*1*CHK2*1512345678")
    assert refused(text) == "The TRN segment on line 8 repeats TRN."


@pytest.mark.parametrize(
    ("clp", "message"),
    [
        (
            "CLP*100123-0-MEDRX*1*45.6O*40.00*5.67",
            "The claim charge (CLP03) in the CLP segment on line 8 is '45.6O', not a number.",
        ),
        (
            "CLP*100123-0-MEDRX*1*45.675*40.00*5.67",
            "The claim charge (CLP03) in the CLP segment on line 8 is '45.675', finer than a cent.",
        ),
        (
            "CLP*100123-0-MEDRX*1**40.00*5.67",
            "The claim charge (CLP03) in the CLP segment on line 8 is missing.",
        ),
        (
            "CLP*100123-0-MEDRX*7*45.67*40.00*5.67",
            "The CLP segment on line 8 has claim status '7' (CLP02), "
            "which 005010X221A1 does not define.",
        ),
        ("CLP**1*45.67*40.00*5.67", "The CLP segment on line 8 has no claim reference (CLP01)."),
    ],
)
def test_bad_claim_values(make_835, clp, message):
    assert refused(make_835(clp, CLAIM[1], payment="40.00")) == message


@pytest.mark.parametrize(
    ("cas", "message"),
    [
        (
            "CAS*XX*3*5.67",
            "The CAS segment on line 9 has adjustment group 'XX'; expected one of CO, OA, PI, PR.",
        ),
        ("CAS*PR**5.67", "The CAS segment on line 9 has an amount without a reason code."),
        ("CAS*PR*3", "The adjustment PR-3 amount (CAS03) in the CAS segment on line 9 is missing."),
        ("CAS*PR", "The CAS segment on line 9 has no adjustment in it."),
        ("CAS*PR*3*5.67*X", "The adjustment PR-3 quantity (CAS04) in the CAS segment on line 9"),
        ("CAS*PR" + "*1*0.00*" * 6 + "*1*5.67", "The CAS segment on line 9 has more than six"),
    ],
)
def test_bad_adjustments(make_835, cas, message):
    assert refused(make_835(CLAIM[0], cas, payment="40.00")).startswith(message)


def test_adjustment_outside_a_claim(make_835):
    text = make_835("LX*1", "CAS*CO*45*1.00")
    assert refused(text) == "The CAS segment on line 9 is not inside a claim (CLP)."


def test_service_line_outside_a_claim(make_835):
    text = make_835("SVC*N4:00093015001*1.00*1.00")
    assert refused(text) == "The SVC segment on line 8 is not inside a claim (CLP)."


def test_claim_that_does_not_balance(make_835):
    text = make_835(CLAIM[0], "CAS*PR*3*5.00", payment="40.00")
    assert refused(text) == (
        "Claim 100123-0-MEDRX (CLP segment on line 8) does not balance: charge 45.67 minus "
        "payment 40.00 is 5.67, but its adjustments add up to 5.00."
    )


def test_payment_that_does_not_balance_is_read_for_importing_to_hold(make_835):
    # Refusing it would leave a real payment unrecorded; importing holds it instead.
    text = make_835(*CLAIM, "PLB*1234567893*20251231*WO:100100-0-MEDRX*10.00", payment="40.00")
    remittance = read_remittance(text)
    assert remittance.payment_amount == D("40.00")
    assert [a.amount for a in remittance.provider_adjustments] == [D("10.00")]


def test_bad_payment_date(make_835):
    text = make_835(header=("BPR*C*0*C*CHK************20250230", "TRN*1*T*1", "N1*PR*MEDRX"))
    assert refused(text) == (
        "The payment date (BPR16) in the BPR segment on line 4 is '20250230', "
        "not a date written CCYYMMDD."
    )


def test_bad_service_date(make_835):
    text = make_835(*CLAIM, "DTM*232*2025-03-01", payment="40.00")
    assert "The date 232 (DTM02) in the DTM segment on line 10 is '2025-03-01'" in refused(text)


def test_claim_after_provider_adjustments(make_835):
    text = make_835("PLB*1234567893*20251231*L6*-1.00", *CLAIM, payment="41.00")
    assert refused(text) == "The CLP segment on line 9 comes after the PLB segments."


@pytest.mark.parametrize(
    ("plb", "message"),
    [
        ("PLB**20251231*L6*-1.00", "has no provider identifier (PLB01)"),
        ("PLB*1234567893*2025*L6*-1.00", "fiscal period date (PLB02)"),
        ("PLB*1234567893*20251231", "has no adjustment in it"),
        ("PLB*1234567893*20251231*L6", "provider adjustment L6 amount (PLB04) in the PLB"),
    ],
)
def test_bad_provider_adjustments(make_835, plb, message):
    assert message in refused(make_835(plb, payment="1.00"))


def test_negative_total_payment(make_835):
    text = make_835(payment="-5.00")
    assert refused(text) == "The total payment in the BPR segment on line 4 is negative."


def test_a_file_with_no_payment_in_it(sample_835):
    lines = sample_835("full_payment").splitlines()
    empty_group = [lines[0], lines[1], "GE*0*101~", lines[-1]]
    assert refused("\n".join(empty_group)) == "The file holds 0 payments; expected exactly one."
