"""Master formula pages: list, create, edit a draft, new version, approve, retire."""

from flask import abort, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from playhouse.flask_utils import get_object_or_404

from portal.auth import cosign
from portal.catalog.formulas.models import Formula, FormulaLocked
from portal.compounding import STAFF, bp
from portal.compounding import settings as compounding_settings
from portal.compounding.formulas import edit as formula_edit
from portal.compounding.formulas.forms import FormulaForm
from portal.foundation.access import roles_required
from portal.foundation.db import write_transaction
from portal.foundation.forms import EmptyForm

SECTION = "compounding.formulas"


@bp.route("/formulas")
@roles_required(*STAFF)
def formulas():
    include_retired = request.args.get("retired") == "1"
    return render_template(
        "compounding/formulas.html",
        formulas=list(Formula.current_versions(include_retired=include_retired)),
        include_retired=include_retired,
        section=SECTION,
    )


def _edit_page(form, formula=None, status=200):
    return (
        render_template(
            "compounding/formula_edit.html", form=form, formula=formula, section=SECTION
        ),
        status,
    )


def _grow(form) -> bool:
    """ "Add a row" buttons: one more blank ingredient line or check, nothing saved."""
    if "more_lines" in request.form:
        form.lines.append_entry()
    elif "more_checks" in request.form:
        form.checks.append_entry()
    else:
        return False
    form.set_component_choices()
    return True


@bp.route("/formulas/new", methods=["GET", "POST"])
@roles_required(*STAFF)
def new_formula():
    form = FormulaForm()
    if request.method == "GET":
        form.weighing_tolerance_percent.data = compounding_settings.weighing_tolerance()
    if request.method == "POST" and _grow(form):
        return _edit_page(form)
    if form.validate_on_submit():
        with write_transaction():
            formula = formula_edit.create_formula(form, g.user)
        flash(
            _(
                "Draft saved: %(title)s, version 1. A pharmacist approves it before use.",
                title=formula.title,
            ),
            "success",
        )
        return redirect(url_for("compounding.formula", formula_id=formula.id))
    return _edit_page(form, status=422 if request.method == "POST" else 200)


@bp.route("/formulas/<int:formula_id>")
@roles_required(*STAFF)
def formula(formula_id: int):
    found = get_object_or_404(Formula.select(), Formula.id == formula_id)
    return _formula_page(found)


def _formula_page(found: Formula, status: int = 200, problems=None, asking: str = ""):
    table = compounding_settings.bud_table()
    return (
        render_template(
            "compounding/formula.html",
            formula=found,
            lines=found.lines(),
            checks=found.quality_checks(),
            versions=found.versions(),
            draft=found.family_draft() if not found.is_draft else None,
            problems=problems
            if problems is not None
            else (found.problems_before_approval() if found.is_draft else []),
            bud=formula_edit.bud_in_words(found, table),
            storage=formula_edit.storage_in_words(found, table),
            action_form=EmptyForm(),
            asking=asking,
            section=SECTION,
        ),
        status,
    )


@bp.route("/formulas/<int:formula_id>/edit", methods=["GET", "POST"])
@roles_required(*STAFF)
def edit_formula(formula_id: int):
    found = get_object_or_404(Formula.select(), Formula.id == formula_id)
    if not found.is_draft:
        flash(_("An approved formula is not changed: make a new version to edit it."), "warning")
        return redirect(url_for("compounding.formula", formula_id=found.id))
    if request.method == "GET":
        form = FormulaForm(data=formula_edit.form_data_from(found))
    else:
        form = FormulaForm()
        if _grow(form):
            return _edit_page(form, found)
    if form.validate_on_submit():
        with write_transaction():
            formula_edit.update_formula(found, form)
        flash(
            _(
                "Draft saved: %(title)s, version %(version)s.",
                title=found.title,
                version=found.version,
            ),
            "success",
        )
        return redirect(url_for("compounding.formula", formula_id=found.id))
    return _edit_page(form, found, status=422 if request.method == "POST" else 200)


@bp.route("/formulas/<int:formula_id>/new-version", methods=["POST"])
@roles_required(*STAFF)
def new_formula_version(formula_id: int):
    found = get_object_or_404(Formula.select(), Formula.id == formula_id)
    if not EmptyForm().validate_on_submit():
        abort(400)
    with write_transaction():
        draft = found.new_version(g.user)
    flash(
        _(
            "Version %(version)s is a draft copy of version %(version2)s. Records already made "
            "keep pointing at the version they used.",
            version=draft.version,
            version2=found.version,
        ),
        "info",
    )
    return redirect(url_for("compounding.edit_formula", formula_id=draft.id))


@bp.route("/formulas/<int:formula_id>/approve", methods=["POST"])
@roles_required(*STAFF)
def approve_formula(formula_id: int):
    found = get_object_or_404(Formula.select(), Formula.id == formula_id)
    if not EmptyForm().validate_on_submit():
        abort(400)
    signoff = cosign.require_pharmacist()
    if not signoff:
        return _formula_page(found, status=422, asking="approve")
    try:
        with signoff:
            found.approve(signoff.pharmacist)
    except FormulaLocked as problem:
        flash(_(str(problem)), "error")
        return redirect(url_for("compounding.formula", formula_id=found.id))
    flash(
        _(
            "Approved: %(title)s, version %(version)s, by %(full_name)s.",
            title=found.title,
            version=found.version,
            full_name=signoff.pharmacist.full_name,
        ),
        "success",
    )
    return redirect(url_for("compounding.formula", formula_id=found.id))


@bp.route("/formulas/<int:formula_id>/retire", methods=["POST"])
@roles_required(*STAFF)
def retire_formula(formula_id: int):
    found = get_object_or_404(Formula.select(), Formula.id == formula_id)
    if not EmptyForm().validate_on_submit():
        abort(400)
    signoff = cosign.require_pharmacist()
    if not signoff:
        return _formula_page(found, status=422, asking="retire")
    try:
        with signoff:
            found.retire(signoff.pharmacist, note="retired from the formula page")
    except FormulaLocked as problem:
        flash(_(str(problem)), "error")
        return redirect(url_for("compounding.formula", formula_id=found.id))
    flash(
        _(
            "Retired: %(title)s, version %(version)s. It can no longer be prescribed.",
            title=found.title,
            version=found.version,
        ),
        "success",
    )
    return redirect(url_for("compounding.formula", formula_id=found.id))
