"""Lapsed partial-fill remainders voided without a person (21 CFR 1306.13(a): "after that
the remainder is void and the prescriber is notified").

The hourly job (`flask controlled void-lapsed`, also run by `flask pmp send-daily`) voids
each remainder whose window has passed, one transaction per remainder, with the audit trail
showing the system as the actor and the prescriber's notice written as the button writes
it. A remainder fill opened in time but still in progress when the window ends is void too:
it is cancelled (its stock back to the lot) in the same transaction, and until then final
verification and pickup refuse it (partial.in_progress_problem). The start page keeps a
line for each remainder the job voided, so staff see what happened and fax the notice. A
pharmacist can still void one at once from the remainder page.

    void_lapsed(now=None) -> list[Voided]
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import url_for
from flask_babel import gettext as _

from portal.foundation.dates import utcnow
from portal.foundation.start_page import Line
from portal.prescriptions.controlled import partial, rules
from portal.prescriptions.fills.models import FILL_PROBLEMS, PARTIAL, Clarification, Fill

# How long the start page shows a remainder the job voided, unless its notice is closed
# sooner (its answer recorded, e.g. "faxed").
SHOWN_DAYS = 7


@dataclass(frozen=True)
class Voided:
    """What the job did with one lapsed remainder: voided (with the notice) or refused."""

    rx_fill: str
    notice_id: int | None = None
    refused: str = ""

    @property
    def words(self) -> str:
        if self.notice_id is None:
            return f"Rx {self.rx_fill}: not voided: {self.refused}"
        return f"Rx {self.rx_fill}: remainder voided; notice {self.notice_id} to fax"


def lapsed_remainders(now: datetime | None = None) -> list:
    """First partial fills whose remainder's window has passed (at ``now``, the pharmacy's
    local time), with something left or a remainder still in progress, not yet voided (a few
    at most: partial fills are rare, and a voided or completed one drops out)."""
    found = []
    now = now or partial.local_now()
    candidates = Fill.select().where(
        PARTIAL  # from the index of partial fills
        & Fill.remainder_of.is_null()
        & Fill.remainder_voided_at.is_null()
        & Fill.status.in_(partial.DISPENSED)
    )
    for fill in candidates:
        window = partial.window(fill)
        if window is None or rules.window_open(window, now):
            continue
        # Something left to dispense, or a remainder opened in time still in progress.
        left = fill.prescription.quantity - partial.dispensed_total(fill)
        if left > 0 or partial.open_remainders(fill):
            found.append(fill)
    return found


def void_lapsed(now: datetime | None = None) -> list[Voided]:
    """Void every lapsed remainder, each in its own transaction, as the system (no user).

    ``now`` is the pharmacy's local time (partial.local_now()). A remainder a person voided
    in the meantime is refused in words and reported, never voided twice."""
    now = now or partial.local_now()
    done = []
    for first in lapsed_remainders(now):
        try:
            notice = partial.void_remainder(first, None, now=now)
        except FILL_PROBLEMS as refused:
            done.append(Voided(first.rx_fill, refused=str(refused)))
        else:
            done.append(Voided(first.rx_fill, notice_id=notice.id))
    return done


def voided_by_the_portal(since: datetime | None = None) -> list[tuple[Fill, Clarification]]:
    """Remainders the job voided lately whose notice is still open, newest first."""
    since = since or utcnow() - timedelta(days=SHOWN_DAYS)
    rows = (
        Clarification.select(Clarification, Fill)
        .join(Fill)
        .where(
            PARTIAL
            & Fill.remainder_voided_at.is_null(False)
            & (Fill.remainder_voided_at >= since)
            & Clarification.asked_by.is_null()
            & Clarification.answered_at.is_null()
        )
        .order_by(Fill.remainder_voided_at.desc())
    )
    return [(row.fill, row) for row in rows]


def today_lines(user) -> list[Line]:
    """The start page's lines: one per lapsed remainder still to void (the prescriber must be
    told), and one per remainder the job voided, to the notice to print and fax."""
    to_void = [
        Line(
            None,
            _(
                "Rx %(rx)s: the partial fill's remainder has lapsed; void it and notify "
                "the prescriber",
                rx=fill.rx_fill,
            ),
            url_for("prescriptions.remainder", fill_id=fill.id),
            "alert",
        )
        for fill in lapsed_remainders()
    ]
    return to_void + [
        Line(
            None,
            _(
                "Rx %(rx)s: the partial fill's remainder lapsed and was voided on %(when)s; "
                "print the notice and fax it to the prescriber",
                rx=fill.rx_fill,
                when=f"{partial.local_now(fill.remainder_voided_at):%m/%d/%Y %H:%M}",
            ),
            url_for("prescriptions.clarification", clarification_id=notice.id),
            "warn",
        )
        for fill, notice in voided_by_the_portal()
    ]
