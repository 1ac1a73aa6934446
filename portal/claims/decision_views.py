"""A manager's decisions on a claim: writing the balance off, billing it to the patient.

Technicians and pharmacists work the claim queue at the shared counter, so these routes let
all claim staff in. Without the manager role the form asks, inline, for a manager's PIN or
badge (portal.auth.cosign); the move is then recorded as the manager's, at this terminal,
and the claim's history and the audit trail say who co-signed it.
"""

from flask import g

from portal.auth import cosign
from portal.auth.access import roles_required
from portal.claims import STAFF, actions, lifecycle
from portal.claims.forms import PatientBillForm, ReasonForm
from portal.claims.lifecycle import ClaimState, IllegalClaimTransition
from portal.claims.models import ClaimError
from portal.claims.views import bp, claim_page, done, load_claim, refused
from portal.db import write_transaction


@bp.route("/<int:claim_id>/write-off", methods=["POST"])
@roles_required(*STAFF)
def write_off(claim_id):
    found = load_claim(claim_id)
    form = ReasonForm()
    if not form.validate_on_submit():
        return claim_page(found, 422, "write-off", reason_form=form)
    return _decide(
        found,
        ClaimState.WRITTEN_OFF,
        "write-off",
        {"reason_form": form},
        lambda manager: actions.write_off(found, manager, form.reason.data),
        "Balance written off",
    )


@bp.route("/<int:claim_id>/bill-patient", methods=["POST"])
@roles_required(*STAFF)
def bill_patient(claim_id):
    found = load_claim(claim_id)
    form = PatientBillForm()
    if not form.validate_on_submit():
        return claim_page(found, 422, "bill-patient", patient_bill_form=form)
    return _decide(
        found,
        ClaimState.BILLED_PATIENT,
        "bill-patient",
        {"patient_bill_form": form},
        lambda manager: actions.bill_patient(found, manager, form.bill_note.data or ""),
        "Balance billed to the patient",
    )


def _decide(claim, target: ClaimState, action: str, forms: dict, decide, message: str):
    """Make the manager's move, asking for a manager's PIN when the acting user is not one."""
    try:
        # A move the claim cannot make is refused before anyone is asked for a PIN.
        lifecycle.check_move(claim.state, target, is_manager=True)
    except IllegalClaimTransition as error:
        return refused(claim, error, action, **forms)
    signoff = cosign.require_role("manager")
    if not signoff:
        return claim_page(claim, 422, action, asking=action, **forms)
    try:
        with write_transaction(), signoff:
            decide(signoff.signer)
    except (IllegalClaimTransition, ClaimError) as error:
        g.cosign = None  # the manager did sign; the refusal is about the claim
        return refused(claim, error, action, **forms)
    by = f" by {signoff.signer.full_name}" if signoff.cosigned else ""
    return done(claim, f"{message}{by}.")
