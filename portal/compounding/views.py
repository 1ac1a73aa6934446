"""The compounding area's start page and the filters its templates share."""

from dataclasses import dataclass
from datetime import date

from flask import g, render_template, url_for
from flask_babel import gettext as _
from peewee import fn

from portal.compounding import STAFF, bp
from portal.compounding import settings as compounding_settings
from portal.compounding.calculations.working import round_half_up, show
from portal.compounding.lab.models import BalanceCheck, CleaningLog
from portal.compounding.lab.rules import cleaning_due_by, cleaning_overdue
from portal.compounding.records.models import CompoundingRecord
from portal.compounding.records.rules import RecordStatus
from portal.foundation.access import roles_required
from portal.foundation.dates import local_today
from portal.foundation.start_page import Line


@dataclass(frozen=True)
class CleaningStatus:
    overdue: bool
    last_cleaned_on: date | None
    due_by: date | None
    interval_days: int


def cleaning_status() -> CleaningStatus:
    """Whether the work surfaces need cleaning before compounding today."""
    zone = g.pharmacy.time_zone
    last = CleaningLog.last_work_surface_date(zone)
    interval = compounding_settings.cleaning_interval_days()
    return CleaningStatus(
        overdue=cleaning_overdue(last, local_today(zone), interval),
        last_cleaned_on=last,
        due_by=cleaning_due_by(last, interval),
        interval_days=interval,
    )


@bp.context_processor
def _compounding_layout():
    # A function, so only full pages (which show the banner) run its query.
    return {"cleaning_status": cleaning_status}


@bp.route("/")
@roles_required(*STAFF)
def home():
    return render_template(
        "compounding/home.html",
        last_balance=BalanceCheck.recent(1).first(),
        in_progress=CompoundingRecord.listing(RecordStatus.IN_PROGRESS).count(),
        awaiting=CompoundingRecord.listing(RecordStatus.COMPLETED).count(),
    )


@bp.app_template_filter("decimal_amount")
def decimal_amount(value) -> str:
    """A Decimal the way the working shows it: 2.5, 0.0125, no trailing zeros."""
    return "" if value is None else show(value)


@bp.app_template_filter("signed_percent")
def signed_percent(value) -> str:
    """A deviation: +2.4%, −0.3%, 0%."""
    if value is None:
        return ""
    text = format(round_half_up(abs(value), 2).normalize(), "f")
    return f"+{text}%" if value > 0 else f"−{text}%" if value < 0 else "0%"


def today_lines(user) -> list[Line]:
    """The start page's compounding card: cleaning before work, records to finish or approve."""
    lines = []
    if cleaning_status().overdue:
        lines.append(
            Line(
                None,
                _("Clean the work surfaces: cleaning is overdue"),
                url_for("compounding.lab"),
                "alert",
            )
        )
    # Both counts in one statement, from the status index.
    per_status = dict(
        CompoundingRecord.select(CompoundingRecord.status, fn.COUNT(CompoundingRecord.id))
        .where(CompoundingRecord.status.in_((RecordStatus.COMPLETED, RecordStatus.IN_PROGRESS)))
        .group_by(CompoundingRecord.status)
        .tuples()
    )
    awaiting = per_status.get(RecordStatus.COMPLETED, 0)
    if awaiting:
        tone = "warn" if user.is_pharmacist else ""
        lines.append(
            Line(
                awaiting,
                _("records waiting for a pharmacist's approval"),
                url_for("compounding.records"),
                tone,
            )
        )
    making = per_status.get(RecordStatus.IN_PROGRESS, 0)
    if making:
        lines.append(Line(making, _("records in progress"), url_for("compounding.records")))
    return lines
