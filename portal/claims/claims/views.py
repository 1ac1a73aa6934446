"""The claim page and what staff do on it: response, moves, follow-up, notes, PA.

Other pages: queue_views.py (work queue, claim list, CSV), remittance/views.py (835 import),
decision_views.py (write-off and billing the patient: a manager's decisions, co-signed by a
manager's PIN at a technician's terminal). The manager's dashboard is a report
(portal.reports.claims).
"""

from flask import abort, flash, g, redirect, render_template, url_for
from flask_babel import gettext as _
from playhouse.flask_utils import get_object_or_404

from portal.audit import log as audit
from portal.auth.models import User
from portal.claims import STAFF, bp
from portal.claims import settings as claim_settings
from portal.claims.claims import actions
from portal.claims.claims.billing import billed_compounding_record, bills_record
from portal.claims.claims.forms import (
    FollowUpForm,
    NoteForm,
    PatientBillForm,
    PriorAuthForm,
    PriorAuthUpdateForm,
    ReasonForm,
    ResponseForm,
    ResubmitForm,
    SecondaryForm,
    rebill_form,
)
from portal.claims.claims.lifecycle import ClaimState, IllegalClaimTransition, next_moves
from portal.claims.claims.models import Claim, ClaimError
from portal.claims.claims.reject_codes import lookup
from portal.claims.prior_auth.models import PA_REJECT_CODES, PriorAuthorization
from portal.foundation.access import roles_required
from portal.foundation.dates import today
from portal.foundation.db import write_transaction
from portal.foundation.digits import as_id
from portal.foundation.forms import EmptyForm, choices
from portal.foundation.money import format_money
from portal.patients.models import Coverage
from portal.prescriptions.fills.models import Fill


def _staff_choices():
    people = User.select().where(User.active == True).order_by(User.full_name)  # noqa: E712
    return choices([("", _("Nobody"))] + [(str(u.id), u.full_name) for u in people])


def _forms(claim: Claim, given: dict) -> dict:
    """Every form on the claim page, blank unless the failing one is given."""
    follow_up = FollowUpForm(
        formdata=None,
        follow_up_on=claim.follow_up_on,
        assigned_to=str(claim.assigned_to_id or ""),
    )
    follow_up.assigned_to.choices = _staff_choices()
    secondary = SecondaryForm(formdata=None)
    secondary.coverage.choices = choices(
        (str(c.id), _("%(name)s — member %(member_id)s", name=c.payer.name, member_id=c.member_id))
        for c in actions.secondary_coverages(claim)
    )
    forms = {
        "response_form": ResponseForm(formdata=None),
        "reason_form": ReasonForm(formdata=None),
        "patient_bill_form": PatientBillForm(formdata=None),
        "note_form": NoteForm(formdata=None),
        "follow_up_form": follow_up,
        "secondary_form": secondary,
        "pa_form": PriorAuthForm(formdata=None, requested_on=today()),
        "button_form": EmptyForm(formdata=None),
        "rebill_form": rebill_form(claim, formdata=None),
    }
    forms.update(given)
    return forms


def claim_page(claim: Claim, status: int = 200, failed_action: str = "", **given):
    table = claim_settings.reject_table()
    codes = claim.reject_codes()
    rejects = [(code, lookup(code, table)) for code in codes]
    pas = list(PriorAuthorization.for_claim(claim))
    pa_forms = {pa.id: PriorAuthUpdateForm(formdata=None, obj=pa) for pa in pas}
    pa_forms.update(given.pop("pa_forms", {}))
    # A manager's decisions are offered to all claim staff: the form asks for a manager's
    # PIN when the person acting is not one (decision_views.py).
    moves = {move.to_state.value: move for move in next_moves(claim.status, is_manager=True)}
    return (
        render_template(
            "claims/claim.html",
            claim=claim,
            today=today(),
            rejects=rejects,
            suggests_pa=any(code in PA_REJECT_CODES for code in codes),
            prior_authorizations=pas,
            pa_forms=pa_forms,
            moves=moves,
            can_reverse=bool(moves.get("reversed")) and actions.was_paid(claim),
            failed_action=failed_action,
            secondaries=list(claim.secondary_claims),
            **_compound_record(claim),
            **_forms(claim, given),
        ),
        status,
    )


def _compound_record(claim: Claim) -> dict:
    """For a compound's claim page: the fill's completed compounding record, and whether the
    claim still bills what an earlier, rejected record measured."""
    if not (claim.is_compound and claim.fill_id):
        return {"compounding_record": None, "bills_rejected_record": False}
    record = billed_compounding_record(claim.fill)
    try:
        stale = record is None or not bills_record(claim, record)
    except ClaimError:  # the record's lines cannot be billed now (a cost removed since)
        stale = False
    return {"compounding_record": record, "bills_rejected_record": stale}


def load_claim(claim_id: int) -> Claim:
    """The claim, or 404."""
    return get_object_or_404(Claim.select().where(Claim.id == claim_id))


@bp.route("/<int:claim_id>")
@roles_required(*STAFF)
def claim(claim_id):
    found = load_claim(claim_id)
    with write_transaction():
        audit.record("view", "claim", found.id, patient_id=found.patient_id)
    return claim_page(found)[0]


def done(claim: Claim, message: str):
    """Back to the claim page with the message (a change was made)."""
    flash(message, "success")
    return redirect(url_for("claims.claim", claim_id=claim.id))


def refused(claim: Claim, error: Exception, action: str, **given):
    """The claim page again, saying why the change was refused (422)."""
    flash(_(str(error)), "error")
    return claim_page(load_claim(claim.id), 422, action, **given)


@bp.route("/<int:claim_id>/response", methods=["POST"])
@roles_required(*STAFF)
def record_response(claim_id):
    found = load_claim(claim_id)
    form = ResponseForm()
    form.billed = found.billed
    if not form.validate_on_submit():
        return claim_page(found, 422, "response", response_form=form)
    try:
        actions.record_response(
            found,
            g.user,
            form.outcome.data,
            today(),
            allowed=form.allowed.data,
            paid=form.paid.data or 0,
            patient_pay=form.patient_pay.data or 0,
            reject_codes=form.parsed_codes,
            note=form.note.data or "",
            over_billed_reason=form.over_billed_reason.data or "",
        )
    except (IllegalClaimTransition, ClaimError) as error:
        return refused(found, error, "response", response_form=form)
    return done(
        found,
        _(
            "Response recorded: %(status_label)s.",
            status_label=_(Claim.get_by_id(found.id).status_label),
        ),
    )


@bp.route("/<int:claim_id>/submit", methods=["POST"])
@roles_required(*STAFF)
def submit(claim_id):
    found = load_claim(claim_id)
    if not EmptyForm().validate_on_submit():
        abort(400)
    try:
        actions.submit(found, g.user, today())
    except (IllegalClaimTransition, ClaimError) as error:
        return refused(found, error, "submit")
    return done(found, _("Claim marked submitted; follow up if the payer has not answered."))


@bp.route("/<int:claim_id>/resubmit", methods=["POST"])
@roles_required(*STAFF)
def resubmit(claim_id):
    found = load_claim(claim_id)
    form = ResubmitForm()
    if not form.validate_on_submit():
        return claim_page(found, 422, "resubmit", reason_form=form)
    try:
        actions.resubmit(
            found,
            g.user,
            today(),
            form.reason.data,
            covered_ingredients_only=form.covered_ingredients_only.data
            if found.is_compound
            else None,
        )
    except (IllegalClaimTransition, ClaimError) as error:
        return refused(found, error, "resubmit", reason_form=form)
    return done(found, _("Claim marked corrected and resubmitted."))


@bp.route("/<int:claim_id>/appeal", methods=["POST"])
@roles_required(*STAFF)
def appeal(claim_id):
    found = load_claim(claim_id)
    form = ReasonForm()
    if not form.validate_on_submit():
        return claim_page(found, 422, "appeal", reason_form=form)
    try:
        actions.appeal(found, g.user, today(), form.reason.data)
    except (IllegalClaimTransition, ClaimError) as error:
        return refused(found, error, "appeal", reason_form=form)
    return done(found, _("Claim marked appealed."))


@bp.route("/<int:claim_id>/reverse", methods=["POST"])
@roles_required(*STAFF)
def reverse(claim_id):
    found = load_claim(claim_id)
    form = ReasonForm()
    if not form.validate_on_submit():
        return claim_page(found, 422, "reverse", reason_form=form)
    try:
        actions.reverse(found, g.user, f"reversed: {form.reason.data.strip()}")
    except (IllegalClaimTransition, ClaimError) as error:
        return refused(found, error, "reverse", reason_form=form)
    return done(found, _("Claim reversed. Send the reversal (B2) in the payer's portal."))


@bp.route("/<int:claim_id>/rebill", methods=["POST"])
@roles_required(*STAFF)
def rebill(claim_id):
    """B3: a paid claim corrected in one step (reversed, and billed again as a new claim)."""
    found = load_claim(claim_id)
    form = rebill_form(found)
    if not form.validate_on_submit():
        return claim_page(found, 422, "rebill", rebill_form=form)
    try:
        new = actions.rebill(found, g.user, today(), form.reason.data, **form.corrections())
    except (IllegalClaimTransition, ClaimError) as error:
        return refused(found, error, "rebill", rebill_form=form)
    flash(
        _(
            "Claim %(claim_reference)s reversed and billed again for %(billed)s: this is the new "
            "claim, marked submitted. Send the rebill (B3) in the payer's portal, then record its "
            "response here.",
            claim_reference=found.claim_reference,
            billed=format_money(new.billed),
        ),
        "success",
    )
    return redirect(url_for("claims.claim", claim_id=new.id))


@bp.route("/<int:claim_id>/secondary", methods=["POST"])
@roles_required(*STAFF)
def bill_secondary(claim_id):
    found = load_claim(claim_id)
    form = SecondaryForm()
    allowed = {str(c.id): c for c in actions.secondary_coverages(found)}
    form.coverage.choices = choices((key, key) for key in allowed)
    if not form.validate_on_submit():
        return claim_page(found, 422, "secondary", secondary_form=form)
    try:
        secondary = actions.bill_secondary(found, g.user, allowed[form.coverage.data])
    except (IllegalClaimTransition, ClaimError) as error:
        return refused(found, error, "secondary")
    flash(
        _(
            "Secondary claim %(claim_reference)s opened for %(balance)s with other coverage code "
            "%(other_coverage_code)s.",
            claim_reference=secondary.claim_reference,
            balance=format_money(secondary.balance),
            other_coverage_code=secondary.other_coverage_code,
        ),
        "success",
    )
    return redirect(url_for("claims.claim", claim_id=secondary.id))


@bp.route("/<int:claim_id>/follow-up", methods=["POST"])
@roles_required(*STAFF)
def follow_up(claim_id):
    found = load_claim(claim_id)
    form = FollowUpForm()
    form.assigned_to.choices = _staff_choices()
    if not form.validate_on_submit():
        return claim_page(found, 422, "follow-up", follow_up_form=form)
    assignee_id = as_id(form.assigned_to.data)
    assignee = User.get_or_none(User.id == assignee_id) if assignee_id is not None else None
    with write_transaction():
        if form.follow_up_on.data != found.follow_up_on:
            actions.set_follow_up(found, g.user, form.follow_up_on.data)
        if (assignee.id if assignee else None) != found.assigned_to_id:
            actions.assign(found, g.user, assignee)
    return done(found, _("Follow-up saved."))


@bp.route("/<int:claim_id>/note", methods=["POST"])
@roles_required(*STAFF)
def add_note(claim_id):
    found = load_claim(claim_id)
    form = NoteForm()
    if not form.validate_on_submit():
        return claim_page(found, 422, "note", note_form=form)
    actions.add_note(found, g.user, form.note.data)
    return done(found, _("Note added."))


@bp.route("/<int:claim_id>/prior-authorization", methods=["POST"])
@roles_required(*STAFF)
def start_pa(claim_id):
    found = load_claim(claim_id)
    form = PriorAuthForm()
    if not form.validate_on_submit():
        return claim_page(found, 422, "pa", pa_form=form)
    try:
        PriorAuthorization.start(
            found,
            g.user,
            requested_on=form.requested_on.data,
            prescriber_contacted=form.prescriber_contacted.data,
            notes=form.notes.data or "",
            follow_up_on=form.follow_up_on.data,
        )
    except ClaimError as error:
        return refused(found, error, "pa", pa_form=form)
    return done(found, _("Prior authorization started; it is tracked on this claim."))


@bp.route("/prior-authorizations/<int:pa_id>", methods=["POST"])
@roles_required(*STAFF)
def update_pa(pa_id):
    pa = get_object_or_404(PriorAuthorization.select().where(PriorAuthorization.id == pa_id))
    form = PriorAuthUpdateForm()
    if not form.validate_on_submit():
        return claim_page(pa.claim, 422, "pa-update", pa_forms={pa.id: form})
    try:
        pa.revise(
            g.user,
            status=form.status.data,
            pa_number=form.pa_number.data or "",
            approved_on=form.approved_on.data,
            expires_on=form.expires_on.data,
            notes=form.notes.data or "",
        )
    except ClaimError as error:
        return refused(pa.claim, error, "pa-update", pa_forms={pa.id: form})
    return done(pa.claim, _("Prior authorization updated."))


@bp.route("/fills/<int:fill_id>/bill", methods=["POST"])
@roles_required(*STAFF)
def bill_fill(fill_id):
    """ "Bill insurance" on a fill: a draft claim on the patient's primary coverage in effect
    on the date of service, with the billed split from the product or the compound."""
    fill = get_object_or_404(Fill.select().where(Fill.id == fill_id))
    if not EmptyForm().validate_on_submit():
        abort(400)
    served = fill.filled_on or today()
    coverages = Coverage.billable_for(fill.patient_id, served)
    if not coverages:
        flash(
            _(
                "%(full_name)s has no coverage in effect on %(served)s; add it on the patient's "
                "record, or the fill is cash.",
                full_name=fill.patient.full_name,
                served=served.strftime("%m/%d/%Y"),
            ),
            "error",
        )
        return redirect(url_for("prescriptions.fill_detail", fill_id=fill.id))
    try:
        claim = Claim.open_for_fill(fill, coverages[0], user=g.user, date_of_service=served)
    except (ClaimError, ValueError) as error:
        flash(str(error), "error")
        return redirect(url_for("prescriptions.fill_detail", fill_id=fill.id))
    flash(
        _(
            "Claim %(claim_reference)s opened for %(billed)s to %(name)s. Submit it in the payer's "
            "portal, then record the response here.",
            claim_reference=claim.claim_reference,
            billed=format_money(claim.billed),
            name=claim.payer.name,
        ),
        "success",
    )
    return redirect(url_for("claims.claim", claim_id=claim.id))


STATE_BADGES = {
    ClaimState.PAID.value: "ok",
    ClaimState.REJECTED.value: "bad",
    ClaimState.PARTIALLY_PAID.value: "warn",
    ClaimState.WRITTEN_OFF.value: "bad",
    ClaimState.REVERSED.value: "warn",
}


@bp.app_template_filter("claim_badge")
def claim_badge(state: str) -> str:
    return STATE_BADGES.get(state, "")
