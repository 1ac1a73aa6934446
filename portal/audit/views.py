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
from flask_babel import gettext as _
from flask_babel import ngettext

from portal.audit import anchor, bp, display
from portal.audit import log as audit
from portal.audit import names as audit_names
from portal.audit.forms import AuditFilterForm
from portal.audit.models import AuditQuery
from portal.foundation.access import roles_required
from portal.foundation.dates import zone
from portal.foundation.db import write_transaction
from portal.foundation.digits import as_id, is_digits
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


def _patients(text: str) -> tuple[int | None, list[tuple[int, str]] | None]:
    """The patient filter: a number is one patient's id; words are a name search."""
    text = (text or "").strip()
    if not text:
        return None, None
    if is_digits(text) and len(text) < 10:
        return int(text), None
    return None, audit_names.find_patients(text)


def _query(form) -> AuditQuery:
    if not form.validate():
        return AuditQuery(user_id=-1)  # bad filters show nothing rather than everything
    zone_name = g.pharmacy.time_zone
    patient_id, matches = _patients(form.patient.data)
    return AuditQuery(
        user_id=int(form.user.data) if form.user.data else None,
        patient_id=patient_id,
        patient_ids=[pid for pid, _ in matches] if matches is not None else None,
        entities=audit_names.entities_in(form.area.data) if form.area.data else None,
        entity=form.entity.data,
        action=form.action.data,
        start=_utc_bound(form.date_from.data, zone_name) if form.date_from.data else None,
        end=_utc_bound(form.date_to.data + timedelta(days=1), zone_name)
        if form.date_to.data
        else None,
    )


def _filters() -> dict:
    """The page's filter parameters, to carry into pagination and export links."""
    names = ("user", "patient", "area", "entity", "action", "date_from", "date_to")
    return {name: request.args[name] for name in names if request.args.get(name)}


def _page(query: AuditQuery) -> dict:
    """One page of 50, by keyset: ?before=id (older) or ?after=id (newer)."""
    before = as_id(request.args.get("before"))
    after = as_id(request.args.get("after"))
    if after and not before:
        events = query.page_after(after, PAGE_SIZE)
    else:
        events = query.page(before, PAGE_SIZE)
    total = query.count()
    start = query.count_newer(events[0].id) + 1 if events else 0
    return {
        "events": events,
        "count_text": _(
            "%(first)s–%(last)s of %(total)s",
            first=format(start, ","),
            last=format(start + len(events) - 1, ","),
            total=format(total, ","),
        )
        if events
        else "",
        "total": total,
        "first": start,
        "last": start + len(events) - 1 if events else 0,
        "older": events[-1].id if events and start + len(events) - 1 < total else None,
        "newer": events[0].id if events and start > 1 else None,
    }


def _patient_note(form) -> str:
    """Whom the patient filter means, said by name."""
    patient_id, matches = _patients(form.patient.data) if not form.errors else (None, None)
    if patient_id is not None:
        name = audit_names.names([("patient", str(patient_id))]).get(("patient", str(patient_id)))
        return (
            _("Patient: %(name)s", name=name)
            if name
            else _("No patient has the number %(patient_id)s.", patient_id=patient_id)
        )
    if matches is None:
        return ""
    if not matches:
        return _("No patient has that name.")
    shown = "; ".join(name for _id, name in matches[:5])
    if len(matches) > 5:
        shown = _("%(names)s and %(count)s more", names=shown, count=len(matches) - 5)
    return ngettext(
        "%(num)d patient: %(names)s", "%(num)d patients: %(names)s", len(matches), names=shown
    )


@bp.route("/")
@roles_required(*READERS)
def index():
    form = AuditFilterForm(request.args)
    page = _page(_query(form))
    return render_template(
        "audit/index.html",
        form=form,
        rows=display.views(page.pop("events")),
        patient_note=_patient_note(form),
        filters=_filters(),
        verify_form=EmptyForm(),
        last_check=anchor.last_result(),
        check_overdue_hours=current_app.config["AUDIT_CHECK_OVERDUE_HOURS"],
        **page,
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
        result, _checkpoint = anchor.check("audit page")
        # A broken chain is announced by the page's own banner (audit/_chain_status.html).
        if result.ok:
            flash(
                _("The audit trail is intact: %(count)s events checked.", count=result.count),
                "success",
            )
    return redirect(url_for("audit.index"))
