"""PBM-shaped 835s (CLP01 = Rx number, NM1*QC, DTM*232, SVC*N4 NDC) posted to claims:
copay, CO-45, short pay, PLB WO recoupment, reversal and rebill, a reused trace number,
an overpayment, an unknown Rx, and a Medicare payer's payment on another payer's claim."""

from __future__ import annotations

from datetime import date
from decimal import Decimal as D

import pytest

from portal.audit.models import AuditEvent
from portal.claims.claims.models import Claim, ClaimError
from portal.claims.remittance import importing
from portal.claims.remittance import queue as matching_queue
from portal.claims.remittance.models import Remittance, RemittanceAdjustment, RemittanceLine
from tests.claims.conftest import build_835
from tests.factories import claims_user, make_claim, make_coverage, make_patient, make_payer

TODAY = date(2025, 3, 26)
SERVED = date(2025, 3, 1)


def pbm_835(*body: str, payment: str, trace: str = "EFT9001", payer: str = "CAREDISC PBM"):
    header = (
        "BPR*I*{payment}*C*ACH************20250310",
        f"TRN*1*{trace}*1411111111",
        f"N1*PR*{payer}",
        "N1*PE*MORTAR DEMO PHARMACY*XX*1234567893",
    )
    return build_835(*body, payment=payment, header=header)


def clp(rx, status, charge, paid, patient, *rest, name="OKAFOR*GRACE", ndc="00093015001"):
    """One PBM claim payment: CLP, NM1*QC, DTM*232 and its NDC service line."""
    return (
        f"CLP*{rx}*{status}*{charge}*{paid}*{patient}*MC*PBM{rx}",
        f"NM1*QC*1*{name}****MI*CD0001",
        "DTM*232*20250301",
        f"SVC*N4:{ndc}*{charge}*{paid}**30",
        *rest,
    )


@pytest.fixture
def caredisc(app):
    return make_payer(code="CDISC", name="CareDisc PBM")


def claim_on(payer, rx, billed, status="submitted", patient=None, **fields):
    patient = patient or make_patient(last_name="Okafor", first_name="Grace")
    return make_claim(
        status,
        coverage=make_coverage(patient, payer),
        rx_number=rx,
        ingredient_cost=D(billed),
        dispensing_fee=D("0.00"),
        date_of_service=fields.pop("date_of_service", SERVED),
        product_id=fields.pop("product_id", "00093-0150-01"),
        today=TODAY,
        **fields,
    )


def post(text):
    return importing.import_file(text, "pbm.835", claims_user(), TODAY)


def fresh(claim):
    return Claim.get_by_id(claim.id)


def test_copay_alone_leaves_the_claim_paid_and_out_of_the_queue(caredisc):
    claim = claim_on(caredisc, "60031", "17.75")
    post(pbm_835(*clp("60031", 1, "17.75", "15.75", "2.00", "CAS*PR*3*2.00"), payment="15.75"))
    stored = fresh(claim)
    assert stored.status == "paid" and stored.patient_pay == D("2.00")
    assert (stored.adjudicated, stored.balance, stored.follow_up_on) == (D("15.75"), 0, None)


def test_co45_is_a_contractual_adjustment_never_outstanding(caredisc):
    claim = claim_on(caredisc, "60032", "21.54")
    body = clp("60032", 1, "21.54", "15.75", "2.00", "CAS*CO*45*3.79", "CAS*PR*3*2.00")
    post(pbm_835(*body, payment="15.75"))
    stored = fresh(claim)
    assert (stored.status, stored.contractual, stored.balance) == ("paid", D("3.79"), 0)


def test_short_pay_goes_to_the_work_queue_with_its_reason_in_words(caredisc):
    claim = claim_on(caredisc, "60033", "30.00")
    body = clp("60033", 1, "30.00", "20.00", "2.00", "CAS*PR*3*2.00", "CAS*OA*119*8.00")
    post(pbm_835(*body, payment="20.00"))
    stored = fresh(claim)
    assert stored.status == "partially_paid" and stored.balance == D("8.00")
    note = stored.history().first().note
    assert "short pay: the plan paid $20.00 of the $28.00 it adjudicated" in note
    assert "OA-119 Benefit maximum for this time period has been reached $8.00" in note


def test_plb_wo_recoupment_is_listed_and_taken_from_the_claim_it_names(caredisc):
    claim = claim_on(caredisc, "60031", "17.75", status="paid", paid=D("17.75"))
    body = (*clp("60040", 1, "9.00", "9.00", "0"), "PLB*1234567893*20251231*WO:60031-0-CDISC*5.00")
    claim_on(caredisc, "60040", "9.00")
    [result] = post(pbm_835(*body, payment="4.00"))
    [plb] = list(RemittanceAdjustment.select())
    assert (plb.reason, plb.reference, plb.claim_id) == ("WO", "60031-0-CDISC", claim.id)
    assert plb.reason_label == "Overpayment recovery" and plb.event_id
    # The plan had paid what it owed: taking $5.00 back leaves it owing, a short pay to work.
    stored = fresh(claim)
    assert (stored.status, stored.paid, stored.balance) == ("partially_paid", D("12.75"), D(5))
    assert "the plan now owes $5.00" in stored.history().first().note
    assert not result.remittance.is_held


def test_plb_recoupment_of_an_overpayment_leaves_the_claim_paid(caredisc):
    claim = claim_on(caredisc, "60035", "20.00")
    over = clp("60035", 1, "20.00", "25.00", "0", "CAS*OA*94*-5.00")
    post(pbm_835(*over, payment="25.00", trace="OV1"))
    [line] = list(RemittanceLine.waiting())  # more than billed: a person confirms
    matching_queue.match_line(line, claim, claims_user(), TODAY, False, "payer error, recoup due")
    assert fresh(claim).paid == D("25.00")
    recoup = ("PLB*1234567893*20251231*WO:60035-0-CDISC*5.00",)
    claim_on(caredisc, "60036", "5.00")
    post(pbm_835(*clp("60036", 1, "5.00", "5.00", "0"), *recoup, payment="0", trace="OV2"))
    stored = fresh(claim)
    assert (stored.status, stored.paid, stored.balance) == ("paid", D("20.00"), 0)


def test_reversal_then_rebill_in_one_file(caredisc):
    claim = claim_on(caredisc, "60050", "40.00", status="paid", paid=D("40.00"))
    claim_on(caredisc, "60051", "10.00")
    body = (
        *clp("60050", 22, "-40.00", "-40.00", "0"),
        *clp("60050", 1, "40.00", "35.00", "0", "CAS*CO*45*5.00"),
        *clp("60051", 1, "10.00", "10.00", "0"),
    )
    post(pbm_835(*body, payment="5.00", trace="R1"))
    stored = fresh(claim)
    assert (stored.status, stored.paid, stored.contractual) == ("paid", D("35.00"), D("5.00"))


def test_a_trace_number_reused_with_another_amount_is_held_not_skipped(caredisc):
    claim = claim_on(caredisc, "60060", "10.00")
    other = claim_on(caredisc, "60061", "12.00")
    post(pbm_835(*clp("60060", 1, "10.00", "10.00", "0"), payment="10.00", trace="T77"))
    [again] = post(pbm_835(*clp("60061", 1, "12.00", "12.00", "0"), payment="12.00", trace="T77"))
    assert again.created and again.held
    assert "trace number T77 was already used" in again.remittance.held_reason
    assert "amount $10.00 before, $12.00 now" in again.remittance.held_reason
    assert fresh(other).status == "submitted"  # nothing posted
    assert fresh(claim).status == "paid"
    [line] = [line for line in RemittanceLine.waiting()]
    assert line.outcome == "held" and line.candidate_ids == [other.id]
    with pytest.raises(ClaimError, match="needs a reason: the payment is held"):
        matching_queue.match_line(line, other, claims_user(), TODAY, False)
    matching_queue.match_line(line, other, claims_user(), TODAY, False, "payer confirmed by phone")
    assert fresh(other).status == "paid"
    # The same file again is a re-import of the held payment: nothing new.
    [third] = post(pbm_835(*clp("60061", 1, "12.00", "12.00", "0"), payment="12.00", trace="T77"))
    assert not third.created and Remittance.select().count() == 2


def test_overpayment_above_billed_is_held_for_a_person(caredisc):
    claim = claim_on(caredisc, "60070", "17.75")
    post(pbm_835(*clp("60070", 1, "17.75", "450.00", "0", "CAS*CO*45*-432.25"), payment="450.00"))
    assert fresh(claim).status == "submitted" and fresh(claim).paid == 0
    [line] = list(RemittanceLine.waiting())
    assert line.outcome == "held"
    assert "the payment $450.00 is more than the $17.75 billed" in line.outcome_note


def test_unknown_rx_waits_in_the_matching_queue(caredisc):
    claim_on(caredisc, "60080", "9.00")
    post(pbm_835(*clp("99999", 1, "9.00", "9.00", "0"), payment="9.00"))
    [line] = list(RemittanceLine.waiting())
    assert (line.outcome, line.outcome_note) == ("unmatched", "no claim for Rx 99999")


def test_another_payers_payment_or_another_patient_is_held(caredisc):
    claim = claim_on(caredisc, "60090", "20.00")
    post(pbm_835(*clp("60090", 1, "20.00", "20.00", "0"), payment="20.00", payer="MEDICARE PART D"))
    assert fresh(claim).status == "submitted"
    other = claim_on(caredisc, "60091", "20.00")
    body = clp("60091", 1, "20.00", "20.00", "0", name="SMITH*JOHN")
    post(pbm_835(*body, payment="20.00", trace="EFT9002"))
    assert fresh(other).status == "submitted"
    notes = [line.outcome_note for line in RemittanceLine.waiting()]
    assert "the payment is from MEDICARE PART D, the claim is billed to CareDisc PBM" in notes[0]
    assert "names patient SMITH, JOHN, the claim is for Okafor, Grace" in notes[1]


def test_two_fills_of_one_rx_are_told_apart_by_date_then_ndc(caredisc):
    patient = make_patient(last_name="Okafor", first_name="Grace")
    march = claim_on(caredisc, "60100", "10.00", patient=patient)
    april = claim_on(
        caredisc, "60100", "10.00", patient=patient, fill_number=1, date_of_service=date(2025, 4, 1)
    )
    post(pbm_835(*clp("60100", 1, "10.00", "10.00", "0"), payment="10.00"))
    assert (fresh(march).status, fresh(april).status) == ("paid", "submitted")


def test_a_line_fitting_several_claims_shows_the_candidates(caredisc):
    patient = make_patient(last_name="Okafor", first_name="Grace")
    first = claim_on(caredisc, "60110", "10.00", patient=patient)
    second = claim_on(caredisc, "60110", "10.00", patient=patient, fill_number=1)
    post(pbm_835(*clp("60110", 1, "10.00", "10.00", "0"), payment="10.00"))
    [line] = list(RemittanceLine.waiting())
    assert line.outcome == "ambiguous" and line.candidate_ids == [first.id, second.id]
    matching_queue.match_line(line, second, claims_user(), TODAY, False)
    assert fresh(second).status == "paid" and fresh(first).status == "submitted"
    assert AuditEvent.select().where(AuditEvent.action == "match").count() == 1


def test_a_second_payment_of_a_paid_claim_is_held_as_a_possible_duplicate(caredisc):
    claim = claim_on(caredisc, "60120", "10.00")
    post(pbm_835(*clp("60120", 1, "10.00", "10.00", "0"), payment="10.00", trace="A1"))
    post(pbm_835(*clp("60120", 1, "10.00", "10.00", "0"), payment="10.00", trace="A2"))
    [line] = list(RemittanceLine.waiting())
    assert "already paid on payment A1" in line.outcome_note
    assert fresh(claim).paid == D("10.00")


def test_a_check_that_does_not_balance_is_held(caredisc):
    claim = claim_on(caredisc, "60130", "10.00")
    [result] = post(pbm_835(*clp("60130", 1, "10.00", "10.00", "0"), payment="9.00"))
    assert result.held and "does not balance" in result.remittance.held_reason
    assert fresh(claim).status == "submitted"
