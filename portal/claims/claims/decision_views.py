"""A manager's decisions on a claim: writing the balance off, billing it to the patient.

Technicians and pharmacists work the claim queue at the shared counter, so these routes let
all claim staff in. Without the manager role the form asks, inline, for a manager's PIN or
badge (portal.auth.cosign); the move is then recorded as the manager's, at this terminal,
and the claim's history and the audit trail say who co-signed it.
"""

from flask import g
from flask_babel import gettext as _

from portal.auth import cosign
from portal.claims import STAFF, bp
from portal.claims.claims import actions, lifecycle
from portal.claims.claims.forms import PatientBillForm, ReasonForm
from portal.claims.claims.lifecycle import ClaimState, IllegalClaimTransition
from portal.claims.claims.models import ClaimError
from portal.claims.claims.views import claim_page, done, load_claim, refused
from portal.foundation.access import roles_required
from portal.foundation.db import write_transaction


@bp.route("/<int:claim_id>/write-off", methods=["POST"])
@roles_required(*STAFF)
def write_off(claim_id):
    form = ReasonForm()
    return _decide(
        load_claim(claim_id),
        to=ClaimState.WRITTEN_OFF,
        action="write-off",
        forms={"reason_form": form},
        decide=lambda claim, manager, cosigned: actions.write_off(
            claim, manager, form.reason.data, cosign_note=cosigned
        ),
        done_message=_("Balance written off"),
    )


@bp.route("/<int:claim_id>/bill-patient", methods=["POST"])
@roles_required(*STAFF)
def bill_patient(claim_id):
    form = PatientBillForm()
    return _decide(
        load_claim(claim_id),
        to=ClaimState.BILLED_PATIENT,
        action="bill-patient",
        forms={"patient_bill_form": form},
        decide=lambda claim, manager, cosigned: actions.bill_patient(
            claim, manager, form.bill_note.data or "", cosign_note=cosigned
        ),
        done_message=_("Balance billed to the patient"),
    )


def _decide(claim, *, to: ClaimState, action: str, forms: dict, decide, done_message: str):
    """Check the form (``forms``: its name on the claim page and itself), then make the
    manager's move, asking for a manager's PIN when the acting user is not one."""
    (submitted,) = forms.values()
    if not submitted.validate_on_submit():
        return claim_page(claim, 422, action, **forms)
    try:
        # A move the claim cannot make is refused before anyone is asked for a PIN.
        lifecycle.check_move(claim.status, to, is_manager=True)
    except IllegalClaimTransition as error:
        return refused(claim, error, action, **forms)
    signoff = cosign.require_role("manager")
    if not signoff:
        return claim_page(claim, 422, action, asking=action, **forms)
    try:
        with write_transaction(), signoff:
            decide(claim, signoff.signer, signoff.note)
    except (IllegalClaimTransition, ClaimError) as error:
        g.cosign = None  # the manager did sign; the refusal is about the claim
        return refused(claim, error, action, **forms)
    if signoff.cosigned:
        return done(
            claim, _("%(done)s by %(name)s.", done=done_message, name=signoff.signer.full_name)
        )
    return done(claim, _("%(done)s.", done=done_message))
