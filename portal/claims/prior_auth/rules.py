"""A prior authorization's life: requested from the plan (through the prescriber), then the
plan's decision. Plain values, no database.

NCPDP Telecommunication D.0: reject 75 (Prior Authorization Required) is answered by a PA
the prescriber obtains; the plan's PA number goes back on the claim in Prior Authorization
Number Submitted (462-EV) with type code 1 in 461-EU.
"""

from enum import StrEnum

from portal.foundation.i18n import N_


class PAStatus(StrEnum):
    REQUESTED = "requested"
    APPROVED = "approved"
    DENIED = "denied"
    EXPIRED = "expired"

    @property
    def label(self) -> str:
        return PA_STATUS_LABELS[self]


PA_STATUS_LABELS = {
    PAStatus.REQUESTED: N_("Requested, waiting on the plan"),
    PAStatus.APPROVED: N_("Approved"),
    PAStatus.DENIED: N_("Denied"),
    PAStatus.EXPIRED: N_("Expired"),
}
# (value, label) pairs, in the order the form offers them.
PA_STATUSES = tuple((status.value, label) for status, label in PA_STATUS_LABELS.items())

# Plans reverse themselves: a denial is appealed and approved, an approval is withdrawn or
# lapses, an expired PA is renewed and the request starts again. Staff record whatever the
# plan said last, so every decision may follow every other; only a move to the same status
# is not a move (the details change without one).
PA_MOVES = {
    status: frozenset(other for other in PAStatus if other != status) for status in PAStatus
}
