"""The intake screen (new prescriptions and data entry), its live lookups and sig preview,
refills, and the prescription page."""

from flask import abort, flash, g, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from playhouse.flask_utils import get_object_or_404

from portal.audit import log as audit
from portal.catalog.formulas.models import Formula
from portal.catalog.models import Product
from portal.foundation.access import roles_required
from portal.foundation.dates import today
from portal.foundation.db import write_transaction
from portal.foundation.digits import as_id
from portal.foundation.forms import has_control_characters
from portal.patients.models import Patient
from portal.patients.rules import parse_patient_query
from portal.patients.search import find_patients
from portal.prescriptions import VIEW_ROLES, WORK_ROLES, bp
from portal.prescriptions import settings as rx_settings
from portal.prescriptions.controlled import origin
from portal.prescriptions.fills.forms import ReasonForm
from portal.prescriptions.fills.models import FILL_PROBLEMS, Fill
from portal.prescriptions.fills.workflow import FillStatus
from portal.prescriptions.intake import discontinue as stopping
from portal.prescriptions.intake import entry, kept_scan, uploads
from portal.prescriptions.intake.days_supply import as_quantity, proposed_days_supply
from portal.prescriptions.intake.forms import IntakeForm, RefillForm
from portal.prescriptions.models import Prescription, PrescriptionImage
from portal.prescriptions.sig.directions import expand_sig
from portal.prescriptions.views import load_fill, wrong_step

LOOKUP_LIMIT = 8


def _typed(name: str, limit: int = 120) -> str:
    text = request.args.get(name, "")[:limit]
    return "" if has_control_characters(text) else text.strip()


def _keep_upload(form):
    """Store the uploaded scan, if any; None with a field message when it is refused."""
    upload = form.image.data
    if not upload or not getattr(upload, "filename", ""):
        return None, True
    try:
        return uploads.store(upload, rx_settings.upload_max_bytes()), True
    except uploads.UploadRefused as refused:
        form.image.errors = [*form.image.errors, _(str(refused))]
        return None, False


def _scan(form):
    """The scan of this try: a new file, else the one kept from the last try (kept_scan).
    Returns (stored file or None, whether the new file was accepted, the note to carry)."""
    stored, accepted = _keep_upload(form)
    if stored is None and accepted:
        stored = kept_scan.read(request.form.get("kept_scan", ""), g.user.id)
    return stored, accepted, kept_scan.note_for(stored, g.user.id) if stored else ""


def _chosen(form) -> dict:
    """What was picked in the lookups, shown checked when the form comes back."""
    return {
        "patient": form.patient,
        "prescriber": form.prescriber,
        "product": form.product,
        "formula": form.formula,
    }


@bp.route("/prescriptions/new", methods=["GET", "POST"])
@roles_required(*WORK_ROLES)
def intake():
    """Take a new prescription in: save it for later, or send it to the pharmacist."""
    form = IntakeForm(today=today())
    patient_id = as_id(request.args.get("patient"))
    if request.method == "GET" and patient_id is not None:
        form.patient = Patient.get_or_none(Patient.id == patient_id)
    if request.method == "GET":
        # Most prescriptions are taken in the day they are written; the field stays editable.
        form.written_on.process_data(today())
    stored, note = None, ""
    if form.validate_on_submit():
        stored, kept, note = _scan(form)
        if kept:
            try:
                fill = entry.receive(
                    patient=form.patient,
                    values=form.values(),
                    priority=form.priority.data,
                    user=g.user,
                    image=stored,
                    send=form.sending,
                )
            except Exception:
                if stored:
                    uploads.discard(stored)
                raise
            rx = fill.prescription
            if form.sending:
                done = _(
                    "Rx %(rx)s for %(patient)s sent to the pharmacist.",
                    rx=rx.rx_number,
                    patient=form.patient.sort_name,
                )
            else:
                done = _(
                    "Rx %(rx)s for %(patient)s saved for data entry.",
                    rx=rx.rx_number,
                    patient=form.patient.sort_name,
                )
            flash(done, "success")
            return redirect(url_for("prescriptions.intake"))
    elif request.method == "POST":
        stored, _kept, note = _scan(form)  # kept for the next try, not chosen again
    return render_template(
        "prescriptions/intake.html",
        form=form,
        fill=None,
        kept_scan=stored,
        kept_scan_note=note,
        **_chosen(form),
    )


@bp.route("/fills/<int:fill_id>/entry", methods=["GET", "POST"])
@roles_required(*WORK_ROLES)
def data_entry(fill_id: int):
    """Type in or correct a fill in intake or data entry (returned fills come here)."""
    fill = load_fill(fill_id)
    if moved := wrong_step(fill, FillStatus.INTAKE, FillStatus.DATA_ENTRY):
        return moved
    if fill.fill_number > 0:
        return _refill_entry(fill)
    rx = fill.prescription
    form = IntakeForm(
        today=today(), data=_entry_data(rx, fill) if request.method == "GET" else None
    )
    if request.method == "GET":
        form.patient, form.prescriber, form.product = rx.patient, rx.prescriber, rx.product
        form.formula = rx.formula if rx.is_compound else None
    if form.validate_on_submit():
        stored, kept = _keep_upload(form)
        if kept:
            try:
                entry.correct(
                    fill,
                    values={**form.values(), "patient": form.patient},
                    priority=form.priority.data,
                    user=g.user,
                    image=stored,
                    send=form.sending,
                )
            except FILL_PROBLEMS as problem:
                if stored:
                    uploads.discard(stored)
                flash(_(str(problem)), "error")
                return redirect(url_for("prescriptions.fill_detail", fill_id=fill.id))
            if form.sending:
                done = _("Rx %(rx)s sent to the pharmacist.", rx=rx.rx_number)
            else:
                done = _("Rx %(rx)s saved.", rx=rx.rx_number)
            flash(done, "success")
            return redirect(url_for("prescriptions.queue", state=FillStatus.DATA_ENTRY))
    return render_template("prescriptions/intake.html", form=form, fill=fill, **_chosen(form))


def _entry_data(rx: Prescription, fill: Fill) -> dict:
    """The form as last saved (blank where nothing was typed yet)."""
    return {
        "patient_id": rx.patient_id,
        "prescriber_id": rx.prescriber_id,
        "drug": _drug_value(rx),
        "sig": rx.sig,
        "quantity": rx.quantity or None,
        "quantity_unit": rx.quantity_unit,
        "days_supply": rx.days_supply or None,
        "refills_authorized": rx.refills_authorized,
        "daw": rx.daw,
        "written_on": rx.written_on,
        "origin": rx.origin,
        "priority": fill.priority,
        "notes": rx.notes,
    }


def _drug_value(rx: Prescription) -> str:
    if rx.is_compound:
        return f"formula:{rx.formula_id}"
    return f"product:{rx.product_id}" if rx.product_id else ""


def _refill_entry(fill: Fill):
    form = RefillForm(obj=fill)
    if form.validate_on_submit():
        try:
            entry.correct_refill(
                fill,
                quantity=form.quantity.value,
                days_supply=form.days_supply.data,
                priority=form.priority.data,
                user=g.user,
                send=True,
            )
        except FILL_PROBLEMS as problem:
            flash(_(str(problem)), "error")
        else:
            flash(_("Rx %(rx)s sent to the pharmacist.", rx=fill.rx_fill), "success")
            return redirect(url_for("prescriptions.queue", state=FillStatus.DATA_ENTRY))
    return render_template(
        "prescriptions/refill.html", form=form, rx=fill.prescription, fill=fill, problem=None
    )


@bp.route("/rx/<int:rx_number>/refill", methods=["GET", "POST"])
@roles_required(*WORK_ROLES)
def refill(rx_number: int):
    """Make the next fill from the refills left, or say why not."""
    rx = get_object_or_404(Prescription, Prescription.rx_number == rx_number)
    problem = rx.refill_problem(today())
    form = RefillForm(
        data=None
        if request.method == "POST"
        else {
            "quantity": rx.quantity,
            "days_supply": rx.days_supply,
        }
    )
    if not problem and form.validate_on_submit():
        try:
            fill = entry.refill(
                rx,
                user=g.user,
                quantity=form.quantity.value,
                days_supply=form.days_supply.data,
                priority=form.priority.data,
            )
        except FILL_PROBLEMS as refused:
            problem = _(str(refused))
        else:
            flash(_("Rx %(rx)s: refill sent to the pharmacist.", rx=fill.rx_fill), "success")
            return redirect(url_for("prescriptions.prescription", rx_number=rx.rx_number))
    status = 200 if not problem or request.method == "GET" else 409
    return render_template(
        "prescriptions/refill.html", form=form, rx=rx, fill=None, problem=problem
    ), status


@bp.route("/prescriptions/sig-preview")
@roles_required(*WORK_ROLES)
def sig_preview():
    """Directions in plain words as the technician types the codes."""
    sig = _typed("sig", 500)
    words = expand_sig(sig, rx_settings.extra_sig_codes()) if sig else ""
    days = proposed_days_supply(sig, as_quantity(_typed("quantity", 20)))
    return render_template("prescriptions/_sig_preview.html", words=words, days=days)


@bp.route("/prescriptions/patient-lookup")
@roles_required(*WORK_ROLES)
def patient_lookup():
    """Patients matching the intake search, as radio buttons named patient_id."""
    q = _typed("q", 120)
    patients = []
    if len(q) >= 2:
        patients = find_patients(parse_patient_query(q, today()), limit=LOOKUP_LIMIT)
    return render_template(
        "prescriptions/_patient_lookup.html", q=q, patients=patients, today=today()
    )


@bp.route("/prescriptions/drug-lookup")
@roles_required(*WORK_ROLES)
def drug_lookup():
    """Products and approved compounding formulas as radio buttons."""
    q = _typed("q", 80)
    products, formulas = [], []
    if len(q) >= 2:
        products = list(Product.listing(q).limit(LOOKUP_LIMIT))
        formulas = list(Formula.dispensable_matching(q).limit(5))
    return render_template(
        "prescriptions/_drug_lookup.html", q=q, products=products, formulas=formulas
    )


@bp.route("/rx/<int:rx_number>")
@roles_required(*VIEW_ROLES)
def prescription(rx_number: int):
    """A prescription: what was written, its scans, its fills and clarifications."""
    rx = get_object_or_404(Prescription, Prescription.rx_number == rx_number)
    with write_transaction():
        audit.record("view", "prescription", rx.id, patient_id=rx.patient_id)
    return _prescription_page(rx, ReasonForm(formdata=None))


def _prescription_page(rx: Prescription, stop_form: ReasonForm, problem: str = ""):
    return render_template(
        "prescriptions/prescription.html",
        rx=rx,
        fills=rx.fill_list(),
        images=rx.image_list(),
        clarifications=list(rx.clarifications),
        refill_problem=rx.refill_problem(today()),
        c2_origin=rx.schedule == "2" and rx.origin in ("phone", "fax"),
        c2_record=origin.record_for(rx),
        stop_form=stop_form,
        stop_problem=problem,
    )


@bp.route("/rx/<int:rx_number>/discontinue", methods=["POST"])
@roles_required("pharmacist")
def discontinue(rx_number: int):
    """The prescriber stopped this prescription: the pharmacist records it, with why."""
    rx = get_object_or_404(Prescription, Prescription.rx_number == rx_number)
    form = ReasonForm()
    if form.validate_on_submit():
        try:
            stopping.discontinue(rx, g.user, form.reason.data)
        except stopping.DiscontinueRefused as refused:
            return _prescription_page(rx, form, _(str(refused))), 409
        flash(_("Rx %(rx)s discontinued: no fill can be made from it.", rx=rx.rx_number), "success")
        return redirect(url_for("prescriptions.prescription", rx_number=rx.rx_number))
    return _prescription_page(rx, form), 422


@bp.route("/prescriptions/images/<int:image_id>")
@roles_required(*VIEW_ROLES)
def image(image_id: int):
    """A scan of an original, to signed-in staff only; framed only by our own pages."""
    found = get_object_or_404(PrescriptionImage, PrescriptionImage.id == image_id)
    try:
        path = uploads.path_of(found.stored_name)
    except FileNotFoundError:
        abort(404)
    if not path.exists():
        abort(404)
    response = send_file(path, mimetype=found.content_type, max_age=0)
    response.headers["Content-Disposition"] = "inline"
    # Our data verification page shows PDFs in a frame; nobody else may frame them.
    response.headers["X-Frame-Options"] = "SAMEORIGIN"
    response.headers["Content-Security-Policy"] = "default-src 'none'; frame-ancestors 'self'"
    return response
