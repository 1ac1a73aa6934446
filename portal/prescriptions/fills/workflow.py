"""Workflow of a fill as data: the states, the moves allowed, and words for the counter.

intake -> data_entry -> data_verify -> fill | compound -> final_verify -> ready -> picked_up.
The pharmacist may return a fill from data_verify to data_entry, or send it
back from final_verify to fill or compound, with a reason. Any open state may
go on hold (and comes back only to the state it was held from) or be cancelled.
"""

from __future__ import annotations

from enum import StrEnum

from portal.foundation.i18n import N_


class FillStatus(StrEnum):
    """States of a fill; the value is what the database stores (Fill.status)."""

    INTAKE = "intake"
    DATA_ENTRY = "data_entry"
    DATA_VERIFY = "data_verify"
    FILL = "fill"
    COMPOUND = "compound"
    FINAL_VERIFY = "final_verify"
    READY = "ready"
    PICKED_UP = "picked_up"
    ON_HOLD = "on_hold"
    CANCELLED = "cancelled"


_S = FillStatus
STATES: tuple[FillStatus, ...] = tuple(FillStatus)
CLOSED_STATES = frozenset({_S.PICKED_UP, _S.CANCELLED})
OPEN_STATES = frozenset(STATES) - CLOSED_STATES
# States a fill can be put on hold from, and so come back to.
HOLDABLE_STATES = OPEN_STATES - {_S.ON_HOLD}

_FORWARD: dict[FillStatus, frozenset[FillStatus]] = {
    _S.INTAKE: frozenset({_S.DATA_ENTRY}),
    _S.DATA_ENTRY: frozenset({_S.DATA_VERIFY}),
    _S.DATA_VERIFY: frozenset({_S.FILL, _S.COMPOUND, _S.DATA_ENTRY}),
    _S.FILL: frozenset({_S.FINAL_VERIFY}),
    _S.COMPOUND: frozenset({_S.FINAL_VERIFY}),
    _S.FINAL_VERIFY: frozenset({_S.READY, _S.FILL, _S.COMPOUND}),
    _S.READY: frozenset({_S.PICKED_UP}),
}

# Every fixed move. Leaving on_hold to resume goes back to the state it was held
# from, which is not fixed: see ``next_states`` and ``check_move``.
TRANSITIONS: dict[FillStatus, frozenset[FillStatus]] = {
    **{state: moves | {_S.ON_HOLD, _S.CANCELLED} for state, moves in _FORWARD.items()},
    _S.ON_HOLD: frozenset({_S.CANCELLED}),
    _S.PICKED_UP: frozenset(),
    _S.CANCELLED: frozenset(),
}

# The table the one transition helper (portal.audit.transitions) checks: every fixed move,
# and a held fill's resumption to any state it could have been held from (check_move
# narrows that to the one it was held from).
MOVES: dict[FillStatus, frozenset[FillStatus]] = {
    **TRANSITIONS,
    _S.ON_HOLD: TRANSITIONS[_S.ON_HOLD] | HOLDABLE_STATES,
}

# Moves that need a reason written down: a pharmacist returning or sending back
# work, a hold, a cancellation.
NEEDS_REASON = frozenset(
    {(_S.DATA_VERIFY, _S.DATA_ENTRY), (_S.FINAL_VERIFY, _S.FILL), (_S.FINAL_VERIFY, _S.COMPOUND)}
    | {(state, _S.ON_HOLD) for state in HOLDABLE_STATES}
    | {(state, _S.CANCELLED) for state in OPEN_STATES}
)

PLAIN_STATUS: dict[FillStatus, str] = {
    _S.INTAKE: N_("Received, waiting to be entered"),
    _S.DATA_ENTRY: N_("Being entered"),
    _S.DATA_VERIFY: N_("Being checked by the pharmacist"),
    _S.FILL: N_("Being filled"),
    _S.COMPOUND: N_("Being compounded"),
    _S.FINAL_VERIFY: N_("Final check by the pharmacist"),
    _S.READY: N_("Ready for pickup"),
    _S.PICKED_UP: N_("Picked up"),
    _S.ON_HOLD: N_("On hold"),
    _S.CANCELLED: N_("Cancelled"),
}


class IllegalTransition(Exception):
    """A fill was asked to move where its workflow does not allow."""

    def __init__(self, from_state: str, to_state: str, message: str) -> None:
        super().__init__(message)
        self.from_state = from_state
        self.to_state = to_state


def _words(state: str) -> str:
    return PLAIN_STATUS.get(state, state).lower()


def next_states(from_state: str, held_from: str | None = None) -> frozenset[str]:
    """Where a fill may go next; for a fill on hold, pass the state it was held from."""
    moves = TRANSITIONS.get(from_state, frozenset())
    if from_state == _S.ON_HOLD and held_from in HOLDABLE_STATES:
        moves = moves | {held_from}
    return moves


def check_move(from_state: str, to_state: str, held_from: str | None = None) -> None:
    """Raise ``IllegalTransition``, saying why in words, unless the move is allowed."""
    for state in (from_state, to_state):
        if state not in PLAIN_STATUS:
            raise IllegalTransition(from_state, to_state, f"{state!r} is not a fill state.")
    if from_state in CLOSED_STATES:
        raise IllegalTransition(
            from_state, to_state, f"This fill is {_words(from_state)}; it cannot be changed."
        )
    if from_state == _S.ON_HOLD and to_state != _S.CANCELLED:
        if held_from not in HOLDABLE_STATES:
            raise IllegalTransition(
                from_state, to_state, "A fill on hold can only resume where it was held from, "
                "and that state is not known."
            )  # fmt: skip
        if to_state != held_from:
            raise IllegalTransition(
                from_state, to_state, f"This fill was held while {_words(held_from)}; it "
                f"can only resume there, not go to {_words(to_state)}."
            )  # fmt: skip
        return
    if to_state not in TRANSITIONS[from_state]:
        allowed = ", ".join(_words(s) for s in STATES if s in TRANSITIONS[from_state])
        raise IllegalTransition(
            from_state, to_state, f"A fill that is {_words(from_state)} cannot go to "
            f"{_words(to_state)}; it can go to: {allowed}."
        )  # fmt: skip


def can_move(from_state: str, to_state: str, held_from: str | None = None) -> bool:
    """True when the fill may move; for a fill on hold, pass the state it was held from."""
    try:
        check_move(from_state, to_state, held_from)
    except IllegalTransition:
        return False
    return True


def needs_reason(from_state: str, to_state: str) -> bool:
    """True when the move must be recorded with a reason (return, send back, hold, cancel)."""
    return (from_state, to_state) in NEEDS_REASON


# What the person named on a history line did (the state it reached is PLAIN_STATUS): the
# pharmacist who approved data entry "verified data", it is not they who filled it.
_ACTIONS: dict[tuple[str, str], str] = {
    ("intake", "data_entry"): "Started entering",
    ("data_entry", "data_verify"): "Entered, sent to the pharmacist",
    ("data_verify", "fill"): "Data verified",
    ("data_verify", "compound"): "Data verified",
    ("data_verify", "data_entry"): "Returned to the technician",
    ("fill", "final_verify"): "Filled",
    ("compound", "final_verify"): "Compounded",
    ("final_verify", "ready"): "Final check passed",
    ("final_verify", "fill"): "Sent back to be filled again",
    ("final_verify", "compound"): "Sent back to be compounded again",
    ("ready", "picked_up"): "Handed out",
}


def action_label(from_status: str, to_status: str) -> str:
    """What was done in the move from from_status to to_status, in the counter's words."""
    if not from_status:
        return "Received"
    if to_status == "on_hold":
        return "Put on hold"
    if to_status == "cancelled":
        return "Cancelled"
    if from_status == "on_hold":
        return "Taken off hold"
    return _ACTIONS.get((from_status, to_status), PLAIN_STATUS.get(to_status, to_status))
