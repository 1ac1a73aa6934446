"""The work queues, and the helpers the area's pages share (loading a fill, wrong step).

Intake, verification, filling, clarifications and the counter lookup add their routes to
the area's blueprint from their own packages (intake/, verification/, fills/).
"""

from flask import abort, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from peewee import JOIN
from playhouse.flask_utils import get_object_or_404

from portal.auth.models import User
from portal.auth.terminal import background_poll
from portal.catalog.models import Product
from portal.foundation.access import roles_required
from portal.foundation.dates import today
from portal.foundation.digits import as_id
from portal.foundation.extensions import htmx
from portal.foundation.forms import has_control_characters
from portal.foundation.page_cache import kept
from portal.patients.models import Patient
from portal.patients.rules import parse_patient_query
from portal.patients.search import find_patients
from portal.prescribers.models import Prescriber
from portal.prescriptions import VIEW_ROLES, bp
from portal.prescriptions.controlled import follow_ups
from portal.prescriptions.fills import queues
from portal.prescriptions.fills.models import Fill
from portal.prescriptions.models import Prescription, plain_quantity


@bp.app_template_filter("qty")
def _qty(value) -> str:
    return plain_quantity(value) if value is not None else ""


# The menu marks the entry whose address starts the page's path; fills and prescriptions
# (/fills/..., /rx/...) belong to the queues.
_OWN_MENU_ENTRY = {"prescriptions.intake", "prescriptions.ready_lookup", "prescriptions.queue"}


@bp.context_processor
def _menu_entry():
    if request.endpoint in _OWN_MENU_ENTRY:
        return {}
    return {"current_path": url_for("prescriptions.queue")}


# Who did a fill's steps, as its pages name them (only the name is shown).
STEP_PEOPLE = ("entered_by", "data_verified_by", "filled_by")


def load_fill(fill_id: int) -> Fill:
    """The fill with its prescription, patient, prescriber and product loaded, and the names
    of who entered, verified and filled it (read one by one, each was a statement)."""
    query = (
        Fill.select(Fill, Prescription, Patient, Prescriber, Product)
        .join(Prescription)
        .join_from(Fill, Patient, on=(Fill.patient == Patient.id))
        .join_from(Prescription, Prescriber, JOIN.LEFT_OUTER)
        .join_from(Prescription, Product, JOIN.LEFT_OUTER)
        .where(Fill.id == fill_id)
    )
    for step in STEP_PEOPLE:
        person = User.alias(step)
        query = query.select_extend(person.id, person.full_name).join_from(
            Fill, person, JOIN.LEFT_OUTER, on=(getattr(Fill, step) == person.id), attr=step
        )
    return get_object_or_404(query, Fill.id == fill_id)


def wrong_step(fill: Fill, *states: str):
    """A redirect to the fill, saying why, when it is not at this step (another terminal
    moved it, or an old page was submitted); None when it is."""
    if fill.status in states:
        return None
    flash(
        _(
            "Rx %(rx)s is now “%(status)s”: this step is not open for it.",
            rx=fill.rx_fill,
            status=fill.status_label.lower(),
        ),
        "warning",
    )
    return redirect(url_for("prescriptions.fill_detail", fill_id=fill.id))


def _filter_args() -> dict:
    """The filters as query-string arguments, to carry from tab to tab."""
    return {
        key: request.args[key]
        for key in ("patient", "who", "user")
        if request.args.get(key, "").strip()
    }


def _filters() -> tuple[queues.Filters, list[Patient]]:
    """The queue's filters from the query string: ?patient=<id> or ?who=<typed search>,
    and ?user=<id> (who entered the fill). Returns the patients matched too."""
    patients: list[Patient] = []
    patient_id = as_id(request.args.get("patient"))
    if patient_id is not None:
        patients = list(Patient.select().where(Patient.id == patient_id))
    elif who := _typed_arg("who"):
        patients = find_patients(parse_patient_query(who, today()), limit=20)
    patient_ids = None
    if patients or patient_id is not None or _typed_arg("who"):
        patient_ids = tuple(p.id for p in patients)
    return queues.Filters(
        patient_ids=patient_ids, user_id=as_id(request.args.get("user"))
    ), patients


def _typed_arg(name: str) -> str:
    text = request.args.get(name, "")[:120]
    return "" if has_control_characters(text) else text.strip()


def _queue_context(state: str) -> dict:
    filters, patients = _filters()
    after = queues.Cursor.decode(request.args.get("after"))
    return {
        "state": state,
        "tabs": queues.QUEUE_STATES,
        "tab_labels": queues.TAB_LABELS,
        "counts": queues.counts(filters),
        "page": queues.page(state, after, filters),
        "filters": filters,
        "filter_patients": patients,
        "who": _typed_arg("who"),
        "args": _filter_args(),
        # Only what the "entered by" filter lists (not each account's hashes and PIN state).
        "users": list(
            User.select(User.id, User.full_name)
            .where(User.active == True)  # noqa: E712
            .order_by(User.full_name)
        ),
        "continued": after is not None,
        "today": today(),
    }


@bp.route("/queue")
@roles_required(*VIEW_ROLES)
@kept
def queue():
    """The work queues: a tab per state with its count; htmx swaps the rows."""
    state = request.args.get("state") or queues.default_tab(g.user)
    if state not in queues.QUEUE_STATES:
        abort(404)
    context = _queue_context(state)
    if htmx and request.args.get("after"):
        return render_template("prescriptions/_queue_rows.html", **context)
    if htmx:
        return render_template("prescriptions/_queue.html", **context)
    return render_template(
        "prescriptions/queue.html", c2_follow_ups=follow_ups.open_list(), **context
    )


@bp.route("/queue/counts")
@roles_required(*VIEW_ROLES)
@background_poll
def queue_counts():
    """The tabs with fresh counts, polled every 30 s (not activity for the idle lock)."""
    state = request.args.get("state") or queues.default_tab(g.user)
    if state not in queues.QUEUE_STATES:
        abort(404)
    filters, _patients = _filters()
    return render_template(
        "prescriptions/_queue_tabs.html",
        state=state,
        tabs=queues.QUEUE_STATES,
        tab_labels=queues.TAB_LABELS,
        counts=queues.counts(filters),
        args=_filter_args(),
    )
