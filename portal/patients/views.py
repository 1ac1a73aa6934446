"""Finding, viewing, adding and editing patients. Allergies, coverages and payers have
their own modules that add routes to this blueprint."""

from flask import abort, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from playhouse.flask_utils import get_object_or_404

from portal.audit import log as audit
from portal.foundation.access import roles_required
from portal.foundation.dates import today, utcnow
from portal.foundation.db import write_transaction
from portal.foundation.extensions import htmx
from portal.foundation.page_cache import kept
from portal.patients import bp, rules
from portal.patients.forms import AllergyStatusForm, PatientForm, RemoveOtherMedicationForm
from portal.patients.history import patient_history
from portal.patients.models import OtherMedication, Patient
from portal.patients.search import find_patients, rx_address

# Who works with patient records. An admin-only account (IT) does not see them.
PATIENT_ROLES = ("technician", "pharmacist", "manager")


def load_patient(patient_id: int) -> Patient:
    return get_object_or_404(Patient, Patient.id == patient_id)


def _local_area_code() -> str:
    digits = rules.phone_digits(g.pharmacy.phone)
    return digits[:3] if len(digits) == 10 else ""


@bp.route("/patients/search")
@roles_required(*PATIENT_ROLES)
@kept
def search():
    """The one search box: a full page on Enter, the results region for htmx as you type."""
    text = request.args.get("q", "")[:200]
    query = rules.parse_patient_query(text, today())
    if not htmx and (address := rx_address(query)):
        return redirect(address)
    patients = find_patients(query, local_area_code=_local_area_code())
    context = {"q": text, "query": query, "patients": patients, "today": today()}
    if htmx:
        return render_template("patients/_results.html", **context)
    return render_template("patients/search.html", **context)


def _prefill(text: str) -> dict:
    """Start a new patient from what was searched for: "Smith, John 1/2/1960"."""
    query = rules.parse_patient_query(text)
    data = {}
    if query.date_of_birth:
        data["date_of_birth"] = query.date_of_birth
    words = [w for w in text.replace(",", " , ").split() if rules.read_birth_date(w) is None]
    name = " ".join(words)
    if query.names and name:
        last, _, first = name.partition(",") if "," in name else (name, "", "")
        data["last_name"] = last.strip().title()[:80]
        data["first_name"] = first.strip().title()[:80]
    return data


@bp.route("/patients/new", methods=["GET", "POST"])
@roles_required(*PATIENT_ROLES)
def new_patient():
    """Add a patient; likely duplicates are shown first and need a deliberate confirmation."""
    form = PatientForm(data=_prefill(request.args.get("q", "")[:200]) if request.args else None)
    duplicates = []
    if form.validate_on_submit():
        values = form.values()
        duplicates = Patient.likely_duplicates(
            values["last_name"],
            values["first_name"],
            values["date_of_birth"],
            phones=(values["phone"], values["alt_phone"]),
        )
        if not duplicates or form.confirm_different.data:
            with write_transaction():
                patient = Patient.create(**values)
                note = ""
                if duplicates:
                    ids = ", ".join(str(p.id) for p in duplicates)
                    note = f"saved as a different person from likely duplicates {ids}"
                audit.record(
                    "create",
                    "patient",
                    patient.id,
                    after=audit.snapshot(patient),
                    patient_id=patient.id,
                    note=note,
                )
            flash(_("%(name)s added.", name=patient.full_name), "success")
            return redirect(url_for("patients.patient", patient_id=patient.id))
    return render_template("patients/form.html", form=form, patient=None, duplicates=duplicates)


@bp.route("/patients/<int:patient_id>")
@roles_required(*PATIENT_ROLES)
def patient(patient_id: int):
    """The patient's record: allergies first, coverages, medication history. Viewing is audited."""
    record = load_patient(patient_id)
    with write_transaction():
        audit.record("view", "patient", record.id, patient_id=record.id)
    return render_template(
        "patients/patient.html",
        patient=record,
        allergies=record.allergy_list(),
        coverages=record.coverage_list(),
        history=patient_history(record),
        status_form=AllergyStatusForm(),
        other_medications=list(record.other_medications.order_by(OtherMedication.name)),
        remove_med_form=RemoveOtherMedicationForm(),
        today=today(),
    )


@bp.route("/patients/<int:patient_id>/edit", methods=["GET", "POST"])
@roles_required(*PATIENT_ROLES)
def edit_patient(patient_id: int):
    record = load_patient(patient_id)
    form = PatientForm(obj=record)
    if form.validate_on_submit():
        with write_transaction():
            before = audit.snapshot(record)
            for name, value in form.values().items():
                setattr(record, name, value)
            record.save()
            audit.record(
                "update",
                "patient",
                record.id,
                before=before,
                after=audit.snapshot(record),
                patient_id=record.id,
            )
        flash(_("Patient details saved."), "success")
        return redirect(url_for("patients.patient", patient_id=record.id))
    return render_template("patients/form.html", form=form, patient=record, duplicates=[])


@bp.route("/patients/<int:patient_id>/allergy-status", methods=["POST"])
@roles_required(*PATIENT_ROLES)
def allergy_status(patient_id: int):
    """Record "no known drug allergies" or "not asked"; refused while allergies are recorded."""
    record = load_patient(patient_id)
    form = AllergyStatusForm()
    if not form.validate_on_submit():
        abort(400)
    refusal = rules.nkda_refusal(record.allergies.count()) if form.status.data == "nkda" else None
    if refusal:
        flash(_("Not marked as no known drug allergies. %(refusal)s", refusal=refusal), "error")
    elif form.status.data == "not_asked" and record.allergies.count():
        flash(_("Allergies are recorded for this patient; remove them to mark not asked."), "error")
    else:
        with write_transaction():
            before = audit.snapshot(record)
            record.allergy_status = form.status.data
            record.allergies_reviewed_at = utcnow() if form.status.data == "nkda" else None
            record.save()
            audit.record(
                "update",
                "patient",
                record.id,
                before=before,
                after=audit.snapshot(record),
                patient_id=record.id,
            )
        flash(_("Recorded: %(status)s.", status=record.allergy_status_label.lower()), "success")
    return redirect(url_for("patients.patient", patient_id=record.id))
