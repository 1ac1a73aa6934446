"""Claim life cycle: every legal and illegal move, and who may make it (domain/claims.md)."""

from __future__ import annotations

import itertools

import pytest

from portal.claims.claims.lifecycle import (
    CLAIM_MOVES,
    OUTSTANDING_STATES,
    STATE_LABELS,
    ClaimState,
    IllegalClaimTransition,
    can_move,
    check_move,
    claim_state,
    find_move,
    is_final,
    is_outstanding,
    next_moves,
)

STATES = [
    "draft",
    "submitted",
    "paid",
    "partially_paid",
    "rejected",
    "appealed",
    "billed_secondary",
    "billed_patient",
    "written_off",
    "reversed",
]

# The life cycle written out independently of the module: (from, to) -> manager only.
LEGAL_MOVES = {
    ("draft", "submitted"): False,
    ("submitted", "paid"): False,
    ("submitted", "partially_paid"): False,
    ("submitted", "rejected"): False,
    ("rejected", "submitted"): False,
    ("rejected", "appealed"): False,
    ("rejected", "billed_secondary"): False,
    ("rejected", "billed_patient"): True,
    ("rejected", "written_off"): True,
    ("appealed", "paid"): False,
    ("appealed", "partially_paid"): False,
    ("appealed", "rejected"): False,
    ("paid", "reversed"): False,
    ("partially_paid", "reversed"): False,
    ("partially_paid", "billed_secondary"): False,
    ("partially_paid", "billed_patient"): True,
    ("partially_paid", "written_off"): True,
    # Decided in the claims issue: a returned-to-stock fill whose balance went on.
    ("billed_secondary", "reversed"): False,
    ("billed_patient", "reversed"): False,
    # Issue 16: a PLB recoupment that takes back money the plan owed (X12 835 PLB WO).
    ("paid", "partially_paid"): False,
}

ALL_PAIRS = list(itertools.product(STATES, STATES))
ILLEGAL_PAIRS = [pair for pair in ALL_PAIRS if pair not in LEGAL_MOVES]


def test_states_are_exactly_those_of_the_life_cycle():
    assert [state.value for state in ClaimState] == STATES


@pytest.mark.parametrize(("from_state", "to_state"), list(LEGAL_MOVES))
def test_manager_may_make_every_legal_move(from_state, to_state):
    assert can_move(from_state, to_state, is_manager=True)
    move = check_move(from_state, to_state, is_manager=True)
    assert (move.from_state, move.to_state) == (from_state, to_state)


@pytest.mark.parametrize(
    ("from_state", "to_state"), [pair for pair, manager in LEGAL_MOVES.items() if not manager]
)
def test_staff_may_make_moves_that_need_no_manager(from_state, to_state):
    assert can_move(from_state, to_state, is_manager=False)
    assert check_move(from_state, to_state, is_manager=False).manager_only is False


@pytest.mark.parametrize(
    ("from_state", "to_state"), [pair for pair, manager in LEGAL_MOVES.items() if manager]
)
def test_only_a_manager_may_write_off_or_bill_the_patient(from_state, to_state):
    assert to_state in ("written_off", "billed_patient")
    assert not can_move(from_state, to_state, is_manager=False)
    with pytest.raises(IllegalClaimTransition, match="Only a manager"):
        check_move(from_state, to_state, is_manager=False)
    assert check_move(from_state, to_state, is_manager=True).manager_only is True


@pytest.mark.parametrize(("from_state", "to_state"), ILLEGAL_PAIRS)
def test_every_other_move_is_refused_even_for_a_manager(from_state, to_state):
    assert not can_move(from_state, to_state, is_manager=True)
    assert find_move(from_state, to_state) is None
    with pytest.raises(IllegalClaimTransition, match="cannot move to"):
        check_move(from_state, to_state, is_manager=True)


def test_module_table_has_no_moves_beyond_the_life_cycle():
    table = {(m.from_state.value, m.to_state.value): m.manager_only for m in CLAIM_MOVES}
    assert table == LEGAL_MOVES


def test_refusal_says_in_words_where_the_claim_can_go():
    with pytest.raises(IllegalClaimTransition) as refused:
        check_move("paid", "written_off", is_manager=True)
    assert str(refused.value) == (
        'A claim that is "Paid" cannot move to "Written off". '
        'It can move to: "Reversed", "Partially paid".'
    )


def test_refusal_from_a_final_state_says_it_is_final():
    with pytest.raises(IllegalClaimTransition, match="That is a final state"):
        check_move("written_off", "submitted", is_manager=True)


def test_unknown_state_is_refused_in_words():
    with pytest.raises(IllegalClaimTransition, match="'resubmitted' is not a claim state"):
        check_move("rejected", "resubmitted", is_manager=True)
    assert not can_move("rejected", "resubmitted", is_manager=True)


def test_corrected_and_resubmitted_returns_to_submitted_with_a_note():
    move = check_move(ClaimState.REJECTED, ClaimState.SUBMITTED, is_manager=False)
    assert move.to_state is ClaimState.SUBMITTED
    assert move.note == "corrected and resubmitted"


def test_every_state_has_a_label_in_words():
    assert set(STATE_LABELS) == set(ClaimState)
    assert ClaimState.PARTIALLY_PAID.label == "Partially paid"
    assert all(label and "_" not in label for label in STATE_LABELS.values())


def test_every_move_has_a_note_for_the_event():
    assert all(move.note for move in CLAIM_MOVES)


def test_next_moves_hide_manager_moves_from_staff():
    staff = [m.to_state.value for m in next_moves("rejected", is_manager=False)]
    manager = [m.to_state.value for m in next_moves("rejected", is_manager=True)]
    assert staff == ["submitted", "appealed", "billed_secondary"]
    assert manager == staff + ["billed_patient", "written_off"]


@pytest.mark.parametrize("state", STATES)
def test_final_states_are_those_no_move_leaves(state):
    leaves = any(source == state for source, _ in LEGAL_MOVES)
    assert is_final(state) is (not leaves)


def test_outstanding_states_are_those_still_expecting_money():
    assert {s.value for s in OUTSTANDING_STATES} == {
        "submitted",
        "appealed",
        "rejected",
        "partially_paid",
    }
    assert is_outstanding("submitted")
    assert not is_outstanding("paid")
    assert not is_outstanding("billed_secondary")  # the secondary claim carries it
    assert not is_outstanding("draft")


def test_claim_state_accepts_the_enum_and_its_stored_value():
    assert claim_state("paid") is ClaimState.PAID
    assert claim_state(ClaimState.PAID) is ClaimState.PAID
