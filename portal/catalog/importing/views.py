"""Importing products or ingredients from a file: upload, preview, confirm (or cancel)."""

from flask import current_app, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _

from portal.catalog import CATALOG_ROLES, bp, safety
from portal.catalog.forms import ImportConfirmForm, ImportForm
from portal.catalog.importing import batch as importing
from portal.catalog.importing import layouts as csv_layouts
from portal.foundation import long_work
from portal.foundation.access import roles_required
from portal.foundation.forms import EmptyForm

PREVIEW_ROWS = 500  # rows shown in the preview table; rows with errors always come first


def _read(storage) -> tuple[str, bytes | None]:
    if storage is None or not getattr(storage, "filename", ""):
        return "", None
    return storage.filename[:200], storage.read()


@bp.route("/import", methods=["GET", "POST"])
@roles_required(*CATALOG_ROLES)
def import_upload():
    """Upload a products or ingredients file; nothing is written until it is confirmed."""
    form = ImportForm()
    if form.validate_on_submit():
        filename, data = _read(form.file.data)
        package_name, package_data = _read(form.package_file.data)
        if not data:
            form.file.errors.append(_("Choose a file to import (it is empty or was not sent)."))
        else:
            token = importing.save_upload(
                current_app.instance_path, g.user.id, filename, data, package_name, package_data
            )
            return redirect(url_for("catalog.import_preview", token=token))
    return render_template("catalog/import.html", form=form, layouts=csv_layouts)


@bp.route("/import/<token>", methods=["GET", "POST"])
@roles_required(*CATALOG_ROLES)
def import_preview(token: str):
    """GET: what the import would do, row by row. POST: do it (one transaction)."""
    upload = importing.load_upload(current_app.instance_path, token, g.user.id)
    if upload is None:
        flash(
            _(
                "That import is no longer waiting (confirmed, cancelled or expired). Upload it "
                "again."
            ),
            "warning",
        )
        return redirect(url_for("catalog.import_upload"))
    try:
        plan = importing.read_plan(upload)
    except csv_layouts.LayoutError as error:
        importing.discard_upload(current_app.instance_path, token)
        form = ImportForm(formdata=None)
        form.file.errors = [_(str(error))]
        return render_template("catalog/import.html", form=form, layouts=csv_layouts), 200
    changes = importing.safety_changes(plan)
    confirm = ImportConfirmForm()
    if request.method == "POST" and confirm.validate_on_submit():
        # Safety facts the file changes (NDC, schedule, potency, allergen classes, ...) need
        # a pharmacist and a reason first; then the work runs with its progress bar.
        signoff = safety.approval(confirm, changes)
        if not signoff:
            return _preview_page(plan, upload, confirm, token, changes)
        note = importing.safety_note(changes, confirm.change_reason.data or "")
        if signoff.cosigned:
            note = f"{note}; {signoff.note}" if note else signoff.note
        job = long_work.start(
            _("Importing %(filename)s", filename=upload.filename),
            _import_work(
                upload, token, request.form.get("skip_errors") == "1", signoff.signer, note
            ),
            failed_url=url_for("catalog.import_preview", token=token),
            key=f"catalog-import:{token}",
        )
        return long_work.answer(job)
    return _preview_page(plan, upload, confirm, token, changes)


def _preview_page(plan, upload, confirm, token, changes):
    shown = sorted(plan.rows, key=lambda r: (r.action != "error", r.line))[:PREVIEW_ROWS]
    return render_template(
        "catalog/import_preview.html",
        plan=plan,
        upload=upload,
        shown=shown,
        confirm=confirm,
        token=token,
        safety_changes=changes,
    )


def _import_work(upload, token: str, skip_errors: bool, user, note: str = ""):
    """The confirmed import, run by long_work with its progress; returns messages and where
    to go on to."""
    instance_path = current_app.instance_path

    def work(progress):
        try:
            outcome = importing.apply(
                upload, user=user, skip_errors=skip_errors, note=note, progress=progress
            )
        except csv_layouts.LayoutError as error:
            return [("error", _(str(error)))], url_for("catalog.import_preview", token=token)
        importing.discard_upload(instance_path, token)
        counts = {
            "filename": upload.filename,
            "added": outcome.added,
            "updated": outcome.updated,
            "skipped": outcome.skipped,
        }
        if outcome.skipped:
            done = _(
                "Imported %(filename)s: %(added)s added, %(updated)s updated, "
                "%(skipped)s rows with errors skipped.",
                **counts,
            )
        else:
            done = _("Imported %(filename)s: %(added)s added, %(updated)s updated.", **counts)
        messages = [("success", done)]
        if outcome.new_ingredients:
            messages.append(
                (
                    "warning",
                    _(
                        "New ingredients added: %(names)s. "
                        "Add their allergen classes so allergy checks can find them.",
                        names=", ".join(sorted(set(outcome.new_ingredients))),
                    ),
                )
            )
        target = "catalog.products" if outcome.kind == "products" else "catalog.ingredients"
        return messages, url_for(target)

    return work


@bp.route("/import/<token>/cancel", methods=["POST"])
@roles_required(*CATALOG_ROLES)
def import_cancel(token: str):
    form = EmptyForm()
    if form.validate_on_submit() and importing.load_upload(
        current_app.instance_path, token, g.user.id
    ):
        importing.discard_upload(current_app.instance_path, token)
        flash(_("Import cancelled. Nothing was written."), "info")
    return redirect(url_for("catalog.import_upload"))
