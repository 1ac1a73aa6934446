"""The counter's question, "is my prescription ready?": a lookup by name and date of birth
that says where each open fill stands, in plain words."""

from flask import render_template, request
from flask_babel import gettext

from portal.audit import log as audit
from portal.foundation.access import login_required
from portal.foundation.dates import today
from portal.foundation.db import write_transaction
from portal.foundation.i18n import patient_page
from portal.patients import rules as patient_rules
from portal.patients.models import Patient
from portal.prescriptions import bp
from portal.prescriptions.fills import queues
from portal.prescriptions.fills.ready_form import ReadyLookupForm

# A page the patient reads at the counter: in the browser's language, or the one chosen on it.
patient_page("prescriptions.ready_lookup")


@bp.route("/ready")
@login_required
def ready_lookup():
    """Open fills of the patients with this name and date of birth."""
    form = ReadyLookupForm(request.args)
    patients, fills = [], {}
    searched = bool(request.args)
    if searched and form.validate():
        condition = (Patient.last_name_key == patient_rules.name_key(form.last_name.data)) & (
            Patient.date_of_birth == form.date_of_birth.date
        )
        if form.first_name.data:
            first = patient_rules.name_key(form.first_name.data)
            condition &= (Patient.first_name_key >= first) & (
                Patient.first_name_key < patient_rules.prefix_upper_bound(first)
            )
        patients = list(Patient.select().where(condition & (Patient.active == True)).limit(10))  # noqa: E712
        fills = queues.open_fills_for_patients([p.id for p in patients])
        if patients:
            with write_transaction():
                for patient in patients:
                    audit.record(
                        "view",
                        "patient",
                        patient.id,
                        patient_id=patient.id,
                        note="is-it-ready lookup at the counter",
                    )
    return render_template(
        "prescriptions/ready_lookup.html",
        form=form,
        searched=searched,
        patients=patients,
        fills=fills,
        plain_status=lambda fill: queues.plain_status(fill, gettext),
        today=today(),
    )
