"""Emergency oral orders waiting for the prescriber's written or electronic prescription
(21 CFR 1306.11(d)(4)): on the start page and above the queues until closed."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask import url_for
from flask_babel import gettext as _

from portal.foundation.dates import today
from portal.foundation.start_page import Line
from portal.prescriptions.controlled import rules
from portal.prescriptions.controlled.models import ControlledOrigin

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


def today_lines(user) -> list[Line]:
    """The start page's lines: one per open follow-up, in red once overdue."""
    return [
        Line(
            None,
            item.words,
            url_for("prescriptions.c2_origin", rx_number=item.rx_number),
            "alert" if item.overdue else "warn",
        )
        for item in open_list()
    ]
