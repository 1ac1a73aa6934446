"""Lab logs: cleaning of the compounding area and equipment, balance verification."""

from flask import flash, g, redirect, render_template, url_for
from flask_babel import gettext as _

from portal.audit import log as audit
from portal.compounding import STAFF, bp
from portal.compounding import settings as compounding_settings
from portal.compounding.calculations.working import show
from portal.compounding.lab.forms import CLEANING_AGENTS, BalanceCheckForm, CleaningForm
from portal.compounding.lab.models import BalanceCheck, CleaningLog
from portal.foundation.access import roles_required
from portal.foundation.db import write_transaction


def _lab_page(cleaning_form=None, balance_form=None, status=200):
    return (
        render_template(
            "compounding/lab.html",
            cleaning_form=cleaning_form or CleaningForm(formdata=None, prefix="cleaning"),
            balance_form=balance_form or BalanceCheckForm(formdata=None, prefix="balance"),
            cleaning_agents=[_(agent) for agent in CLEANING_AGENTS],
            cleanings=CleaningLog.recent(30),
            balance_checks=BalanceCheck.recent(30),
            balance_tolerance=compounding_settings.balance_tolerance(),
        ),
        status,
    )


@bp.route("/lab")
@roles_required(*STAFF)
def lab():
    return _lab_page()


@bp.route("/lab/cleaning", methods=["POST"])
@roles_required(*STAFF)
def record_cleaning():
    form = CleaningForm(prefix="cleaning")
    if not form.validate_on_submit():
        return _lab_page(cleaning_form=form, status=422)
    with write_transaction():
        entry = CleaningLog.create(
            target=form.target.data,
            equipment=(form.equipment.data or "").strip()
            if form.target.data == "equipment"
            else "",
            agent=form.agent.data.strip(),
            notes=(form.notes.data or "").strip(),
            cleaned_by=g.user,
        )
        audit.record("create", "cleaning_log", entry.id, after=audit.snapshot(entry))
    flash(
        _("Cleaning recorded: %(what)s, with %(agent)s.", what=entry.what, agent=entry.agent),
        "success",
    )
    return redirect(url_for("compounding.lab"))


@bp.route("/lab/balance", methods=["POST"])
@roles_required(*STAFF)
def record_balance_check():
    form = BalanceCheckForm(prefix="balance")
    if not form.validate_on_submit():
        return _lab_page(balance_form=form, status=422)
    with write_transaction():
        check = BalanceCheck.build(
            balance=form.balance.data,
            standard_weight=form.standard_weight.data,
            unit=form.unit.data,
            reading=form.reading.data,
            tolerance_percent=compounding_settings.balance_tolerance(),
            checked_by=g.user,
            notes=(form.notes.data or "").strip(),
        )
        check.save()
        audit.record("create", "balance_check", check.id, after=audit.snapshot(check))
    reading = _(
        "%(reading)s %(unit)s for %(standard_weight)s %(unit)s",
        reading=show(check.reading),
        unit=check.unit,
        standard_weight=show(check.standard_weight),
    )
    if check.within_tolerance:
        flash(
            _("Balance %(balance)s passed: %(reading)s.", balance=check.balance, reading=reading),
            "success",
        )
    else:
        flash(
            _(
                "Balance %(balance)s FAILED: %(reading)s is %(deviation_percent)s%% off, outside "
                "±%(tolerance_percent)s%%. Do not weigh on it until it is recalibrated or "
                "serviced.",
                balance=check.balance,
                reading=reading,
                deviation_percent=show(check.deviation_percent),
                tolerance_percent=show(check.tolerance_percent),
            ),
            "error",
        )
    return redirect(url_for("compounding.lab"))
