"""Workflow of a fill, as DESIGN.md draws it."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from portal.prescriptions.fills.workflow import (
    PLAIN_STATUS,
    STATES,
    TRANSITIONS,
    IllegalTransition,
    can_move,
    check_move,
    needs_reason,
    next_states,
)

HAPPY_PATH = ["intake", "data_entry", "data_verify", "fill", "final_verify", "ready", "picked_up"]
OPEN = [s for s in STATES if s not in ("picked_up", "cancelled")]
HOLDABLE = [s for s in OPEN if s != "on_hold"]


def test_the_usual_path_is_allowed_step_by_step():
    for from_state, to_state in zip(HAPPY_PATH, HAPPY_PATH[1:], strict=False):
        check_move(from_state, to_state)


def test_a_compound_goes_through_compounding():
    for from_state, to_state in [("data_verify", "compound"), ("compound", "final_verify")]:
        assert can_move(from_state, to_state)


def test_pharmacist_may_return_to_data_entry_or_send_back_to_filling():
    assert can_move("data_verify", "data_entry")
    assert can_move("final_verify", "fill")
    assert can_move("final_verify", "compound")


@pytest.mark.parametrize(
    ("from_state", "to_state"),
    [
        ("intake", "data_verify"),  # skipping data entry
        ("data_entry", "fill"),  # skipping data verification
        ("fill", "ready"),  # skipping final verification
        ("compound", "ready"),
        ("data_verify", "ready"),
        ("ready", "data_entry"),
        ("final_verify", "data_entry"),
        ("intake", "picked_up"),
    ],
)
def test_no_step_of_verification_can_be_skipped(from_state, to_state):
    assert not can_move(from_state, to_state)
    with pytest.raises(IllegalTransition):
        check_move(from_state, to_state)


@pytest.mark.parametrize("state", HOLDABLE)
def test_any_open_state_may_be_held_or_cancelled(state):
    assert can_move(state, "on_hold")
    assert can_move(state, "cancelled")


def test_a_held_fill_may_be_cancelled():
    assert can_move("on_hold", "cancelled")


@pytest.mark.parametrize("closed", ["picked_up", "cancelled"])
@pytest.mark.parametrize("target", STATES)
def test_picked_up_and_cancelled_fills_go_nowhere(closed, target):
    assert not can_move(closed, target)
    assert next_states(closed) == frozenset()


def test_picked_up_message_is_in_words():
    with pytest.raises(IllegalTransition, match="This fill is picked up; it cannot be changed."):
        check_move("picked_up", "on_hold")


@pytest.mark.parametrize("held_from", HOLDABLE)
def test_a_held_fill_resumes_only_where_it_was_held_from(held_from):
    assert can_move("on_hold", held_from, held_from=held_from)
    assert next_states("on_hold", held_from) == {held_from, "cancelled"}
    for other in set(STATES) - {held_from, "cancelled"}:
        assert not can_move("on_hold", other, held_from=held_from)


def test_resuming_from_hold_without_knowing_where_it_was_held_is_refused():
    with pytest.raises(IllegalTransition, match="that state is not known"):
        check_move("on_hold", "data_entry")


def test_resuming_elsewhere_says_where_it_was_held():
    with pytest.raises(IllegalTransition) as raised:
        check_move("on_hold", "ready", held_from="data_verify")
    assert str(raised.value) == (
        "This fill was held while being checked by the pharmacist; it can only resume there, "
        "not go to ready for pickup."
    )
    assert (raised.value.from_state, raised.value.to_state) == ("on_hold", "ready")


def test_illegal_move_lists_where_the_fill_can_go():
    with pytest.raises(IllegalTransition) as raised:
        check_move("fill", "ready")
    assert str(raised.value) == (
        "A fill that is being filled cannot go to ready for pickup; "
        "it can go to: final check by the pharmacist, on hold, cancelled."
    )


def test_unknown_state_is_refused_in_words():
    with pytest.raises(IllegalTransition, match="'shipped' is not a fill state"):
        check_move("ready", "shipped")
    assert not can_move("shipped", "ready")


def test_returns_holds_and_cancellations_need_a_reason():
    assert needs_reason("data_verify", "data_entry")
    assert needs_reason("final_verify", "fill")
    assert needs_reason("ready", "on_hold")
    assert needs_reason("on_hold", "cancelled")
    assert not needs_reason("data_entry", "data_verify")
    assert not needs_reason("final_verify", "ready")


def test_every_state_has_words_for_the_counter_and_a_transition_entry():
    assert set(PLAIN_STATUS) == set(STATES) == set(TRANSITIONS)
    assert PLAIN_STATUS["data_verify"] == "Being checked by the pharmacist"
    assert PLAIN_STATUS["ready"] == "Ready for pickup"


def test_transitions_only_name_known_states():
    for moves in TRANSITIONS.values():
        assert moves <= set(STATES)


@given(st.sampled_from(STATES), st.sampled_from(STATES), st.sampled_from([None, *STATES]))
def test_can_move_agrees_with_check_move_and_next_states(from_state, to_state, held_from):
    allowed = can_move(from_state, to_state, held_from)
    assert allowed == (to_state in next_states(from_state, held_from))
    if not allowed:
        with pytest.raises(IllegalTransition):
            check_move(from_state, to_state, held_from)


# What must come just before a state once holds are taken out of the path.
MUST_FOLLOW = {
    "data_verify": {"data_entry"},
    "fill": {"data_verify", "final_verify"},
    "compound": {"data_verify", "final_verify"},
    "final_verify": {"fill", "compound"},
    "ready": {"final_verify"},
    "picked_up": {"ready"},
}


@given(st.lists(st.sampled_from(STATES), max_size=40))
def test_no_walk_skips_a_pharmacist_check_even_through_a_hold(attempts):
    state, held_from, path = "intake", None, ["intake"]
    for target in attempts:
        if can_move(state, target, held_from):
            if target == "on_hold":
                held_from = state
            state = target
            path.append(state)
    # A hold returns to the same state: drop holds and the repeat they leave behind.
    steps = [s for s in path if s != "on_hold"]
    steps = [s for i, s in enumerate(steps) if i == 0 or s != steps[i - 1]]
    for before, after in zip(steps, steps[1:], strict=False):
        if after in MUST_FOLLOW:
            assert before in MUST_FOLLOW[after], steps
