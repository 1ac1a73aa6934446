"""Payers: the plans and processors the pharmacy bills (managers keep the list)."""

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from playhouse.flask_utils import get_object_or_404

from portal.audit import log as audit
from portal.foundation.access import roles_required
from portal.foundation.db import write_transaction
from portal.patients import bp
from portal.patients.forms import PayerForm
from portal.patients.models import Payer

PAYER_ROLES = ("manager", "admin")


@bp.route("/payers/")
@roles_required(*PAYER_ROLES)
def payers():
    rows = Payer.select().order_by(Payer.active.desc(), Payer.name)
    return render_template("patients/payers.html", payers=rows)


@bp.route("/payers/new", methods=["GET", "POST"])
@roles_required(*PAYER_ROLES)
def new_payer():
    form = PayerForm()
    if form.validate_on_submit():
        with write_transaction():
            payer = Payer.create(**form.values())
            audit.record("create", "payer", payer.id, after=audit.snapshot(payer))
        flash(_("Payer %(name)s added.", name=payer.name), "success")
        return redirect(url_for("patients.payers"))
    return render_template("patients/payer_form.html", form=form, payer=None)


@bp.route("/payers/<int:payer_id>/edit", methods=["GET", "POST"])
@roles_required(*PAYER_ROLES)
def edit_payer(payer_id: int):
    payer = get_object_or_404(Payer, Payer.id == payer_id)
    form = PayerForm(obj=payer, payer_id=payer.id)
    if form.validate_on_submit():
        with write_transaction():
            before = audit.snapshot(payer)
            for name, value in form.values().items():
                setattr(payer, name, value)
            payer.save()
            audit.record("update", "payer", payer.id, before=before, after=audit.snapshot(payer))
        flash(_("Payer %(name)s saved.", name=payer.name), "success")
        return redirect(url_for("patients.payers"))
    return render_template("patients/payer_form.html", form=form, payer=payer)
