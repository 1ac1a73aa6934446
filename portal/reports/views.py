"""Report pages: staff activity, the controlled-substance dispensing log, stock value."""

from flask import g, render_template, request
from flask_babel import gettext as _

from portal.audit import log as audit
from portal.foundation.access import roles_required
from portal.foundation.dates import today
from portal.foundation.db import write_transaction
from portal.foundation.exports import csv_download
from portal.reports import REPORT_ROLES, STAFF_ROLES, bp, controlled, inventory, periods, staff

SCHEDULE_CHOICES = (("2", "C-II"), ("3", "C-III"), ("4", "C-IV"), ("5", "C-V"))


def _period(default="week"):
    """The period asked for, and its problems in the staff member's words."""
    period, problems = periods.from_args(request.args, today(), default)
    return period, [_(problem) for problem in problems]


def _presets():
    """The period presets (key, label), their labels in the staff member's words."""
    return [(key, _(label)) for key, label in periods.PRESETS]


@bp.route("/")
@roles_required(*REPORT_ROLES)
def index():
    return render_template("reports/index.html")


@bp.route("/staff")
@roles_required(*STAFF_ROLES)
def staff_activity():
    period, problems = _period()
    rows = staff.activity(*period.utc_bounds(g.pharmacy.time_zone))
    return render_template(
        "reports/staff.html",
        period=period,
        problems=problems,
        presets=_presets(),
        rows=rows,
        totals=staff.totals(rows),
        columns=staff.COLUMNS,
    )


def _schedules() -> tuple[str, ...]:
    chosen = tuple(s for s in request.args.getlist("schedule") if s in controlled.SCHEDULES)
    return chosen or controlled.SCHEDULES


@bp.route("/controlled")
@roles_required(*REPORT_ROLES)
def controlled_log():
    period, problems = _period("month")
    schedules = _schedules()
    rows = list(controlled.dispensed(period.start, period.end, schedules))
    return render_template(
        "reports/controlled.html",
        period=period,
        problems=problems,
        presets=_presets(),
        rows=rows,
        schedules=schedules,
        schedule_choices=SCHEDULE_CHOICES,
        schedule_label=controlled.schedule_label,
    )


@bp.route("/controlled.csv")
@roles_required(*REPORT_ROLES)
def controlled_csv():
    period, _problems = _period("month")
    schedules = _schedules()
    with write_transaction():  # patients' names and addresses leave the portal: audited
        audit.record(
            "export",
            "fill",
            "",
            after={**period.as_args(), "schedules": " ".join(schedules)},
            note="controlled-substance dispensing log CSV",
        )
    body = controlled.as_csv(controlled.dispensed(period.start, period.end, schedules))
    return csv_download(body, f"controlled-log-{period.start}-to-{period.end}.csv")


@bp.route("/inventory")
@roles_required(*REPORT_ROLES)
def inventory_value():
    on_date = today()
    return render_template(
        "reports/inventory.html", valuation=inventory.valuation(on_date), today=on_date
    )
