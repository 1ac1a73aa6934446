"""Each sample 835 in tests/claims/data read to exact values (X12 005010X221A1)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal as D
from pathlib import Path

import pytest

from portal.claims.remittance.era835 import (
    Adjustment,
    ClaimPayment,
    ProviderAdjustment,
    Remittance,
    ServiceLine,
    read_remittance,
    read_remittances,
)

SAMPLES = ["full_payment", "partial_payment", "denial", "reversal", "unmatched"]
PAYER = "MEDRX BENEFIT SERVICES"


def line(ndc, charge, paid, units, day, allowed=None, adjustments=()):
    """A pharmacy service line: one NDC (qualifier N4)."""
    units = None if units is None else D(units)
    return ServiceLine("N4", ndc, D(charge), D(paid), units, day, allowed, list(adjustments))


def test_full_payment(sample_835):
    remittance = read_remittance(sample_835("full_payment"))
    assert remittance == Remittance(
        trace_number="EFT20250305001",
        payer_name=PAYER,
        payment_amount=D("57.97"),
        payment_date=date(2025, 3, 5),
        claims=[
            ClaimPayment(
                claim_reference="100123-0-MEDRX",
                status_code="1",
                status_label="Processed as primary",
                charge=D("45.67"),
                paid=D("45.67"),
                patient_responsibility=D("0.00"),
                adjustments=[],
                service_dates=(date(2025, 3, 1), date(2025, 3, 1)),
                payer_claim_number="MRX25064000101",
                patient_name="RIVERA, ANA",
                service_lines=[line("00093015001", "45.67", "45.67", "30", date(2025, 3, 1))],
            ),
            ClaimPayment(
                claim_reference="100124-2-MEDRX",
                status_code="1",
                status_label="Processed as primary",
                charge=D("12.30"),
                paid=D("12.30"),
                patient_responsibility=D("0.00"),
                adjustments=[],
                service_dates=(date(2025, 3, 2), date(2025, 3, 2)),
                payer_claim_number="MRX25064000102",
                patient_name="CHEN, DAVID",
                service_lines=[line("00378180110", "12.30", "12.30", "90", date(2025, 3, 2))],
            ),
        ],
        provider_adjustments=[],
        payer_id="1512345678",
        payee_name="MORTAR DEMO PHARMACY",
        payee_id="1234567893",
        payment_method="ACH",
    )
    assert remittance.payment_method_label == "Electronic funds transfer (ACH)"


def test_partial_payment_with_contractual_and_patient_adjustments(sample_835):
    remittance = read_remittance(sample_835("partial_payment"))
    assert (remittance.trace_number, remittance.payment_method) == ("0004471234", "CHK")
    assert remittance.payment_amount == D("106.25")
    assert remittance.payment_date == date(2025, 3, 10)
    partial, copay = remittance.claims
    line_adjustments = [
        Adjustment("CO", "45", D("15.00")),
        Adjustment("PR", "1", D("10.00")),
        Adjustment("PR", "2", D("15.00")),
    ]
    assert partial == ClaimPayment(
        claim_reference="100125-0-MEDRX",
        status_code="1",
        status_label="Processed as primary",
        charge=D("120.00"),
        paid=D("80.00"),
        patient_responsibility=D("25.00"),
        adjustments=line_adjustments,
        service_dates=(date(2025, 2, 15), date(2025, 2, 15)),
        payer_claim_number="MRX25069000201",
        patient_name="OKAFOR, GRACE",
        service_lines=[
            line(
                "51927101100",
                "120.00",
                "80.00",
                "60",
                date(2025, 2, 15),
                allowed=D("105.00"),
                adjustments=line_adjustments,
            )
        ],
    )
    assert [a.reason_label for a in partial.adjustments] == [
        "Charge exceeds fee schedule / maximum allowable",
        "Deductible",
        "Coinsurance",
    ]
    assert partial.adjustments[0].group_label == "Contractual obligation"
    assert copay.claim_reference == "100126-1-MEDRX"
    assert copay.adjustments == [Adjustment("PR", "3", D("10.00"))]  # claim-level CAS
    assert (copay.charge, copay.paid, copay.patient_responsibility) == (
        D("35.00"),
        D("25.00"),
        D("10.00"),
    )
    assert copay.service_lines[0].adjustments == []
    assert remittance.provider_adjustments == [
        ProviderAdjustment("1234567893", date(2025, 12, 31), "L6", "100125-0-MEDRX", D("-1.25"))
    ]
    assert remittance.provider_adjustments[0].reason_label == "Interest owed"


def test_denial_with_adjustments_at_line_and_claim_level(sample_835):
    remittance = read_remittance(sample_835("denial"))
    assert remittance.payment_amount == D("0.00")
    assert remittance.payment_method == "NON"
    assert remittance.payment_method_label == "No payment"
    assert remittance.trace_number == "NP20250312001"
    prior_auth, terminated = remittance.claims
    assert prior_auth.is_denied and terminated.is_denied
    assert prior_auth.status_label == "Denied"
    assert (prior_auth.charge, prior_auth.paid, prior_auth.patient_responsibility) == (
        D("85.00"),
        D("0.00"),
        D("0.00"),
    )
    assert prior_auth.adjustments == [Adjustment("CO", "197", D("85.00"))]
    assert prior_auth.adjustments[0].reason_label == "Precertification/authorization absent"
    assert terminated.claim_reference == "100128-0-MEDRX"
    assert terminated.adjustments == [Adjustment("CO", "27", D("22.50"))]
    assert terminated.service_lines == []
    assert terminated.service_dates == (date(2025, 3, 4), date(2025, 3, 4))


def test_reversal_carries_negative_amounts(sample_835):
    remittance = read_remittance(sample_835("reversal"))
    reversal, paid = remittance.claims
    assert reversal.is_reversal and not paid.is_reversal
    assert reversal.status_label == "Reversal of previous payment"
    assert (reversal.charge, reversal.paid, reversal.patient_responsibility) == (
        D("-45.00"),
        D("-38.50"),
        D("-6.50"),
    )
    assert reversal.adjustments == [Adjustment("PR", "2", D("-6.50"))]
    assert reversal.service_lines == [
        line(
            "00093015001",
            "-45.00",
            "-38.50",
            None,
            date(2025, 2, 5),
            adjustments=[Adjustment("PR", "2", D("-6.50"))],
        )
    ]
    assert paid.paid == D("60.00")
    assert remittance.payment_amount == D("21.50") == reversal.paid + paid.paid


def test_unmatched_sample_keeps_references_as_sent(sample_835):
    remittance = read_remittance(sample_835("unmatched"))
    assert [c.claim_reference for c in remittance.claims] == [
        "100130-0-MEDRX",
        "999001-0-MEDRX",
        "RX100131",
    ]
    assert [c.paid for c in remittance.claims] == [D("30.00"), D("18.00"), D("10.00")]
    assert remittance.payment_amount == D("58.00")
    assert remittance.claims[2].payer_claim_number == "MRX25084000503"


@pytest.mark.parametrize("name", SAMPLES)
def test_every_sample_balances_to_its_payment(sample_835, name):
    remittance = read_remittance(sample_835(name))
    claims = sum((claim.paid for claim in remittance.claims), D("0"))
    withheld = sum((adj.amount for adj in remittance.provider_adjustments), D("0"))
    assert claims - withheld == remittance.payment_amount
    for claim in remittance.claims:
        assert claim.charge - claim.paid == sum((a.amount for a in claim.adjustments), D("0"))


@pytest.mark.parametrize("name", SAMPLES)
def test_samples_read_the_same_from_bytes_on_one_line_and_with_crlf(sample_835, name):
    text = sample_835(name)
    expected = read_remittance(text)
    assert read_remittance(text.encode("ascii")) == expected
    assert read_remittance(text.replace("\n", "")) == expected
    assert read_remittance(text.replace("\n", "\r\n")) == expected


@pytest.mark.parametrize(
    ("element", "component", "terminator"),
    [("|", ">", "\n"), ("!", "\\", "'"), ("+", ":", "\r\n"), ("*", "!", "~\r\n")],
)
def test_delimiters_are_read_from_the_isa_segment(sample_835, element, component, terminator):
    text = sample_835("partial_payment")
    rewritten = (text.replace("~\n", "\0").replace(":", component).replace("*", element)).replace(
        "\0", terminator
    )
    assert read_remittance(rewritten) == read_remittance(text)


def test_demo_sample_shipped_with_the_app_is_a_readable_835():
    demo = Path(__file__).parents[2] / "portal" / "claims" / "samples" / "sample.835"
    remittance = read_remittance(demo.read_text())
    assert remittance.claims and remittance.payment_amount == D("106.25")


def test_a_file_with_two_payments_gives_two_remittances(sample_835, make_835):
    one = sample_835("full_payment").splitlines()
    st_at = next(i for i, s in enumerate(one) if s.startswith("ST*"))
    se_at = next(i for i, s in enumerate(one) if s.startswith("SE*"))
    second = [s.replace("0001~", "0002~") for s in one[st_at : se_at + 1]]
    doubled = one[: se_at + 1] + second + ["GE*2*101~", one[-1]]
    remittances = read_remittances("\n".join(doubled))
    assert len(remittances) == 2
    assert remittances[0] == remittances[1]
