"""Life cycle of a pharmacy claim: its states and the moves between them.

One claim per fill per payer (NCPDP D.0 billing, B1; B2 reversal; B3 rebill). A claim
starts as a draft, is submitted, and the payer's answer makes it paid, partially paid or rejected.
What happens next is the pharmacy's decision, and two of those decisions
(writing the balance off, billing the patient) are a manager's.

"Corrected and resubmitted" is not a state of its own: the claim goes back to
``submitted`` (NCPDP D.0 transaction B3, rebill, or a fresh B1) and the event
records why. That keeps one answer to "what are we waiting for" per state,
and the rejected -> submitted -> rejected history stays in the claim's events.

A secondary claim is a claim of its own (same fill, other payer); the primary
claim's ``billed_secondary`` state only says where the balance went.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from portal.foundation.i18n import N_


class ClaimState(StrEnum):
    """States a claim can be in; the value is what the database stores."""

    DRAFT = "draft"
    SUBMITTED = "submitted"
    PAID = "paid"
    PARTIALLY_PAID = "partially_paid"
    REJECTED = "rejected"
    APPEALED = "appealed"
    BILLED_SECONDARY = "billed_secondary"
    BILLED_PATIENT = "billed_patient"
    WRITTEN_OFF = "written_off"
    REVERSED = "reversed"

    @property
    def label(self) -> str:
        """The state in words, as staff see it."""
        return STATE_LABELS[self]


STATE_LABELS: dict[ClaimState, str] = {
    ClaimState.DRAFT: N_("Draft (not yet sent)"),
    ClaimState.SUBMITTED: N_("Submitted, awaiting the payer"),
    ClaimState.PAID: N_("Paid"),
    ClaimState.PARTIALLY_PAID: N_("Partially paid"),
    ClaimState.REJECTED: N_("Rejected by the payer"),
    ClaimState.APPEALED: N_("Appealed, awaiting the payer"),
    ClaimState.BILLED_SECONDARY: N_("Balance billed to secondary coverage"),
    ClaimState.BILLED_PATIENT: N_("Balance billed to the patient (cash)"),
    ClaimState.WRITTEN_OFF: N_("Written off"),
    ClaimState.REVERSED: N_("Reversed"),
}

# Money is still expected on the claim itself, so it counts in the aging of
# outstanding amounts. billed_secondary is left out because the secondary
# claim carries that balance (counting both would count it twice);
# billed_patient is a cash balance outside the claims ledger.
OUTSTANDING_STATES: frozenset[ClaimState] = frozenset(
    {
        ClaimState.SUBMITTED,
        ClaimState.APPEALED,
        ClaimState.REJECTED,
        ClaimState.PARTIALLY_PAID,
    }
)


@dataclass(frozen=True)
class ClaimMove:
    """One legal change of state; ``note`` is the default event note."""

    from_state: ClaimState
    to_state: ClaimState
    note: str
    manager_only: bool = False


_S = ClaimState
CLAIM_MOVES: tuple[ClaimMove, ...] = (
    ClaimMove(_S.DRAFT, _S.SUBMITTED, "submitted to the payer"),
    ClaimMove(_S.SUBMITTED, _S.PAID, "paid by the payer"),
    ClaimMove(_S.SUBMITTED, _S.PARTIALLY_PAID, "partially paid by the payer"),
    ClaimMove(_S.SUBMITTED, _S.REJECTED, "rejected by the payer"),
    ClaimMove(_S.REJECTED, _S.SUBMITTED, "corrected and resubmitted"),
    ClaimMove(_S.REJECTED, _S.APPEALED, "appealed"),
    ClaimMove(_S.REJECTED, _S.BILLED_SECONDARY, "billed to secondary coverage"),
    ClaimMove(_S.REJECTED, _S.BILLED_PATIENT, "billed to the patient (cash)", manager_only=True),
    ClaimMove(_S.REJECTED, _S.WRITTEN_OFF, "written off", manager_only=True),
    ClaimMove(_S.APPEALED, _S.PAID, "paid on appeal"),
    ClaimMove(_S.APPEALED, _S.PARTIALLY_PAID, "partially paid on appeal"),
    ClaimMove(_S.APPEALED, _S.REJECTED, "appeal denied"),
    # Payers expect a reversal (NCPDP D.0 transaction B2) when a fill is
    # returned to stock, usually within about 14 days.
    ClaimMove(_S.PAID, _S.REVERSED, "reversed"),
    # A provider-level recoupment (X12 835 PLB, e.g. WO) that takes back more than the
    # plan overpaid leaves it owing again: that is a short pay to follow up.
    ClaimMove(_S.PAID, _S.PARTIALLY_PAID, "payment recouped by the payer"),
    ClaimMove(_S.PARTIALLY_PAID, _S.REVERSED, "reversed"),
    ClaimMove(_S.PARTIALLY_PAID, _S.BILLED_SECONDARY, "balance billed to secondary coverage"),
    ClaimMove(
        _S.PARTIALLY_PAID, _S.BILLED_PATIENT, "balance billed to the patient", manager_only=True
    ),
    ClaimMove(_S.PARTIALLY_PAID, _S.WRITTEN_OFF, "balance written off", manager_only=True),
    # A fill returned to stock after its balance went on still has the primary payer's
    # money on it, and that payer expects a reversal like any other (the secondary claim,
    # a claim of its own, is reversed on its own; a cash balance is simply not collected).
    # Reversal is no manager's decision, so neither move is manager-only. A claim that
    # reached these states from "rejected" has nothing paid to reverse: Claim refuses that.
    ClaimMove(_S.BILLED_SECONDARY, _S.REVERSED, "reversed (returned to stock)"),
    ClaimMove(_S.BILLED_PATIENT, _S.REVERSED, "reversed (returned to stock)"),
)
del _S

_MOVES_BY_STATES: dict[tuple[ClaimState, ClaimState], ClaimMove] = {
    (move.from_state, move.to_state): move for move in CLAIM_MOVES
}


# The table the one transition helper (portal.audit.transitions) checks; check_move adds
# who may make each move.
MOVES: dict[ClaimState, frozenset[ClaimState]] = {
    state: frozenset(move.to_state for move in CLAIM_MOVES if move.from_state is state)
    for state in ClaimState
}


class IllegalClaimTransition(ValueError):
    """A change of claim state that the life cycle or the user's role forbids."""


def claim_state(value: str | ClaimState) -> ClaimState:
    """Return the state named by ``value``, or raise IllegalClaimTransition in words."""
    try:
        return ClaimState(value)
    except ValueError:
        known = ", ".join(state.value for state in ClaimState)
        raise IllegalClaimTransition(
            f"'{value}' is not a claim state (known states: {known})."
        ) from None


def find_move(from_state: str | ClaimState, to_state: str | ClaimState) -> ClaimMove | None:
    """Return the move from one state to another, or None if there is no such move."""
    return _MOVES_BY_STATES.get((claim_state(from_state), claim_state(to_state)))


def check_move(
    from_state: str | ClaimState, to_state: str | ClaimState, is_manager: bool
) -> ClaimMove:
    """Return the move if this user may make it; raise IllegalClaimTransition saying why not."""
    source, target = claim_state(from_state), claim_state(to_state)
    move = _MOVES_BY_STATES.get((source, target))
    if move is None:
        allowed = ", ".join(f'"{m.to_state.label}"' for m in CLAIM_MOVES if m.from_state is source)
        then = f"It can move to: {allowed}." if allowed else "That is a final state."
        raise IllegalClaimTransition(
            f'A claim that is "{source.label}" cannot move to "{target.label}". {then}'
        )
    if move.manager_only and not is_manager:
        raise IllegalClaimTransition(
            f'Only a manager can move a claim from "{source.label}" to "{target.label}".'
        )
    return move


def can_move(from_state: str | ClaimState, to_state: str | ClaimState, is_manager: bool) -> bool:
    """Whether this user may move a claim from one state to the other."""
    try:
        check_move(from_state, to_state, is_manager)
    except IllegalClaimTransition:
        return False
    return True


def next_moves(from_state: str | ClaimState, is_manager: bool) -> list[ClaimMove]:
    """The moves this user may make from a state, in table order (for buttons)."""
    source = claim_state(from_state)
    return [
        move
        for move in CLAIM_MOVES
        if move.from_state is source and (is_manager or not move.manager_only)
    ]


def is_final(state: str | ClaimState) -> bool:
    """Whether no move leaves this state."""
    source = claim_state(state)
    return not any(move.from_state is source for move in CLAIM_MOVES)


def is_outstanding(state: str | ClaimState) -> bool:
    """Whether money is still expected on a claim in this state (for aging)."""
    return claim_state(state) in OUTSTANDING_STATES


class ClaimError(ValueError):
    """A claim change refused for a reason in words (besides an illegal transition)."""
