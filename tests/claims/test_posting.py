"""Posting remittances: matching payments to claims and the state each claim moves to."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal as D

import pytest

from portal.claims.claims.lifecycle import ClaimState, can_move
from portal.claims.remittance.era835 import read_remittance
from portal.claims.remittance.posting import (
    canonical_reference,
    is_payer_correction,
    match_payments,
    state_after_payment,
)


def test_payments_for_unknown_references_are_set_aside(sample_835):
    remittance = read_remittance(sample_835("unmatched"))
    match = match_payments(remittance.claims, known_references={"100130-0-MEDRX", "100999-0-MEDRX"})
    assert list(match.matched) == ["100130-0-MEDRX"]
    assert match.matched["100130-0-MEDRX"][0].paid == D("30.00")
    assert [p.claim_reference for p in match.unmatched] == ["999001-0-MEDRX", "RX100131"]


def test_references_match_whatever_case_or_fill_padding_the_payer_echoes(sample_835):
    payment = read_remittance(sample_835("full_payment")).claims[0]
    echoed = replace(payment, claim_reference="100123-00-medrx ")
    match = match_payments([echoed], known_references=["100123-0-MEDRX"])
    assert list(match.matched) == ["100123-0-MEDRX"] and match.unmatched == []
    assert canonical_reference("rx100131 ") == "RX100131"


def test_reversal_then_new_adjudication_is_a_payer_correction(sample_835):
    reversal, paid = read_remittance(sample_835("reversal")).claims
    repriced = replace(paid, claim_reference=reversal.claim_reference)
    match = match_payments([reversal, repriced], known_references=[reversal.claim_reference])
    payments = match.matched[reversal.claim_reference]
    assert payments == [reversal, repriced]
    assert is_payer_correction(payments)
    assert not is_payer_correction([reversal])
    assert not is_payer_correction([reversal, reversal])
    assert not is_payer_correction([repriced])
    assert not is_payer_correction([repriced, reversal])


def test_full_payment_makes_the_claim_paid(sample_835):
    for payment in read_remittance(sample_835("full_payment")).claims:
        assert state_after_payment(payment) is ClaimState.PAID


def test_patient_share_still_owed_makes_the_claim_partially_paid(sample_835):
    partial, copay = read_remittance(sample_835("partial_payment")).claims
    assert state_after_payment(partial) is ClaimState.PARTIALLY_PAID
    assert state_after_payment(partial, patient_paid_at_counter=D("25.00")) is ClaimState.PAID
    assert state_after_payment(partial, patient_paid_at_counter=D("24.99")) is (
        ClaimState.PARTIALLY_PAID
    )
    # The copay was collected at pickup, so nothing is left to chase.
    assert state_after_payment(copay, patient_paid_at_counter=D("10.00")) is ClaimState.PAID


def test_denial_makes_the_claim_rejected(sample_835):
    for payment in read_remittance(sample_835("denial")).claims:
        assert state_after_payment(payment) is ClaimState.REJECTED


def test_reversal_makes_the_claim_reversed(sample_835):
    reversal, _ = read_remittance(sample_835("reversal")).claims
    assert state_after_payment(reversal) is ClaimState.REVERSED


@pytest.mark.parametrize(
    ("status", "state"),
    [
        ("2", ClaimState.PAID),
        ("3", ClaimState.PAID),
        ("19", ClaimState.PAID),
        ("20", ClaimState.PAID),
        ("21", ClaimState.PAID),
        ("23", ClaimState.REJECTED),
        ("25", None),
    ],
)
def test_every_claim_status_has_a_posting_rule(sample_835, status, state):
    payment = read_remittance(sample_835("full_payment")).claims[0]
    assert state_after_payment(replace(payment, status_code=status)) is state


def test_counter_payment_must_be_money_not_float(sample_835):
    payment = read_remittance(sample_835("full_payment")).claims[0]
    with pytest.raises(TypeError):
        state_after_payment(payment, patient_paid_at_counter=10.0)  # type: ignore[arg-type]


@pytest.mark.parametrize("new_state", [ClaimState.PAID, ClaimState.PARTIALLY_PAID])
def test_posted_states_are_moves_staff_may_make_from_submitted(new_state):
    assert can_move(ClaimState.SUBMITTED, new_state, is_manager=False)
    assert can_move(ClaimState.APPEALED, new_state, is_manager=False)
    assert can_move(new_state, ClaimState.REVERSED, is_manager=False)
