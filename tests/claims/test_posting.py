"""Posting remittances: matching payments to claims and the state each claim moves to."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal as D

import pytest

from portal.claims.claims.lifecycle import ClaimState, can_move
from portal.claims.remittance.era835 import read_remittance
from portal.claims.remittance.posting import (
    adjudicated_for,
    is_payer_correction,
    state_after_payment,
)
from portal.claims.remittance.values import Adjustment


def test_reversal_then_new_adjudication_is_a_payer_correction(sample_835):
    reversal, paid = read_remittance(sample_835("reversal")).claims
    repriced = replace(paid, claim_reference=reversal.claim_reference)
    assert is_payer_correction([reversal, repriced])
    assert not is_payer_correction([reversal])
    assert not is_payer_correction([reversal, reversal])
    assert not is_payer_correction([repriced])
    assert not is_payer_correction([repriced, reversal])


def test_full_payment_makes_the_claim_paid(sample_835):
    for payment in read_remittance(sample_835("full_payment")).claims:
        assert state_after_payment(payment) is ClaimState.PAID


def test_copay_coinsurance_and_co45_alone_leave_the_claim_paid(sample_835):
    # Patient responsibility is collected at pickup and CO-45 is never owed: the plan paid
    # everything it adjudicated, so neither makes the claim "partially paid".
    partial, copay = read_remittance(sample_835("partial_payment")).claims
    assert state_after_payment(partial) is ClaimState.PAID
    assert adjudicated_for(partial) == D("80.00")
    assert state_after_payment(copay) is ClaimState.PAID


def test_plan_paying_less_than_it_adjudicated_is_a_short_pay(sample_835):
    partial, _ = read_remittance(sample_835("partial_payment")).claims
    withheld = Adjustment("OA", "23", D("5.00"))
    short = replace(partial, paid=D("75.00"), adjustments=[*partial.adjustments, withheld])
    assert state_after_payment(short) is ClaimState.PARTIALLY_PAID


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
