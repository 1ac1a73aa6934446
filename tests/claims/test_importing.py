"""Posting each sample 835 to claims, idempotent re-import, manual matching."""

from datetime import date
from decimal import Decimal as D

import pytest

from portal.audit.models import AuditEvent
from portal.claims.claims.models import Claim, ClaimError, ClaimEvent
from portal.claims.remittance import importing
from portal.claims.remittance import queue as matching_queue
from portal.claims.remittance.era835 import read_remittance
from portal.claims.remittance.models import Remittance, RemittanceLine
from tests.claims.conftest import DATA
from tests.factories import claims_user, make_claim, make_coverage, make_patient, make_payer

TODAY = date(2025, 3, 26)


@pytest.fixture
def medrx(app):
    return make_payer(code="MEDRX", name="MedRx Benefit Services")


def _sample_patients() -> dict[str, tuple[str, str, date]]:
    """Each sample CLP01 with the patient (NM1*QC) and date of service the 835 gives."""
    found = {}
    for path in DATA.glob("*.835"):
        for payment in read_remittance(path.read_text()).claims:
            last, _, first = payment.patient_name.partition(", ")
            served = payment.service_dates[0] if payment.service_dates else date(2025, 3, 1)
            found.setdefault(payment.claim_reference, (last, first, served))
    return found


SAMPLE_PATIENTS = _sample_patients()


def claim_for(medrx, reference, billed, status="submitted", **fields):
    """A claim with this sample reference (Rx-fill-MEDRX) billing `billed`, for the patient
    and date of service the sample files give it."""
    rx_number, fill_number, _ = reference.split("-")
    last, first, served = SAMPLE_PATIENTS.get(reference, ("Testpatient", "Alex", date(2025, 3, 1)))
    coverage = make_coverage(make_patient(last_name=last.title(), first_name=first.title()), medrx)
    return make_claim(
        status,
        coverage=coverage,
        rx_number=rx_number,
        fill_number=int(fill_number),
        ingredient_cost=D(billed),
        dispensing_fee=D("0.00"),
        date_of_service=fields.pop("date_of_service", served),
        today=TODAY,
        **fields,
    )


def run_import(sample_835, name):
    return importing.import_file(sample_835(name), f"{name}.835", claims_user(), TODAY)


def fresh(claim):
    return Claim.get_by_id(claim.id)


def test_full_payment_marks_claims_paid(medrx, sample_835):
    first = claim_for(medrx, "100123-0-MEDRX", "45.67")
    second = claim_for(medrx, "100124-2-MEDRX", "12.30")
    [result] = run_import(sample_835, "full_payment")
    assert result.created and result.remittance.payment_amount == D("57.97")
    assert (fresh(first).status, fresh(first).paid) == ("paid", D("45.67"))
    assert (fresh(second).status, fresh(second).paid) == ("paid", D("12.30"))
    assert fresh(first).days_to_payment == 4  # served 03/01, paid 03/05
    assert fresh(first).payer_claim_number == "MRX25064000101"
    lines = list(result.remittance.line_rows())
    assert [line.outcome for line in lines] == ["posted", "posted"]
    assert lines[0].event.to_state == "paid"


def test_partial_payment_posts_amounts_and_adjustments(medrx, sample_835):
    partial = claim_for(medrx, "100125-0-MEDRX", "120.00", date_of_service=date(2025, 2, 15))
    copay = claim_for(
        medrx,
        "100126-1-MEDRX",
        "35.00",
        status="paid",
        paid=D("25.00"),
        patient_pay=D("10.00"),
        date_of_service=date(2025, 2, 20),
    )
    run_import(sample_835, "partial_payment")
    stored = fresh(partial)
    # Deductible and coinsurance are the patient's, CO-45 is never owed: the plan paid all
    # it adjudicated, so the claim is paid with nothing outstanding.
    assert stored.status == "paid"
    assert (stored.paid, stored.patient_pay, stored.contractual, stored.allowed) == (
        D("80.00"),
        D("25.00"),
        D("15.00"),
        D("105.00"),
    )
    assert (stored.adjudicated, stored.adjustments, stored.balance) == (D("80.00"), 0, 0)
    event = ClaimEvent.get((ClaimEvent.claim == partial) & (ClaimEvent.kind == "remittance"))
    assert "CO 45" in event.note and "PR 1 Deductible" in event.note
    # The copay was collected at the counter: the 835 confirms the payment, no state change.
    stored_copay = fresh(copay)
    assert stored_copay.status == "paid" and stored_copay.paid == D("25.00")
    confirm = ClaimEvent.get((ClaimEvent.claim == copay) & (ClaimEvent.kind == "remittance"))
    assert confirm.from_state == confirm.to_state == "paid"


def test_denial_rejects_the_claims_for_follow_up(medrx, sample_835):
    first = claim_for(medrx, "100127-0-MEDRX", "85.00")
    second = claim_for(medrx, "100128-0-MEDRX", "22.50")
    run_import(sample_835, "denial")
    for claim in (first, second):
        stored = fresh(claim)
        assert stored.status == "rejected" and stored.times_rejected == 1
        assert stored.follow_up_on is not None and stored.paid == D("0.00")
    note = ClaimEvent.get((ClaimEvent.claim == first) & (ClaimEvent.kind == "remittance")).note
    assert "CO 197 Precertification/authorization absent" in note


def test_reversal_takes_the_payment_back(medrx, sample_835):
    reversed_claim = claim_for(
        medrx, "100120-0-MEDRX", "45.00", status="paid", paid=D("38.50"), patient_pay=D("6.50")
    )
    paid_claim = claim_for(medrx, "100129-0-MEDRX", "75.00")
    run_import(sample_835, "reversal")
    stored = fresh(reversed_claim)
    assert (stored.status, stored.paid, stored.patient_pay) == ("reversed", D("0.00"), D("0.00"))
    event = ClaimEvent.get((ClaimEvent.claim == reversed_claim) & (ClaimEvent.kind == "remittance"))
    assert event.paid == D("-38.50")
    # Patient responsibility is the patient's, collected at pickup: the claim is paid.
    assert fresh(paid_claim).status == "paid" and fresh(paid_claim).balance == 0


def test_payer_correction_leaves_the_new_adjudication(medrx, make_835):
    claim = claim_for(medrx, "100140-0-MEDRX", "50.00", status="paid", paid=D("50.00"))
    text = make_835(
        "CLP*100140-0-MEDRX*22*-50.00*-50.00*0*12*A1",
        "CLP*100140-0-MEDRX*1*50.00*42.00*0*12*A2",
        "CAS*CO*45*8.00",
        "CLP*100141-0-MEDRX*1*30.00*30.00*0*12*A3",
        payment="22.00",
    )
    importing.import_file(text, "correction.835", claims_user(), TODAY)
    stored = fresh(claim)
    assert (stored.status, stored.paid, stored.contractual) == ("paid", D("42.00"), D("8.00"))


def test_unmatched_lines_wait_for_a_person(medrx, sample_835):
    matched = claim_for(medrx, "100130-0-MEDRX", "30.00")
    [result] = run_import(sample_835, "unmatched")
    assert fresh(matched).status == "paid"
    waiting = list(RemittanceLine.waiting())
    assert [line.claim_reference for line in waiting] == ["999001-0-MEDRX", "RX100131"]
    assert result.remittance.unmatched_count() == 2


def test_unmatched_line_matched_by_hand_is_posted(medrx, sample_835):
    claim_for(medrx, "100130-0-MEDRX", "30.00")
    target = claim_for(medrx, "100131-0-MEDRX", "10.00")
    run_import(sample_835, "unmatched")
    line = RemittanceLine.get(RemittanceLine.claim_reference == "RX100131")
    with pytest.raises(ClaimError, match="needs a reason: the remittance names patient JONES"):
        matching_queue.match_line(line, target, claims_user(), TODAY, is_manager=False)
    matching_queue.match_line(line, target, claims_user(), TODAY, False, "name changed at marriage")
    line = RemittanceLine.get_by_id(line.id)
    assert line.outcome == "confirmed" and line.claim_id == target.id and line.matched_by_id
    audit = AuditEvent.select().where(AuditEvent.action == "match").get()
    assert "name changed at marriage" in audit.note
    assert fresh(target).status == "paid" and fresh(target).paid == D("10.00")
    assert list(RemittanceLine.waiting())[0].claim_reference == "999001-0-MEDRX"


def test_manual_match_to_a_claim_that_cannot_take_it_leaves_the_line_waiting(medrx, sample_835):
    closed = claim_for(medrx, "100132-0-MEDRX", "18.00", status="written_off")
    run_import(sample_835, "unmatched")
    line = RemittanceLine.get(RemittanceLine.claim_reference == "999001-0-MEDRX")
    with pytest.raises(ClaimError, match="Written off"):
        matching_queue.match_line(line, closed, claims_user(), TODAY, True, "checked by phone")
    assert RemittanceLine.get_by_id(line.id).outcome == "unmatched"


def test_importing_the_same_file_twice_posts_nothing_the_second_time(medrx, sample_835):
    claim = claim_for(medrx, "100125-0-MEDRX", "120.00")
    claim_for(medrx, "100126-1-MEDRX", "35.00")
    [first] = run_import(sample_835, "partial_payment")
    events = ClaimEvent.select().count()
    audits = AuditEvent.select().count()
    [second] = run_import(sample_835, "partial_payment")
    assert first.created and not second.created
    assert second.remittance.id == first.remittance.id
    assert Remittance.select().count() == 1 and RemittanceLine.select().count() == 2
    assert ClaimEvent.select().count() == events and AuditEvent.select().count() == audits
    assert fresh(claim).paid == D("80.00")


# The claims each sample pays, denies or reverses: (reference, billed, make_claim fields).
SAMPLE_CLAIMS = {
    "full_payment": [("100123-0-MEDRX", "45.67", {}), ("100124-2-MEDRX", "12.30", {})],
    "partial_payment": [
        ("100125-0-MEDRX", "120.00", {}),
        ("100126-1-MEDRX", "35.00", {"status": "paid", "paid": D("25.00"), "patient_pay": D(10)}),
    ],
    "denial": [("100127-0-MEDRX", "85.00", {}), ("100128-0-MEDRX", "22.50", {})],
    "reversal": [
        (
            "100120-0-MEDRX",
            "45.00",
            {"status": "paid", "paid": D("38.50"), "patient_pay": D("6.5")},
        ),
        ("100129-0-MEDRX", "75.00", {}),
    ],
    "unmatched": [("100130-0-MEDRX", "30.00", {})],
}


@pytest.mark.parametrize("name", sorted(SAMPLE_CLAIMS))
def test_reimporting_any_sample_changes_no_claim(medrx, sample_835, name):
    claims = [
        claim_for(medrx, ref, billed, **fields) for ref, billed, fields in SAMPLE_CLAIMS[name]
    ]
    run_import(sample_835, name)

    def state():
        return (
            [
                (c.status, c.paid, c.patient_pay, c.adjustments, c.times_rejected, c.follow_up_on)
                for c in map(fresh, claims)
            ],
            ClaimEvent.select().count(),
            AuditEvent.select().count(),
            RemittanceLine.select().count(),
        )

    after_first = state()
    assert any(event.kind == "remittance" for event in ClaimEvent.select())
    [again] = run_import(sample_835, name)
    assert not again.created and state() == after_first


def test_preview_writes_nothing_and_agrees_with_the_import(medrx, sample_835):
    claim = claim_for(medrx, "100130-0-MEDRX", "30.00")
    [preview] = importing.preview(sample_835("unmatched"), TODAY, is_manager=False)
    assert [p.outcome for _, p in preview.lines] == ["posted", "unmatched", "unmatched"]
    assert preview.lines[0][1].target.value == "paid"
    assert fresh(claim).status == "submitted" and Remittance.select().count() == 0
    run_import(sample_835, "unmatched")
    [again] = importing.preview(sample_835("unmatched"), TODAY, is_manager=False)
    assert again.already is not None and again.lines == []


def test_paid_claim_cannot_be_denied_by_a_later_file(medrx, make_835):
    claim = claim_for(medrx, "100150-0-MEDRX", "20.00", status="paid", paid=D("20.00"))
    text = make_835("CLP*100150-0-MEDRX*4*20.00*0*0*12*B1", "CAS*CO*18*20.00")
    [result] = importing.import_file(text, "late.835", claims_user(), TODAY)
    [line] = result.remittance.line_rows()
    assert line.outcome == "not_posted" and "cannot move to" in line.outcome_note
    assert fresh(claim).status == "paid"
