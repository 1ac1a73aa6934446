"""A patient's insurance coverages. Coverages are ended (not in use), never deleted: claims
refer to them."""

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from playhouse.flask_utils import get_object_or_404

from portal.audit import log as audit
from portal.foundation.access import roles_required
from portal.foundation.db import write_transaction
from portal.patients import bp
from portal.patients.forms import CoverageForm
from portal.patients.models import Coverage, Payer
from portal.patients.views import PATIENT_ROLES, load_patient


def _rank_taken(patient, values: dict, exclude_id=None) -> Coverage | None:
    """Another coverage in use that is billed at the same rank (one primary, one secondary)."""
    if not values["active"]:
        return None
    query = (
        Coverage.select(Coverage, Payer)
        .join(Payer)
        .where(
            (Coverage.patient == patient)
            & (Coverage.active == True)  # noqa: E712
            & (Coverage.rank == values["rank"])
        )
    )
    if exclude_id is not None:
        query = query.where(Coverage.id != exclude_id)
    return query.first()


def _save(form, patient, coverage=None):
    """Validate across fields, then create or update; returns the coverage or None."""
    values = form.values()
    taken = _rank_taken(patient, values, exclude_id=coverage.id if coverage else None)
    if taken is not None:
        form.rank.errors.append(
            _(
                "%(payer)s is already billed as %(rank)s. Make that one the other "
                "rank or mark it not in use first.",
                payer=taken.payer.name,
                rank=taken.rank,
            )
        )
        return None
    with write_transaction():
        if coverage is None:
            coverage = Coverage.create(patient=patient, **values)
            audit.record(
                "create",
                "coverage",
                coverage.id,
                after=audit.snapshot(coverage),
                patient_id=patient.id,
            )
        else:
            before = audit.snapshot(coverage)
            for name, value in values.items():
                setattr(coverage, name, value)
            coverage.save()
            audit.record(
                "update",
                "coverage",
                coverage.id,
                before=before,
                after=audit.snapshot(coverage),
                patient_id=patient.id,
            )
    return coverage


@bp.route("/patients/<int:patient_id>/coverages/new", methods=["GET", "POST"])
@roles_required(*PATIENT_ROLES)
def new_coverage(patient_id: int):
    patient = load_patient(patient_id)
    form = CoverageForm()
    if form.validate_on_submit() and (coverage := _save(form, patient)):
        flash(_("%(payer)s coverage added.", payer=coverage.payer.name), "success")
        return redirect(url_for("patients.patient", patient_id=patient.id))
    return render_template("patients/coverage_form.html", form=form, patient=patient, coverage=None)


@bp.route("/patients/<int:patient_id>/coverages/<int:coverage_id>/edit", methods=["GET", "POST"])
@roles_required(*PATIENT_ROLES)
def edit_coverage(patient_id: int, coverage_id: int):
    patient = load_patient(patient_id)
    coverage = get_object_or_404(
        Coverage, (Coverage.id == coverage_id) & (Coverage.patient == patient)
    )
    form = CoverageForm(obj=coverage, current_payer=coverage.payer)
    if not form.is_submitted():
        form.payer.data = str(coverage.payer_id)
    if form.validate_on_submit() and _save(form, patient, coverage):
        flash(_("%(payer)s coverage saved.", payer=coverage.payer.name), "success")
        return redirect(url_for("patients.patient", patient_id=patient.id))
    return render_template(
        "patients/coverage_form.html", form=form, patient=patient, coverage=coverage
    )
