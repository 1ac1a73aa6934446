"""The pharmacy's claim settings: default fees, follow-up timing, its own reject codes."""

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_wtf import FlaskForm
from wtforms import TextAreaField
from wtforms.validators import InputRequired, NumberRange, ValidationError

from portal.claims import bp
from portal.claims import settings as claim_settings
from portal.claims.claims.forms import MoneyInput
from portal.claims.claims.reject_codes import RejectCodeError, standard_reject_codes
from portal.foundation import settings
from portal.foundation.access import roles_required
from portal.foundation.db import write_transaction
from portal.foundation.forms import BoundedIntegerField
from portal.foundation.i18n import lazy_gettext as _l


class ClaimSettingsForm(FlaskForm):
    dispensing_fee = MoneyInput(
        _l("Dispensing fee billed per claim"), validators=[InputRequired(_l("Give the fee."))]
    )
    compounding_fee = MoneyInput(
        _l("Compounding fee billed per compound claim"),
        validators=[InputRequired(_l("Give the fee."))],
    )
    follow_up_days = BoundedIntegerField(
        _l("Follow up a resubmitted or appealed claim after (days)"),
        validators=[
            InputRequired(_l("Give the number of days.")),
            NumberRange(min=1, max=60, message=_l("Between 1 and 60 days.")),
        ],
    )
    return_to_stock_days = BoundedIntegerField(
        _l("List a ready fill to return to stock when not picked up after (days)"),
        validators=[
            InputRequired(_l("Give the number of days.")),
            NumberRange(min=1, max=60, message=_l("Between 1 and 60 days.")),
        ],
    )
    extra_reject_codes = TextAreaField(_l("The pharmacy's own reject codes"))

    def validate_extra_reject_codes(self, field):
        try:
            claim_settings.table_with(field.data or "")
        except RejectCodeError as error:
            raise ValidationError(_(str(error))) from None


@bp.route("/settings", methods=["GET", "POST"])
@roles_required("manager", "admin")
def claim_settings_page():
    form = ClaimSettingsForm(
        data={
            "dispensing_fee": claim_settings.dispensing_fee(),
            "compounding_fee": claim_settings.compounding_fee(),
            "follow_up_days": claim_settings.follow_up_days(),
            "return_to_stock_days": claim_settings.return_to_stock_days(),
            "extra_reject_codes": settings.get("claims.extra_reject_codes"),
        }
    )
    if form.validate_on_submit():
        with write_transaction():
            settings.put("claims.dispensing_fee", str(form.dispensing_fee.data))
            settings.put("claims.compounding_fee", str(form.compounding_fee.data))
            settings.put("claims.follow_up_days", form.follow_up_days.data)
            settings.put("claims.return_to_stock_days", form.return_to_stock_days.data)
            settings.put("claims.extra_reject_codes", (form.extra_reject_codes.data or "").strip())
        flash(_("Claim settings saved."), "success")
        return redirect(url_for("claims.claim_settings_page"))
    return render_template(
        "claims/settings.html",
        form=form,
        standard_codes=standard_reject_codes().values(),
        section="claims.claim_settings_page",
    )
