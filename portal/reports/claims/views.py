"""The manager's claims dashboard: aging, rejections, paid vs billed, days to pay, write-offs."""

from datetime import date

from flask import render_template, request
from flask_babel import gettext as _

from portal.claims.claims.reject_codes import lookup
from portal.claims.settings import reject_table
from portal.foundation.access import roles_required
from portal.foundation.dates import today
from portal.foundation.digits import as_id
from portal.foundation.page_cache import kept
from portal.patients.models import Payer
from portal.reports import bp
from portal.reports.claims import charts
from portal.reports.claims import queries as dashboard
from portal.reports.claims.queries import DashboardFilters


def _filters(args) -> tuple[DashboardFilters, list[str]]:
    default = DashboardFilters.default(today())
    problems = []

    def day(name, label, fallback):
        text = (args.get(name) or "").strip()
        if not text:
            return fallback
        try:
            return date.fromisoformat(text)
        except ValueError:
            problems.append(
                _(
                    "%(label)s “%(text)s” is not a date; showing %(fallback)s.",
                    label=label,
                    text=text,
                    fallback=fallback.strftime("%m/%d/%Y"),
                )
            )
            return fallback

    start = day("from", _("From"), default.date_from)
    end = day("to", _("To"), default.date_to)
    if start > end:
        problems.append(_("The From date was after the To date; they were swapped."))
        start, end = end, start
    payer = (args.get("payer") or "").strip()
    return DashboardFilters(start, end, as_id(payer)), problems


@bp.route("/claims")
@roles_required("manager")
# What it reads (checked by tests/core/test_page_cache.py): holds and fills at the counter
# do not draw it again.
@kept(
    reads=(
        *("claim", "claim_count", "claim_day_total", "claim_reject", "claim_reject_month"),
        *("payer", "pharmacy", "setting", "user"),
    )
)
def claims_dashboard():
    filters, problems = _filters(request.args)
    figures = dashboard.build(filters, today())
    table = reject_table()
    return render_template(
        "claims/dashboard.html",
        d=figures,
        problems=problems,
        payers=Payer.select().order_by(Payer.name),
        reject_meanings={code: lookup(code, table) for code, _ in figures.reject_codes},
        charts={
            "aging": charts.data_uri(charts.aging_chart(figures.aging)),
            "rejections": charts.data_uri(charts.rejection_chart(figures.payers)),
            "codes": charts.data_uri(charts.reject_codes_chart(figures.reject_codes)),
            "months": charts.data_uri(charts.paid_vs_billed_chart(figures.months)),
        },
        list_args={
            "from": filters.date_from.isoformat(),
            "to": filters.date_to.isoformat(),
            **({"payer": str(filters.payer)} if filters.payer else {}),
        },
    )
