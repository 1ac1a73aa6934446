"""The manager's audit page: who did what, filtered, paginated, exported as CSV."""

from datetime import UTC, datetime, time, timedelta

from flask import (
    current_app,
    flash,
    g,
    redirect,
    render_template,
    request,
    url_for,
)

from portal.audit import anchor, bp
from portal.audit import log as audit
from portal.audit.forms import AuditFilterForm
from portal.audit.models import AuditQuery
from portal.foundation.access import roles_required
from portal.foundation.dates import zone
from portal.foundation.db import write_transaction
from portal.foundation.digits import as_id
from portal.foundation.exports import csv_download, csv_lines
from portal.foundation.filters import local_time
from portal.foundation.forms import EmptyForm

READERS = ("manager", "admin")
PAGE_SIZE = 50
CSV_COLUMNS = [
    "id", "at_utc", "at_local", "user_id", "actor", "terminal", "action", "entity",
    "entity_id", "patient_id", "before", "after", "note", "prev_hash", "hash",
]  # fmt: skip


def _utc_bound(day, zone_name):
    """Midnight at the start of a local date, as naive UTC."""
    local = datetime.combine(day, time.min, tzinfo=zone(zone_name))
    return local.astimezone(UTC).replace(tzinfo=None)


def _query(form) -> AuditQuery:
    if not form.validate():
        return AuditQuery(user_id=-1)  # bad filters show nothing rather than everything
    zone_name = g.pharmacy.time_zone
    return AuditQuery(
        user_id=int(form.user.data) if form.user.data else None,
        patient_id=form.patient.data,
        entity=form.entity.data,
        action=form.action.data,
        start=_utc_bound(form.date_from.data, zone_name) if form.date_from.data else None,
        end=_utc_bound(form.date_to.data + timedelta(days=1), zone_name)
        if form.date_to.data
        else None,
    )


def _filters() -> dict:
    """The page's filter parameters, to carry into pagination and export links."""
    names = ("user", "patient", "entity", "action", "date_from", "date_to")
    return {name: request.args[name] for name in names if request.args.get(name)}


@bp.route("/")
@roles_required(*READERS)
def index():
    form = AuditFilterForm(request.args)
    before = as_id(request.args.get("before"))
    events = _query(form).page(before, PAGE_SIZE + 1)
    older = events[PAGE_SIZE].id + 1 if len(events) > PAGE_SIZE else None
    return render_template(
        "audit/index.html",
        form=form,
        events=events[:PAGE_SIZE],
        older=older,
        paged=before is not None,
        filters=_filters(),
        verify_form=EmptyForm(),
        last_check=anchor.last_result(),
        check_overdue_hours=current_app.config["AUDIT_CHECK_OVERDUE_HOURS"],
    )


@bp.route("/export.csv")
@roles_required(*READERS)
def export():
    form = AuditFilterForm(request.args)
    query = _query(form)
    with write_transaction():
        audit.record("export", "audit_event", note=f"CSV export, filters: {_filters() or 'none'}")
    zone_name = g.pharmacy.time_zone

    def rows():
        for batch in query.batches():
            for event in batch:
                yield [
                    event.id,
                    event.at.isoformat(sep=" ", timespec="seconds"),
                    local_time(event.at, "%Y-%m-%d %H:%M:%S") if zone_name else "",
                    event.user_id or "",
                    event.actor,
                    event.terminal,
                    event.action,
                    event.entity,
                    event.entity_id,
                    event.patient_id or "",
                    event.before,
                    event.after,
                    event.note,
                    event.prev_hash,
                    event.hash,
                ]

    filename = f"audit-{datetime.now(UTC):%Y%m%d-%H%M%S}.csv"
    return csv_download(csv_lines(CSV_COLUMNS, rows()), filename)


@bp.route("/verify", methods=["POST"])
@roles_required(*READERS)
def verify():
    """Walk the whole chain now against the last checkpoint (as `flask audit verify` does)."""
    if EmptyForm().validate_on_submit():
        result, _ = anchor.check("audit page")
        # A broken chain is announced by the page's own banner (audit/_chain_status.html).
        if result.ok:
            flash(f"The audit trail is intact: {result.count} events checked.", "success")
    return redirect(url_for("audit.index"))
