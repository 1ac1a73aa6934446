"""The pharmacy's compounding settings: weighing tolerance, BUD table, cleaning, balances."""

from decimal import Decimal

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_wtf import FlaskForm
from wtforms import RadioField
from wtforms.validators import InputRequired, NumberRange, ValidationError

from portal.compounding import bp
from portal.compounding import settings as compounding_settings
from portal.compounding.fields import AmountField
from portal.foundation import settings
from portal.foundation.access import roles_required
from portal.foundation.db import write_transaction
from portal.foundation.forms import BoundedIntegerField, choices
from portal.foundation.i18n import lazy_gettext as _l


class CompoundingSettingsForm(FlaskForm):
    weighing_tolerance = BoundedIntegerField(
        _l("Default weighing tolerance (± %)"),
        validators=[
            InputRequired(message=_l("Give the tolerance.")),
            NumberRange(min=1, max=20, message=_l("Between 1%% and 20%%.")),
        ],
    )
    bud_table = RadioField(
        _l("Beyond-use date table"),
        choices=choices(settings.DEFINITIONS["compounding.bud_table"].choices),
    )
    cleaning_interval = BoundedIntegerField(
        _l("Clean the work surfaces at least every (days)"),
        validators=[
            InputRequired(message=_l("Give the interval.")),
            NumberRange(min=1, max=30, message=_l("Between 1 and 30 days.")),
        ],
    )
    balance_tolerance = AmountField(
        _l("Balance check tolerance (± % of the standard weight)"),
        validators=[InputRequired(message=_l("Give the balance tolerance."))],
    )

    def validate_balance_tolerance(self, field):
        if field.data is not None and not Decimal("0.01") <= field.data <= Decimal(1):
            raise ValidationError(_("Between 0.01% and 1%."))


@bp.route("/settings", methods=["GET", "POST"])
@roles_required("pharmacist", "admin")
def compounding_settings_page():
    form = CompoundingSettingsForm(
        data={
            "weighing_tolerance": int(compounding_settings.weighing_tolerance()),
            "bud_table": compounding_settings.bud_table(),
            "cleaning_interval": compounding_settings.cleaning_interval_days(),
            "balance_tolerance": compounding_settings.balance_tolerance(),
        }
    )
    if form.validate_on_submit():
        with write_transaction():
            settings.put("compounding.weighing_tolerance_percent", form.weighing_tolerance.data)
            settings.put("compounding.bud_table", form.bud_table.data)
            settings.put("compounding.cleaning_interval_days", form.cleaning_interval.data)
            settings.put(
                "compounding.balance_tolerance_percent",
                format(form.balance_tolerance.data.normalize(), "f"),
            )
        flash(_("Compounding settings saved."), "success")
        return redirect(url_for("compounding.compounding_settings_page"))
    return render_template(
        "compounding/settings.html", form=form, section="compounding.compounding_settings_page"
    )
