"""835 details beyond the sample files: debits, omitted elements, service line dates."""

from __future__ import annotations

from datetime import date
from decimal import Decimal as D

from portal.claims.remittance.era835 import read_remittance

DEBIT_HEADER = (
    "BPR*D*12.00*D*ACH*CCP*01*011000015*DA*0012345678*1512345678**01*021000021*DA*98*20250310",
    "TRN*1*EFT99*1512345678",
    "N1*PR*MEDRX BENEFIT SERVICES",
)


def test_a_debit_is_money_the_pharmacy_pays_back(make_835):
    text = make_835(
        "CLP*100120-0-MEDRX*22*-45.00*-12.00*-33.00*12*PCN9",
        "CAS*PR*3*-33.00",
        header=DEBIT_HEADER,
    )
    remittance = read_remittance(text)
    assert remittance.payment_amount == D("-12.00")
    assert remittance.payee_name == "" and remittance.payee_id == ""


def test_patient_responsibility_falls_back_to_patient_adjustments(make_835):
    text = make_835(
        "CLP*100123-0-MEDRX*1*50.00*30.00**12*PCN1",
        "CAS*PR*1*5.00**3*10.00",
        "CAS*CO*45*5.00",
        payment="30.00",
    )
    claim = read_remittance(text).claims[0]
    assert claim.patient_responsibility == D("15.00")


def test_service_dates_come_from_the_lines_when_the_claim_has_none(make_835):
    text = make_835(
        "CLP*100123-0-MEDRX*1*20.00*20.00*0*12*PCN1",
        "SVC*N4:00093015001*10.00*10.00**30",
        "DTM*150*20250301",
        "DTM*151*20250305",
        "SVC*N4:00093015002*10.00*10.00**30",
        "DTM*472*20250302",
        payment="20.00",
    )
    claim = read_remittance(text).claims[0]
    assert claim.service_dates == (date(2025, 3, 1), date(2025, 3, 5))
    assert [line.service_date for line in claim.service_lines] == [
        date(2025, 3, 1),
        date(2025, 3, 2),
    ]


def test_a_claim_with_no_dates_has_none(make_835):
    text = make_835("CLP*100123-0-MEDRX*1*20.00*20.00*0*12*PCN1", payment="20.00")
    assert read_remittance(text).claims[0].service_dates is None


def test_a_lone_start_date_is_also_the_end(make_835):
    text = make_835(
        "CLP*100123-0-MEDRX*1*20.00*20.00*0*12*PCN1", "DTM*232*20250301", payment="20.00"
    )
    assert read_remittance(text).claims[0].service_dates == (date(2025, 3, 1), date(2025, 3, 1))


def test_adjustment_quantity_and_unknown_reason_code(make_835):
    text = make_835(
        "CLP*100123-0-MEDRX*1*20.00*15.00*0*12*PCN1",
        "CAS*OA*B99*5.00*2",
        payment="15.00",
    )
    (adjustment,) = read_remittance(text).claims[0].adjustments
    assert adjustment.quantity == D("2")
    assert adjustment.group_label == "Other adjustment"
    assert adjustment.reason_label == ("Reason B99 (see the X12 claim adjustment reason code list)")


def test_provider_adjustments_several_in_one_segment(make_835):
    text = make_835(
        "CLP*100123-0-MEDRX*1*20.00*20.00*0*12*PCN1",
        "PLB*1234567893*20251231*WO:100100-0-MEDRX*7.50*L6*-0.25*ZZ:ABC*1.00",
        payment="11.75",
    )
    adjustments = read_remittance(text).provider_adjustments
    assert [(a.reason, a.reference, a.amount) for a in adjustments] == [
        ("WO", "100100-0-MEDRX", D("7.50")),
        ("L6", "", D("-0.25")),
        ("ZZ", "ABC", D("1.00")),
    ]
    assert adjustments[0].reason_label == "Overpayment recovery"
    assert adjustments[2].reason_label.startswith("Reason ZZ")


def test_latin_1_bytes_are_read(make_835):
    text = make_835(
        "CLP*100123-0-MEDRX*1*20.00*20.00*0*12*PCN1",
        "NM1*QC*1*MUÑOZ*JOSÉ****MI*M1",
        payment="20.00",
    )
    claim = read_remittance(text.encode("latin-1")).claims[0]
    assert claim.patient_name == "MUÑOZ, JOSÉ"
    assert read_remittance(text.encode("utf-8")).claims[0].patient_name == "MUÑOZ, JOSÉ"


def test_patient_without_a_first_name(make_835):
    text = make_835("CLP*100123-0-MEDRX*1*20.00*20.00*0*12*PCN1", "NM1*QC*1*DOE", payment="20.00")
    assert read_remittance(text).claims[0].patient_name == "DOE"
