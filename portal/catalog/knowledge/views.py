"""The knowledge base pages: look up, add, change and delete classes and pairs (pharmacists),
and import a CSV file with a preview. Every change is audited (edit.py, csv_import.py)."""

from flask import current_app, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from peewee import fn
from playhouse.flask_utils import get_object_or_404

from portal.catalog import bp
from portal.catalog.importing import batch as uploads
from portal.catalog.knowledge import csv_import, edit, rules
from portal.catalog.knowledge.forms import (
    ClassForm,
    CrossForm,
    InteractionForm,
    KnowledgeImportForm,
)
from portal.catalog.knowledge.models import (
    ClassMember,
    CrossSensitivity,
    DrugClass,
    Interaction,
    knowledge_names,
)
from portal.foundation.access import roles_required
from portal.foundation.forms import EmptyForm
from portal.foundation.i18n import lazy_gettext as _l

READ_ROLES = ("technician", "pharmacist", "manager")
EDIT_ROLES = ("pharmacist",)
SHOWN = 200
TABS = {
    "classes": _l("Classes"),
    "interactions": _l("Interactions"),
    "cross": _l("Cross-sensitivity"),
}


def _like(text: str) -> str:
    return f"%{text.casefold()}%"


@bp.route("/knowledge")
@roles_required(*READ_ROLES)
def knowledge():
    """Look up the knowledge base: classes and their members, interactions, cross-sensitivity."""
    tab = request.args.get("tab", "classes")
    tab = tab if tab in TABS else "classes"
    q = " ".join(request.args.get("q", "")[:120].split())
    if tab == "classes":
        rows = DrugClass.select().order_by(DrugClass.name)
        if q:
            in_class = ClassMember.select(ClassMember.drug_class).where(
                fn.LOWER(ClassMember.member).contains(q.casefold())
            )
            rows = rows.where(
                fn.LOWER(DrugClass.name).contains(q.casefold()) | DrugClass.id.in_(in_class)
            )
    elif tab == "interactions":
        rows = Interaction.select().order_by(Interaction.drug_a, Interaction.drug_b)
        if q:
            rows = rows.where(
                fn.LOWER(Interaction.drug_a).contains(q.casefold())
                | fn.LOWER(Interaction.drug_b).contains(q.casefold())
            )
    else:
        rows = CrossSensitivity.select().order_by(CrossSensitivity.allergen, CrossSensitivity.drug)
        if q:
            rows = rows.where(
                fn.LOWER(CrossSensitivity.allergen).contains(q.casefold())
                | fn.LOWER(CrossSensitivity.drug).contains(q.casefold())
            )
    total = rows.count()
    return render_template(
        "catalog/knowledge.html",
        tab=tab,
        tabs=TABS,
        q=q,
        rows=list(rows.limit(SHOWN)),
        total=total,
        shown=SHOWN,
        can_edit=g.user.is_pharmacist,
        delete_form=EmptyForm(),
    )


def _back(tab: str):
    return redirect(url_for("catalog.knowledge", tab=tab))


# Classes -----------------------------------------------------------------------------


@bp.route("/knowledge/classes/new", methods=["GET", "POST"])
@bp.route("/knowledge/classes/<int:class_id>/edit", methods=["GET", "POST"])
@roles_required(*EDIT_ROLES)
def knowledge_class(class_id: int | None = None):
    row = get_object_or_404(DrugClass, DrugClass.id == class_id) if class_id else None
    form = ClassForm(obj=row)
    if row is not None and not form.is_submitted():
        members = list(row.members.order_by(ClassMember.member))
        form.members.data = "\n".join(m.member for m in members if m.allergy == "block")
        form.warn_members.data = "\n".join(m.member for m in members if m.allergy == "warn")
    if form.validate_on_submit():
        fact = rules.ClassFact(
            form.name.data,
            form.kind.data,
            form.allergy_reaches_class.data,
            form.duplication.data,
            form.source.data,
        )
        try:
            saved = edit.save_class(row, fact, form.member_names(), form.warn_names(), g.user)
        except edit.KnowledgeProblem as problem:
            form.name.errors.append(_(str(problem)))
        else:
            flash(
                _(
                    "Class %(name)s saved (%(count)s members).",
                    name=saved.name,
                    count=saved.members.count(),
                ),
                "success",
            )
            return _back("classes")
    return render_template("catalog/knowledge_class.html", form=form, row=row)


@bp.route("/knowledge/classes/<int:class_id>/delete", methods=["POST"])
@roles_required(*EDIT_ROLES)
def knowledge_class_delete(class_id: int):
    row = get_object_or_404(DrugClass, DrugClass.id == class_id)
    if EmptyForm().validate_on_submit():
        try:
            edit.delete_class(row, g.user)
        except edit.KnowledgeProblem as problem:
            flash(_(str(problem)), "error")
        else:
            flash(_("Class %(name)s deleted.", name=row.name), "success")
    return _back("classes")


# Pairs -------------------------------------------------------------------------------

PAIRS = {
    "interactions": (Interaction, InteractionForm, _l("Interaction")),
    "cross": (CrossSensitivity, CrossForm, _l("Cross-sensitivity")),
}


def _fact(kind: str, form):
    if kind == "interactions":
        return rules.InteractionFact(
            form.drug_a.data,
            form.drug_b.data,
            form.severity.data,
            form.effect.data,
            form.management.data or "",
            form.source.data,
        )
    return rules.CrossFact(
        form.allergen.data, form.drug.data, form.level.data, form.reason.data, form.source.data
    )


@bp.route("/knowledge/<any(interactions, cross):kind>/new", methods=["GET", "POST"])
@bp.route("/knowledge/<any(interactions, cross):kind>/<int:pair_id>/edit", methods=["GET", "POST"])
@roles_required(*EDIT_ROLES)
def knowledge_pair(kind: str, pair_id: int | None = None):
    model, form_class, title = PAIRS[kind]
    row = get_object_or_404(model, model.id == pair_id) if pair_id else None
    form = form_class(obj=row)
    if form.validate_on_submit():
        save = edit.save_interaction if kind == "interactions" else edit.save_cross
        try:
            save(row, _fact(kind, form), g.user)
        except edit.KnowledgeProblem as problem:
            sides = (
                (form.drug_a, form.drug_b) if kind == "interactions" else (form.allergen, form.drug)
            )
            sides[1 if problem.side == "b" else 0].errors.append(str(problem))
        else:
            flash(_("%(what)s saved.", what=title), "success")
            return _back(kind)
    names = knowledge_names()
    return render_template(
        "catalog/knowledge_pair.html", form=form, row=row, kind=kind, title=title, names=names
    )


@bp.route("/knowledge/<any(interactions, cross):kind>/<int:pair_id>/delete", methods=["POST"])
@roles_required(*EDIT_ROLES)
def knowledge_pair_delete(kind: str, pair_id: int):
    model, _form, title = PAIRS[kind]
    row = get_object_or_404(model, model.id == pair_id)
    if EmptyForm().validate_on_submit():
        edit.delete_pair(row, g.user)
        flash(_("%(what)s deleted.", what=title), "success")
    return _back(kind)


# Import ------------------------------------------------------------------------------


@bp.route("/knowledge/import", methods=["GET", "POST"])
@roles_required(*EDIT_ROLES)
def knowledge_import():
    """Upload a CSV file; nothing is written until its preview is confirmed."""
    form = KnowledgeImportForm()
    if form.validate_on_submit():
        storage = form.file.data
        data = storage.read() if storage is not None and getattr(storage, "filename", "") else b""
        if not data:
            form.file.errors.append(_("Choose a CSV file to import (it is empty or was not sent)."))
        else:
            token = uploads.save_upload(
                current_app.instance_path, g.user.id, storage.filename[:200], data
            )
            return redirect(url_for("catalog.knowledge_import_preview", token=token))
    return render_template("catalog/knowledge_import.html", form=form, layouts=csv_import.LAYOUTS)


@bp.route("/knowledge/import/<token>", methods=["GET", "POST"])
@roles_required(*EDIT_ROLES)
def knowledge_import_preview(token: str):
    upload = uploads.load_upload(current_app.instance_path, token, g.user.id)
    if upload is None:
        flash(_("That import is no longer waiting (confirmed, cancelled or expired)."), "warning")
        return redirect(url_for("catalog.knowledge_import"))
    try:
        plan = csv_import.read_plan(upload.data)
    except csv_import.ImportFileProblem as problem:
        uploads.discard_upload(current_app.instance_path, token)
        form = KnowledgeImportForm(formdata=None)
        form.file.errors = [_(str(problem))]
        return render_template(
            "catalog/knowledge_import.html", form=form, layouts=csv_import.LAYOUTS
        )
    confirm = EmptyForm()
    if request.method == "POST" and confirm.validate_on_submit():
        if request.form.get("cancel"):
            uploads.discard_upload(current_app.instance_path, token)
            flash(_("Import cancelled; nothing was written."), "success")
            return redirect(url_for("catalog.knowledge_import"))
        if not plan.problems:
            counts = csv_import.apply(plan, upload.filename, g.user)
            uploads.discard_upload(current_app.instance_path, token)
            done = ", ".join(f"{n} {what}" for what, n in counts.items())
            flash(
                _("Imported %(filename)s: %(done)s.", filename=upload.filename, done=done),
                "success",
            )
            tab = {"cross_sensitivity": "cross"}.get(plan.layout, plan.layout)
            return _back(tab)
    return render_template(
        "catalog/knowledge_import_preview.html",
        plan=plan,
        upload=upload,
        confirm=confirm,
        problems=plan.problems,
        lines=plan.lines[:200],
    )
