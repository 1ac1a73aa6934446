"""Adding, changing and removing a patient's allergies; the status follows the rows."""

from collections.abc import Callable, Iterable

from flask import flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from playhouse.flask_utils import get_object_or_404

from portal.audit import log as audit
from portal.foundation.access import roles_required
from portal.foundation.dates import utcnow
from portal.foundation.db import write_transaction
from portal.patients import bp, rules
from portal.patients.forms import AllergyForm, RemoveAllergyForm
from portal.patients.models import Allergy
from portal.patients.views import PATIENT_ROLES, load_patient

# Where allergen names come from besides the common classes: the catalog adds its
# ingredients and their allergen classes when it is set up (it stands above this area).
_allergen_sources: list[Callable[[], Iterable[str]]] = []


def add_allergen_source(source: Callable[[], Iterable[str]], *, classes: bool = False) -> None:
    """A source of known allergen names; ``classes`` when every name it gives is a class."""
    if source not in _allergen_sources:
        _allergen_sources.append(source)
    if classes and source not in _class_sources:
        _class_sources.append(source)


_class_sources: list[Callable[[], Iterable[str]]] = []


def _kind_of(allergen: str, typed_kind: str) -> str:
    """A known name says what it is: a class, or a drug or ingredient; free text keeps the
    kind chosen."""
    if known_spelling(allergen) is None:
        return typed_kind
    key = allergen.casefold()
    classes = {n.casefold() for n in rules.COMMON_ALLERGEN_CLASSES}
    classes.update(n.casefold() for source in _class_sources for n in source())
    return "class" if key in classes else "ingredient"


def allergen_suggestions() -> list[str]:
    """Classes and ingredient names offered while typing an allergen."""
    suggestions = list(rules.COMMON_ALLERGEN_CLASSES)
    for source in _allergen_sources:
        suggestions.extend(source())
    unique: dict[str, str] = {}
    for name in suggestions:  # "NSAIDs" from the list wins over a catalog's "nsaids"
        unique.setdefault(name.casefold(), name)
    return list(unique.values())


SEARCH_LIMIT = 25


def matching_allergens(text: str, limit: int = SEARCH_LIMIT) -> list[str]:
    """Known names for what has been typed: those starting with it first, then containing it."""
    needle = " ".join(text.casefold().split())
    names = allergen_suggestions()
    if not needle:
        return names[:limit]
    starts = [n for n in names if n.casefold().startswith(needle)]
    within = [n for n in names if needle in n.casefold() and n not in starts]
    return (sorted(starts, key=len) + within)[:limit]


def known_spelling(text: str) -> str | None:
    """The known name typed (whatever the case), or None when no known name matches."""
    key = " ".join(text.casefold().split())
    return next((n for n in allergen_suggestions() if n.casefold() == key), None)


@bp.route("/patients/allergens")
@roles_required(*PATIENT_ROLES)
def allergen_search():
    """The suggestions for what is typed in the allergen box (htmx, as you type)."""
    return render_template(
        "patients/_allergen_options.html",
        suggestions=matching_allergens(request.args.get("allergen", "")[:120]),
    )


def _unscreened_note(allergen: str) -> None:
    if known_spelling(allergen) is None:
        flash(
            _(
                "“%(allergen)s” matches no drug, ingredient or class Mortar knows: screening "
                "compares only its exact name, and verification shows it as unscreened.",
                allergen=allergen,
            ),
            "warning",
        )


def _set_status(patient, status: str) -> None:
    """Change the allergy status (inside the caller's transaction), audited when it changes."""
    if patient.allergy_status == status:
        return
    before = audit.snapshot(patient)
    patient.allergy_status = status
    patient.allergies_reviewed_at = utcnow() if status != "not_asked" else None
    patient.save()
    audit.record(
        "update",
        "patient",
        patient.id,
        before=before,
        after=audit.snapshot(patient),
        patient_id=patient.id,
    )


def _already_recorded(patient, allergen: str, exclude_id=None) -> bool:
    key = rules.name_key(allergen)
    return any(rules.name_key(a.allergen) == key for a in patient.allergies if a.id != exclude_id)


def _render_form(form, patient, allergy=None):
    return render_template(
        "patients/allergy_form.html",
        form=form,
        patient=patient,
        allergy=allergy,
        suggestions=matching_allergens(form.allergen.data or ""),
    )


@bp.route("/patients/<int:patient_id>/allergies/new", methods=["GET", "POST"])
@roles_required(*PATIENT_ROLES)
def new_allergy(patient_id: int):
    patient = load_patient(patient_id)
    form = AllergyForm()
    if form.validate_on_submit():
        form.allergen.data = known_spelling(form.allergen.data) or form.allergen.data
        if _already_recorded(patient, form.allergen.data):
            form.allergen.errors.append(
                _("%(allergen)s is already recorded.", allergen=form.allergen.data)
            )
        else:
            with write_transaction():
                allergy = Allergy.create(
                    patient=patient,
                    allergen=form.allergen.data,
                    kind=_kind_of(form.allergen.data, form.kind.data),
                    reaction=form.reaction.data or "",
                    severity=form.severity.data,
                    recorded_by=g.get("user"),
                )
                audit.record(
                    "create",
                    "allergy",
                    allergy.id,
                    after=audit.snapshot(allergy),
                    patient_id=patient.id,
                )
                _set_status(patient, "has_allergies")
            flash(_("Allergy to %(allergen)s recorded.", allergen=allergy.allergen), "success")
            _unscreened_note(allergy.allergen)
            return redirect(url_for("patients.patient", patient_id=patient.id))
    return _render_form(form, patient)


def _load_allergy(patient, allergy_id: int) -> Allergy:
    return get_object_or_404(Allergy, (Allergy.id == allergy_id) & (Allergy.patient == patient))


@bp.route("/patients/<int:patient_id>/allergies/<int:allergy_id>/edit", methods=["GET", "POST"])
@roles_required(*PATIENT_ROLES)
def edit_allergy(patient_id: int, allergy_id: int):
    patient = load_patient(patient_id)
    allergy = _load_allergy(patient, allergy_id)
    form = AllergyForm(obj=allergy)
    if form.validate_on_submit():
        form.allergen.data = known_spelling(form.allergen.data) or form.allergen.data
        if _already_recorded(patient, form.allergen.data, exclude_id=allergy.id):
            form.allergen.errors.append(
                _("%(allergen)s is already recorded.", allergen=form.allergen.data)
            )
        else:
            with write_transaction():
                before = audit.snapshot(allergy)
                allergy.allergen = form.allergen.data
                allergy.kind = _kind_of(form.allergen.data, form.kind.data)
                allergy.reaction = form.reaction.data or ""
                allergy.severity = form.severity.data
                allergy.save()
                audit.record(
                    "update",
                    "allergy",
                    allergy.id,
                    before=before,
                    after=audit.snapshot(allergy),
                    patient_id=patient.id,
                )
            flash(_("Allergy to %(allergen)s saved.", allergen=allergy.allergen), "success")
            _unscreened_note(allergy.allergen)
            return redirect(url_for("patients.patient", patient_id=patient.id))
    return _render_form(form, patient, allergy)


@bp.route("/patients/<int:patient_id>/allergies/<int:allergy_id>/remove", methods=["GET", "POST"])
@roles_required(*PATIENT_ROLES)
def remove_allergy(patient_id: int, allergy_id: int):
    """Remove an allergy; removing the last one asks whether the patient now has none."""
    patient = load_patient(patient_id)
    allergy = _load_allergy(patient, allergy_id)
    remaining = patient.allergies.where(Allergy.id != allergy.id).count()
    form = RemoveAllergyForm()
    if form.validate_on_submit():
        status = rules.allergy_status_after_removal(remaining, form.status_after.data)
        if status is None:
            form.status_after.errors.append(
                _(
                    "This is the last allergy on record: say whether the patient has no known "
                    "drug allergies or was not asked."
                )
            )
        else:
            with write_transaction():
                audit.record(
                    "delete",
                    "allergy",
                    allergy.id,
                    before=audit.snapshot(allergy),
                    patient_id=patient.id,
                )
                allergy.delete_instance()
                _set_status(patient, status)
            flash(_("Allergy to %(allergen)s removed.", allergen=allergy.allergen), "success")
            return redirect(url_for("patients.patient", patient_id=patient.id))
    return render_template(
        "patients/allergy_remove.html",
        form=form,
        patient=patient,
        allergy=allergy,
        is_last=remaining == 0,
    )
