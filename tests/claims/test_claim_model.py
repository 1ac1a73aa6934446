"""Claims in the database: opening, the life cycle enforced, events and audit, amounts."""

from datetime import date, timedelta
from decimal import Decimal as D

import pytest
from peewee import fn

from portal.audit.models import AuditEvent
from portal.claims.claims import actions
from portal.claims.claims.fields import cents_to_money
from portal.claims.claims.lifecycle import IllegalClaimTransition
from portal.claims.claims.models import Claim, ClaimError, ClaimEvent, ClaimReject
from portal.claims.prior_auth.models import PriorAuthorization
from tests.factories import (
    claims_user,
    make_claim,
    make_coverage,
    make_patient,
    make_payer,
    make_user,
)

TODAY = date(2025, 3, 20)


def test_opening_a_claim_bills_the_sum_of_its_parts_under_its_reference(app):
    payer = make_payer(code="MEDRX")
    claim = make_claim(
        payer=payer,
        rx_number="100123",
        ingredient_cost=D("35.17"),
        dispensing_fee=D("10.50"),
        compounding_fee=D("0.00"),
    )
    stored = Claim.get_by_id(claim.id)
    assert stored.claim_reference == "100123-0-MEDRX"
    assert stored.billed == D("45.67") and stored.status == "draft"
    assert stored.payer_id == payer.id and stored.patient_id == stored.coverage.patient_id
    event = ClaimEvent.get(ClaimEvent.claim == claim)
    assert (event.kind, event.to_state) == ("open", "draft")
    audit = AuditEvent.get((AuditEvent.entity == "claim") & (AuditEvent.action == "create"))
    assert audit.patient_id == stored.patient_id


def test_a_fill_is_billed_once_per_payer(app):
    claim = make_claim(rx_number="100200")
    with pytest.raises(ClaimError, match="already exists"):
        make_claim(coverage=claim.coverage, rx_number="100200")
    assert Claim.select().count() == 1


def test_compound_claim_bills_its_ingredient_lines_with_product_id_zero(app):
    lines = [
        {
            "ingredient_name": "Ketoprofen USP",
            "ndc": "38779-0039-05",
            "quantity": D("6"),
            "unit": "g",
            "cost": D("12.34"),
        },
        {
            "ingredient_name": "PLO gel base",
            "ndc": "51552-0001-07",
            "quantity": D("54"),
            "unit": "g",
            "cost": D("8.10"),
        },
    ]
    claim = make_claim(compound_lines=lines, compounding_fee=D("15.00"))
    stored = Claim.get_by_id(claim.id)
    assert stored.is_compound and stored.product_id == "0"
    assert stored.ingredient_cost == D("20.44")
    assert stored.billed == D("20.44") + D("10.50") + D("15.00")
    assert [line.ingredient_name for line in stored.compound_lines()] == [
        "Ketoprofen USP",
        "PLO gel base",
    ]


def test_illegal_transition_is_refused_and_nothing_changes(app):
    claim = make_claim("draft")
    with pytest.raises(IllegalClaimTransition, match="cannot move to"):
        claim.move("paid", claims_user())
    assert Claim.get_by_id(claim.id).status == "draft"
    assert ClaimEvent.select().where(ClaimEvent.kind == "transition").count() == 0


def test_technician_cannot_write_off_or_bill_the_patient(app):
    claim = make_claim("rejected", today=TODAY)
    technician = make_user(roles=("technician",))
    with pytest.raises(IllegalClaimTransition, match="Only a manager"):
        actions.write_off(claim, technician, "small balance")
    with pytest.raises(IllegalClaimTransition, match="Only a manager"):
        actions.bill_patient(claim, technician)
    stored = Claim.get_by_id(claim.id)
    assert stored.status == "rejected" and stored.written_off == D("0.00")


def test_every_change_is_an_event_and_an_audit_entry_with_the_patient(app):
    claim = make_claim("rejected", today=TODAY)
    moves = list(ClaimEvent.select().where(ClaimEvent.claim == claim).order_by(ClaimEvent.id))
    assert [(e.from_state, e.to_state) for e in moves] == [
        ("", "draft"),
        ("draft", "submitted"),
        ("submitted", "rejected"),
    ]
    audits = AuditEvent.select().where(
        (AuditEvent.entity == "claim") & (AuditEvent.action == "transition")
    )
    assert audits.count() == 2
    assert {a.patient_id for a in audits} == {claim.patient_id}


def test_rejection_keeps_each_reject_code_and_asks_for_follow_up(app):
    claim = make_claim("submitted", today=TODAY)
    user = claims_user()
    actions.record_response(claim, user, "rejected", TODAY, reject_codes="75, 76")
    stored = Claim.get_by_id(claim.id)
    assert stored.status == "rejected" and stored.times_rejected == 1
    assert stored.reject_codes() == ["75", "76"]
    assert stored.follow_up_on == TODAY
    event = ClaimEvent.get((ClaimEvent.claim == claim) & (ClaimEvent.to_state == "rejected"))
    assert "75: Prior Authorization Required" in event.note
    assert ClaimReject.select().where(ClaimReject.event == event).count() == 2


def test_rejection_needs_a_code(app):
    claim = make_claim("submitted", today=TODAY)
    with pytest.raises(ClaimError, match="at least one reject code"):
        actions.record_response(claim, claims_user(), "rejected", TODAY, reject_codes=" ")


def test_payment_records_amounts_and_days_to_payment(app):
    claim = make_claim("submitted", date_of_service=TODAY - timedelta(days=12), today=TODAY)
    actions.record_response(
        claim,
        claims_user(),
        "paid",
        TODAY,
        allowed=D("48.00"),
        paid=D("38.00"),
        patient_pay=D("10.00"),
    )
    stored = Claim.get_by_id(claim.id)
    assert (stored.status, stored.paid, stored.patient_pay, stored.allowed) == (
        "paid",
        D("38.00"),
        D("10.00"),
        D("48.00"),
    )
    assert stored.days_to_payment == 12 and stored.follow_up_on is None


def test_response_to_a_draft_marks_it_submitted_first(app):
    claim = make_claim("draft", today=TODAY)
    actions.record_response(claim, claims_user(), "rejected", TODAY, reject_codes="75")
    states = [e.to_state for e in ClaimEvent.select().where(ClaimEvent.claim == claim)]
    assert states == ["draft", "submitted", "rejected"]


def test_secondary_claim_bills_the_remaining_amount_with_other_coverage_code(app):
    patient = make_patient()
    primary_cov = make_coverage(patient, make_payer(code="PRIM"))
    secondary_cov = make_coverage(patient, make_payer(code="SECO"), rank="secondary")
    claim = make_claim(
        "partially_paid",
        coverage=primary_cov,
        paid=D("30.25"),
        today=TODAY,
        date_of_service=TODAY - timedelta(days=2),
    )
    assert actions.secondary_coverages(claim) == [secondary_cov]
    secondary = actions.bill_secondary(claim, claims_user(), secondary_cov)
    assert Claim.get_by_id(claim.id).status == "billed_secondary"
    assert secondary.primary_claim_id == claim.id and secondary.is_secondary
    assert secondary.claim_reference.endswith("-SECO")
    assert secondary.other_coverage_code == "2"
    assert secondary.other_payer_paid == D("30.25")
    assert secondary.balance == claim.billed - D("30.25") == D("20.25")


def test_rejected_claim_billed_to_secondary_says_claim_not_covered(app):
    patient = make_patient()
    claim = make_claim("rejected", coverage=make_coverage(patient), today=TODAY)
    other = make_coverage(patient, rank="secondary")
    secondary = actions.bill_secondary(claim, claims_user(), other)
    assert secondary.other_coverage_code == "3" and secondary.balance == claim.billed


def test_returned_to_stock_after_balance_went_on_can_be_reversed(app):
    patient = make_patient()
    claim = make_claim(
        "partially_paid", coverage=make_coverage(patient), paid=D("20.00"), today=TODAY
    )
    actions.bill_secondary(claim, claims_user(), make_coverage(patient, rank="secondary"))
    claim = Claim.get_by_id(claim.id)
    actions.reverse(claim, make_user(roles=("technician",)), "returned to stock")
    stored = Claim.get_by_id(claim.id)
    assert stored.status == "reversed" and stored.paid == D("0.00")
    event = ClaimEvent.get((ClaimEvent.claim == claim) & (ClaimEvent.to_state == "reversed"))
    assert event.paid == D("-20.00")


def test_claim_never_paid_has_nothing_to_reverse(app):
    claim = make_claim("billed_patient", today=TODAY)
    with pytest.raises(ClaimError, match="never paid"):
        actions.reverse(claim, claims_user())
    assert Claim.get_by_id(claim.id).status == "billed_patient"


def test_manager_write_off_records_the_balance(app):
    claim = make_claim("partially_paid", paid=D("12.34"), today=TODAY)
    actions.write_off(claim, claims_user(), "under $50 policy")
    stored = Claim.get_by_id(claim.id)
    assert stored.status == "written_off"
    assert stored.written_off == stored.billed - D("12.34")
    assert stored.balance == D("0.00")


def test_money_sums_in_sql_to_the_cent(app):
    coverage = make_coverage(make_patient())
    for number in range(1, 31):
        make_claim(
            coverage=coverage,
            rx_number=str(300000 + number),
            ingredient_cost=D("0.10"),
            dispensing_fee=D("0.01") * number,
        )
    total = cents_to_money(Claim.select(fn.SUM(Claim.billed)).scalar())
    expected = sum((D("0.10") + D("0.01") * n for n in range(1, 31)), D("0.00"))
    assert total == expected == D("7.65")
    assert isinstance(total, D)


def test_prior_authorization_from_a_75_reject(app):
    claim = make_claim("rejected", today=TODAY, reject_codes="75")
    user = claims_user()
    pa = PriorAuthorization.start(
        claim,
        user,
        requested_on=TODAY,
        prescriber_contacted="Dr. Ortiz's office by fax",
        follow_up_on=TODAY + timedelta(days=2),
    )
    assert Claim.get_by_id(claim.id).follow_up_on == TODAY + timedelta(days=2)
    with pytest.raises(ClaimError, match="PA number"):
        pa.revise(user, status="approved")
    with pytest.raises(ClaimError, match="expire before"):
        pa.revise(
            user,
            status="approved",
            pa_number="PA123",
            approved_on=TODAY,
            expires_on=TODAY - timedelta(days=1),
        )
    pa.revise(
        user,
        status="approved",
        pa_number="PA123",
        approved_on=TODAY,
        expires_on=TODAY + timedelta(days=365),
    )
    stored = PriorAuthorization.get_by_id(pa.id)
    assert stored.status_on(TODAY) == "approved"
    assert stored.status_on(TODAY + timedelta(days=366)) == "expired"
    notes = [e.note for e in ClaimEvent.select().where(ClaimEvent.kind == "pa")]
    assert any("PA number PA123" in note for note in notes)


def test_prior_authorization_needs_a_rejection(app):
    claim = make_claim("submitted", today=TODAY)
    with pytest.raises(ClaimError, match="starts from a rejection"):
        PriorAuthorization.start(
            claim, claims_user(), requested_on=TODAY, prescriber_contacted="phone"
        )
