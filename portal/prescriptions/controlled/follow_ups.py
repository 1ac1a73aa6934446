"""Emergency oral orders waiting for the prescriber's written or electronic prescription
(21 CFR 1306.11(d)(4)): on the start page and above the queues until closed."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from flask import url_for
from flask_babel import gettext as _

from portal.foundation.dates import today
from portal.foundation.start_page import Line
from portal.prescriptions.controlled import rules
from portal.prescriptions.controlled.models import ControlledOrigin
from portal.prescriptions.fills.models import PARTIAL, Fill

SHOWN = 20  # a pharmacy has a handful at most; more would be a count


@dataclass(frozen=True)
class FollowUp:
    rx_number: int
    patient: str
    due: date
    overdue: bool

    @property
    def words(self) -> str:
        due = f"{self.due:%m/%d/%Y}"
        if self.overdue:
            return _(
                "Emergency C-II Rx %(rx)s (%(patient)s): prescription was due %(due)s: "
                "notify the DEA",
                rx=self.rx_number,
                patient=self.patient,
                due=due,
            )
        return _(
            "Emergency C-II Rx %(rx)s (%(patient)s): prescription due by %(due)s",
            rx=self.rx_number,
            patient=self.patient,
            due=due,
        )


def open_list(on: date | None = None) -> list[FollowUp]:
    """The open follow-ups, oldest due first."""
    on = on or today()
    rows = ControlledOrigin.open_follow_ups().limit(SHOWN)
    return [
        FollowUp(
            rx_number=row.prescription.rx_number,
            patient=row.prescription.patient.sort_name,
            due=row.follow_up_due,
            overdue=rules.follow_up_overdue(row.follow_up_due, row.follow_up_state, on),
        )
        for row in rows
    ]


def lapsed_remainders(now: datetime | None = None) -> list:
    """First partial fills whose remainder's window has passed (at ``now``, the pharmacy's
    local time), with something left or a remainder still in progress, not yet voided (a few
    at most: partial fills are rare, and a voided or completed one drops out)."""
    from portal.prescriptions.controlled import partial  # partial builds on this package

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


def today_lines(user) -> list[Line]:
    """The start page's lines: one per open follow-up, in red once overdue; one per lapsed
    partial-fill remainder to void (the prescriber must be told)."""
    lapsed = [
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
    from portal.prescriptions.controlled import lapsed as voided  # builds on this module

    return (
        lapsed
        + voided.today_lines()
        + [
            Line(
                None,
                item.words,
                url_for("prescriptions.c2_origin", rx_number=item.rx_number),
                "alert" if item.overdue else "warn",
            )
            for item in open_list()
        ]
    )
