"""The calculations page: a tab per calculation, each answer with its working shown."""

from dataclasses import dataclass, replace
from decimal import InvalidOperation

from flask import abort, render_template, request, url_for
from flask_babel import gettext as _

from portal.audit import log as audit
from portal.catalog.formulas.models import Formula
from portal.compounding import STAFF, bp
from portal.compounding.calculations import answers as calc_answers
from portal.compounding.calculations import forms as calc_forms
from portal.compounding.fields import row_id
from portal.foundation.access import roles_required
from portal.foundation.db import write_transaction
from portal.foundation.extensions import htmx
from portal.foundation.i18n import N_
from portal.patients.models import Patient


@dataclass(frozen=True)
class Calculation:
    slug: str
    title: str
    summary: str
    form: type
    answer: object


CALCULATIONS = {
    c.slug: c
    for c in (
        Calculation(
            "scale",
            N_("Scale a formula"),
            N_(
                "Multiply each ingredient by quantity to make ÷ quantity the formula makes, then "
                "correct for salt form and potency."
            ),
            calc_forms.ScaleForm,
            calc_answers.scale,
        ),
        Calculation(
            "percent",
            N_("Percent strength"),
            N_("w/w is g in 100 g, w/v is g in 100 mL, v/v is mL in 100 mL."),
            calc_forms.PercentForm,
            calc_answers.percent,
        ),
        Calculation(
            "ratio",
            N_("Ratio strength"),
            N_("1:1000 means 1 part of active in 1000 parts of the whole preparation."),
            calc_forms.RatioForm,
            calc_answers.ratio,
        ),
        Calculation(
            "dilution",
            N_("Dilution"),
            N_("C1 × Q1 = C2 × Q2. Fill in three boxes; the empty one is worked out."),
            calc_forms.DilutionForm,
            calc_answers.dilution,
        ),
        Calculation(
            "alligation",
            N_("Alligation"),
            N_("Mix a higher and a lower strength to make one in between."),
            calc_forms.AlligationForm,
            calc_answers.alligation,
        ),
        Calculation(
            "convert",
            N_("Units"),
            N_("g, mg, mcg, kg, grains and pounds; mL and L. A grain is exactly 64.79891 mg."),
            calc_forms.ConvertForm,
            calc_answers.convert,
        ),
        Calculation(
            "dose",
            N_("mg/kg dose"),
            N_("Dose from the patient's weight; pounds are converted exactly (0.45359237 kg/lb)."),
            calc_forms.DoseForm,
            calc_answers.dose,
        ),
        Calculation(
            "salt",
            N_("Salt and base"),
            N_("Salt to weigh = base × (MW salt ÷ MW base)."),
            calc_forms.SaltForm,
            calc_answers.salt,
        ),
        Calculation(
            "potency",
            N_("Potency"),
            N_("An ingredient less than 100% pure: weigh required × 100 ÷ potency."),
            calc_forms.PotencyForm,
            calc_answers.potency,
        ),
    )
}


def _keep(patient, source) -> dict:
    """Query arguments the form posts back to: the patient or formula it was opened for."""
    kept = {}
    if patient is not None:
        kept["patient"] = patient.id
    if source is not None:
        kept["formula"] = source.id
    return kept


def _formula_for(slug: str):
    """A master formula to fill the scaling form from (?formula=<id>)."""
    number = row_id(request.args.get("formula"))
    if slug != "scale" or number is None:
        return None
    return Formula.get_or_none(Formula.id == number)


def _patient_for(slug: str):
    """The patient a mg/kg dose is worked out for (?patient=<id>); viewing them is audited.

    The patient record has no weight: the weight is typed in each time, as weighed today.
    """
    value = request.args.get("patient", "")
    if slug != "dose" or row_id(value) is None:
        return None
    patient = Patient.get_or_none(Patient.id == row_id(value))
    if patient is not None and request.method == "GET":
        with write_transaction():
            audit.record("view", "patient", patient.id, patient_id=patient.id, note="mg/kg dose")
    return patient


def _in_words(calculation: Calculation) -> Calculation:
    """The calculation with its title and summary in the staff member's language."""
    return replace(calculation, title=_(calculation.title), summary=_(calculation.summary))


@bp.route("/calculations", methods=["GET"])
@bp.route("/calculations/<slug>", methods=["GET", "POST"])
@roles_required(*STAFF)
def calculations(slug: str = "scale"):
    calculation = CALCULATIONS.get(slug) or abort(404)
    source = _formula_for(slug)
    if source is not None and request.method == "GET":
        form = calculation.form(formdata=None, data=calc_forms.scale_data_from(source))
    else:
        form = calculation.form()
    patient = _patient_for(slug)
    answer, problem = None, None
    if request.method == "POST" and form.validate_on_submit():
        try:
            answer = calculation.answer(form)
        except (ValueError, TypeError, ArithmeticError, InvalidOperation) as error:
            # The math says why in words ("the desired strength must lie between them").
            problem = calc_answers.sentence_case(str(error)).rstrip(".") + "."
    context = dict(
        calculations=[_in_words(each) for each in CALCULATIONS.values()],
        calculation=_in_words(calculation),
        form=form,
        answer=answer,
        problem=problem,
        patient=patient,
        formulas=Formula.current_versions() if slug == "scale" else [],
        source=source,
        action=url_for("compounding.calculations", slug=slug, **_keep(patient, source)),
    )
    if htmx:
        return render_template("compounding/_calculations.html", **context)
    return render_template("compounding/calculations.html", **context)
