"""The work queue, the filtered claim list and its CSV export."""

from flask import g, redirect, render_template, request, url_for
from flask_babel import gettext as _

from portal.audit import log as audit
from portal.claims import STAFF, bp
from portal.claims.claims.aging import AGING_BUCKETS
from portal.claims.claims.queries import (
    QUEUE_VIEWS,
    STATE_FILTERS,
    ClaimFilters,
    QueueCursor,
    claims_csv,
    filtered_claims,
    latest_reject_codes,
    list_page,
    queue_counts,
    queue_page,
)
from portal.foundation.access import roles_required
from portal.foundation.dates import today
from portal.foundation.db import write_transaction
from portal.foundation.digits import as_id
from portal.foundation.exports import csv_download
from portal.foundation.extensions import htmx
from portal.foundation.page_cache import kept
from portal.foundation.start_page import Line
from portal.patients.models import Payer


@bp.route("/")
@roles_required(*STAFF)
@kept
def queue():
    view = request.args.get("view", "action")
    view = view if view in dict(QUEUE_VIEWS) else "action"
    payer = request.args.get("payer", "")
    payer_id = as_id(payer)
    after = QueueCursor.decode(request.args.get("after"))
    page = queue_page(view, today(), g.user, payer_id, after)
    context = {
        "claims": page.claims,
        "next_cursor": page.next_cursor,
        "continued": after is not None,
        "reject_codes": latest_reject_codes([claim.id for claim in page.claims]),
        "view": view,
        "payer_id": payer_id,
        "today": today(),
    }
    if htmx and after is not None:
        return render_template("claims/_queue_page.html", **context)
    if htmx:
        return render_template("claims/_queue_rows.html", **context)
    return render_template(
        "claims/queue.html",
        views=[(key, _(label)) for key, label in QUEUE_VIEWS],
        counts=queue_counts(today(), g.user),
        payers=Payer.select(Payer.id, Payer.name).order_by(Payer.name),
        **context,
    )


def _filters():
    filters, problems = ClaimFilters.from_args(request.args)
    return filters, [_(problem) for problem in problems]


@bp.route("/list")
@roles_required(*STAFF)
def claim_list():
    filters, problems = _filters()
    after = request.args.get("after", "")
    claims, next_after = list_page(filters, today(), after)
    context = {
        "claims": claims,
        "after": after,
        "next_after": next_after,
        "filters": filters,
        "problems": problems,
        "states": [(key, _(label)) for key, label in STATE_FILTERS],
        "buckets": AGING_BUCKETS,
        "payers": Payer.select().order_by(Payer.name),
        "today": today(),
    }
    if htmx:
        return render_template("claims/_list_rows.html", **context)
    return render_template("claims/list.html", **context)


@bp.route("/export.csv")
@roles_required(*STAFF)
def export_csv():
    """The filtered claim list as CSV (the same filters as the list page)."""
    filters, _ = _filters()
    with write_transaction():
        audit.record("export", "claim", "", after=filters.as_args(), note="claims CSV export")
    body = claims_csv(filtered_claims(filters, today()))
    name = f"claims-{today().isoformat()}.csv"
    return csv_download(body, name)


def today_lines(user) -> list[Line]:
    """The start page's claims card: what needs chasing, and what is past its follow-up."""
    found = queue_counts(today(), user, ("overdue", "action", "mine"))
    lines = []
    if found["overdue"]:
        lines.append(
            Line(found["overdue"], _("past their follow-up date"), _view("overdue"), "alert")
        )
    if found["action"]:
        lines.append(Line(found["action"], _("need action"), _view("action"), "warn"))
    if found["mine"]:
        lines.append(Line(found["mine"], _("assigned to you"), _view("mine")))
    return lines


def _view(name: str) -> str:
    return url_for("claims.queue", view=name)


@bp.route("/dashboard")
@roles_required("manager")
def old_dashboard_address():
    """The dashboard moved to the reports; bookmarks of its old address still find it."""
    return redirect(url_for("reports.claims_dashboard", **request.args), code=301)
