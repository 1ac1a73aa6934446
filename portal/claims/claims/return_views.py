"""Return to stock: the ready fills nobody picked up, and putting one back."""

from flask import flash, g, redirect, render_template, url_for
from flask_babel import gettext as _
from playhouse.flask_utils import get_object_or_404

from portal.claims import STAFF, bp
from portal.claims import settings as claim_settings
from portal.claims.claims.forms import ReasonForm
from portal.claims.claims.models import Claim, ClaimError
from portal.claims.claims.returns import not_picked_up, return_to_stock
from portal.foundation.access import roles_required
from portal.foundation.dates import today
from portal.prescriptions.fills.models import Fill, WorkflowError
from portal.prescriptions.fills.workflow import IllegalTransition


def _page(forms=None, status=200):
    days = claim_settings.return_to_stock_days()
    fills = list(not_picked_up(today(), days))
    claims = {}
    for claim in Claim.select().where(Claim.fill.in_([f.id for f in fills] or [0])):
        claims.setdefault(claim.fill_id, []).append(claim)
    forms = forms or {}
    for fill in fills:
        forms.setdefault(fill.id, ReasonForm(formdata=None, prefix=f"fill{fill.id}"))
    return (
        render_template("claims/returns.html", fills=fills, days=days, claims=claims, forms=forms),
        status,
    )


@bp.route("/returns")
@roles_required(*STAFF)
def returns():
    return _page()


@bp.route("/returns/<int:fill_id>", methods=["POST"])
@roles_required(*STAFF)
def return_fill(fill_id):
    fill = get_object_or_404(Fill.select().where(Fill.id == fill_id))
    form = ReasonForm(prefix=f"fill{fill.id}")
    if form.validate_on_submit():
        try:
            reversed_claims = return_to_stock(fill, g.user, form.reason.data)
        except (ClaimError, IllegalTransition, WorkflowError) as error:
            form.reason.errors = [_(str(error))]
        else:
            rx_number = fill.prescription.rx_number
            if reversed_claims:
                words = _(
                    "Rx %(rx_number)s returned to stock; reversed %(claims)s.",
                    rx_number=rx_number,
                    claims=", ".join(c.claim_reference for c in reversed_claims),
                )
            else:
                words = _("Rx %(rx_number)s returned to stock.", rx_number=rx_number)
            flash(words, "success")
            return redirect(url_for("claims.returns"))
    return _page({fill.id: form}, 422)
