"""Finding, viewing, adding and editing prescribers; the lookup the prescription intake uses."""

import re

from flask import flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from peewee import IntegrityError
from playhouse.flask_utils import get_object_or_404

from portal.audit import log as audit
from portal.foundation.access import login_required, roles_required
from portal.foundation.db import write_transaction
from portal.foundation.extensions import htmx
from portal.foundation.forms import search_text
from portal.prescribers import bp, listing
from portal.prescribers.forms import PrescriberForm
from portal.prescribers.models import Prescriber

# Who adds and edits prescribers: the people who take prescriptions in.
EDIT_ROLES = ("technician", "pharmacist", "manager")


@bp.route("/")
@login_required
def index():
    """All prescribers, or those matching the search, 50 at a time by name (?after=id,
    ?before=id); htmx swaps only the results."""
    q = search_text(request.args)
    include_inactive = request.args.get("inactive") == "1"
    page = listing.page(q, include_inactive, request.args.get("after"), request.args.get("before"))
    context = {
        "q": q,
        "page": page,
        "page_size": listing.PAGE_SIZE,
        "prescribers": page.rows,
        "include_inactive": include_inactive,
        # What the page links carry along: the search as the form sends it, less what is empty.
        "filters": {
            k: v for k, v in (("q", q), ("inactive", "1" if include_inactive else "")) if v
        },
        "can_edit": g.user.has_any_role(EDIT_ROLES),
    }
    if htmx:
        return render_template("prescribers/_results.html", **context)
    return render_template("prescribers/index.html", **context)


@bp.route("/lookup")
@login_required
def lookup():
    """Matches for a prescriber search box on another page (e.g. prescription intake).

    Returns radio buttons named by ``field`` (default ``prescriber_id``), so the matches
    become part of the form they are swapped into; no script needed.
    """
    q = search_text(request.args)
    field = request.args.get("field", "prescriber_id")
    if not re.fullmatch(r"[a-z_][a-z0-9_-]{0,39}", field):
        field = "prescriber_id"
    prescribers = list(Prescriber.search(q, limit=8)) if len(q) >= 2 else []
    return render_template("prescribers/_lookup.html", q=q, prescribers=prescribers, field=field)


@bp.route("/new", methods=["GET", "POST"])
@roles_required(*EDIT_ROLES)
def new():
    form = PrescriberForm()
    if form.validate_on_submit():
        try:
            with write_transaction():
                prescriber = Prescriber.create(**form.values())
                audit.record(
                    "create", "prescriber", prescriber.id, after=audit.snapshot(prescriber)
                )
        except IntegrityError:
            # Another terminal saved the same NPI or DEA between our check and the insert.
            form.npi.errors.append(_("This NPI or DEA number was just saved by someone else."))
        else:
            flash(_("%(name)s added.", name=prescriber.display_name), "success")
            return redirect(url_for("prescribers.detail", prescriber_id=prescriber.id))
    return render_template("prescribers/form.html", form=form, prescriber=None)


@bp.route("/<int:prescriber_id>")
@login_required
def detail(prescriber_id: int):
    prescriber = get_object_or_404(Prescriber, Prescriber.id == prescriber_id)
    return render_template(
        "prescribers/detail.html",
        prescriber=prescriber,
        can_edit=g.user.has_any_role(EDIT_ROLES),
    )


@bp.route("/<int:prescriber_id>/edit", methods=["GET", "POST"])
@roles_required(*EDIT_ROLES)
def edit(prescriber_id: int):
    prescriber = get_object_or_404(Prescriber, Prescriber.id == prescriber_id)
    form = PrescriberForm(obj=prescriber, prescriber=prescriber)
    if form.validate_on_submit():
        try:
            with write_transaction():
                before = audit.snapshot(prescriber)
                for name, value in form.values().items():
                    setattr(prescriber, name, value)
                prescriber.save()
                audit.record(
                    "update",
                    "prescriber",
                    prescriber.id,
                    before=before,
                    after=audit.snapshot(prescriber),
                )
        except IntegrityError:
            form.npi.errors.append(_("This NPI or DEA number was just saved by someone else."))
        else:
            flash(_("%(name)s saved.", name=prescriber.display_name), "success")
            return redirect(url_for("prescribers.detail", prescriber_id=prescriber.id))
    return render_template("prescribers/form.html", form=form, prescriber=prescriber)
