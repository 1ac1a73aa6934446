"""The profile's "other medications": what the patient takes from elsewhere (another
pharmacy, over the counter, samples). Screening counts them as active medications for
interactions and duplicate therapy; every change is audited."""

import re

from flask import flash, g, redirect, render_template, url_for
from flask_babel import gettext as _
from playhouse.flask_utils import get_object_or_404

from portal.audit import log as audit
from portal.foundation.access import roles_required
from portal.foundation.db import write_transaction
from portal.patients import bp, rules
from portal.patients.allergy_views import allergen_suggestions, known_spelling
from portal.patients.forms import OtherMedicationForm, RemoveOtherMedicationForm
from portal.patients.models import OtherMedication
from portal.patients.views import PATIENT_ROLES, load_patient


@bp.route("/patients/<int:patient_id>/other-medications/new", methods=["GET", "POST"])
@roles_required(*PATIENT_ROLES)
def new_other_medication(patient_id: int):
    patient = load_patient(patient_id)
    form = OtherMedicationForm()
    if form.validate_on_submit():
        if _already_listed(patient, form.name.data):
            form.name.errors.append(_("%(name)s is already on the list.", name=form.name.data))
        else:
            with write_transaction():
                row = OtherMedication.create(
                    patient=patient,
                    name=form.name.data,
                    note=form.note.data or "",
                    recorded_by=g.get("user"),
                )
                audit.record(
                    "create",
                    "other_medication",
                    row.id,
                    after=audit.snapshot(row),
                    patient_id=patient.id,
                )
            flash(
                _("%(name)s added to the other medications; screening counts it.", name=row.name),
                "success",
            )
            _warn_if_unknown(row.name)
            return redirect(url_for("patients.patient", patient_id=patient.id))
    return render_template(
        "patients/other_medication_form.html",
        form=form,
        patient=patient,
        row=None,
        suggestions=allergen_suggestions(),
    )


@bp.route("/patients/<int:patient_id>/other-medications/<int:row_id>/edit", methods=["GET", "POST"])
@roles_required(*PATIENT_ROLES)
def edit_other_medication(patient_id: int, row_id: int):
    """Correct the name or the note (a new strength, where it comes from)."""
    patient = load_patient(patient_id)
    row = get_object_or_404(
        OtherMedication, (OtherMedication.id == row_id) & (OtherMedication.patient == patient)
    )
    form = OtherMedicationForm(obj=row)
    if form.validate_on_submit():
        if _already_listed(patient, form.name.data, but=row.id):
            form.name.errors.append(_("%(name)s is already on the list.", name=form.name.data))
        else:
            with write_transaction():
                before = audit.snapshot(row)
                row.name, row.note = form.name.data, form.note.data or ""
                row.save()
                audit.record(
                    "update",
                    "other_medication",
                    row.id,
                    before=before,
                    after=audit.snapshot(row),
                    patient_id=patient.id,
                )
            flash(_("%(name)s saved; screening counts it as changed.", name=row.name), "success")
            _warn_if_unknown(row.name)
            return redirect(url_for("patients.patient", patient_id=patient.id))
    return render_template(
        "patients/other_medication_form.html",
        form=form,
        patient=patient,
        row=row,
        suggestions=allergen_suggestions(),
    )


def _already_listed(patient, name: str, but: int | None = None) -> bool:
    key = rules.name_key(name)
    return any(rules.name_key(m.name) == key and m.id != but for m in patient.other_medications)


def _warn_if_unknown(name: str) -> None:
    if known_spelling(re.split(r"\s+[0-9]", name)[0]) is None:
        flash(
            _(
                "“%(name)s” is not a drug Mortar knows: interactions and duplicate therapy are "
                "checked against its exact name only. Use the generic name if you can.",
                name=name,
            ),
            "warning",
        )


@bp.route("/patients/<int:patient_id>/other-medications/<int:row_id>/remove", methods=["POST"])
@roles_required(*PATIENT_ROLES)
def remove_other_medication(patient_id: int, row_id: int):
    patient = load_patient(patient_id)
    row = get_object_or_404(
        OtherMedication, (OtherMedication.id == row_id) & (OtherMedication.patient == patient)
    )
    if RemoveOtherMedicationForm().validate_on_submit():
        with write_transaction():
            before = audit.snapshot(row)
            row.delete_instance()
            audit.record("delete", "other_medication", row_id, before=before, patient_id=patient.id)
        flash(_("%(name)s removed from the other medications.", name=row.name), "success")
    else:
        flash(_("The form had expired; nothing was removed. Try again."), "error")
    return redirect(url_for("patients.patient", patient_id=patient.id))
