"""Biennial inventory pages: start a count session, enter the counts, sign, print."""

from decimal import Decimal, InvalidOperation

from flask import abort, flash, g, make_response, redirect, render_template, request, url_for
from flask_babel import gettext as _
from playhouse.flask_utils import get_object_or_404

from portal.audit import log as audit
from portal.catalog import INVENTORY_ROLES, bp
from portal.catalog.controlled import biennial, rules
from portal.catalog.controlled.biennial import BiennialInventory, BiennialLine
from portal.foundation.access import roles_required
from portal.foundation.dates import parse_date, today
from portal.foundation.db import write_transaction
from portal.foundation.forms import EmptyForm
from portal.pharmacy.models import Pharmacy


@bp.route("/controlled/biennial", methods=["GET", "POST"])
@roles_required(*INVENTORY_ROLES)
def biennial_list():
    """Past inventories, and starting a new one (a pharmacist)."""
    form, problem = EmptyForm(), ""
    day_text = (request.form.get("taken_on") or today().strftime("%m/%d/%Y"))[:20]
    hours = request.form.get("business_hours", "close")
    if request.method == "POST" and form.validate_on_submit():
        try:
            taken_on = parse_date(day_text)
            inventory = biennial.start(g.user, taken_on=taken_on, business_hours=hours)
        except (ValueError, biennial.InventoryRefused) as refused:
            problem = _(str(refused))
        else:
            return redirect(url_for("catalog.biennial_inventory", inventory_id=inventory.id))
    inventories = list(BiennialInventory.select().order_by(BiennialInventory.id.desc()))
    return render_template(
        "catalog/controlled/biennial_list.html",
        form=form,
        inventories=inventories,
        day_text=day_text,
        hours=hours,
        hours_choices=rules.BUSINESS_HOURS,
        problem=problem,
    ), (422 if problem else 200)


def _counts(inventory, lines) -> list[str]:
    """Save every count typed; the problems, line by line, in words."""
    problems = []
    for line in lines:
        text = (request.form.get(f"count-{line.id}") or "").strip().replace(",", "")
        if not text:
            continue
        try:
            quantity = Decimal(text)
            if not quantity.is_finite():
                raise InvalidOperation
            biennial.record(line, g.user, quantity=quantity)
        except (InvalidOperation, biennial.InventoryRefused) as refused:
            words = (
                _(str(refused))
                if isinstance(refused, biennial.InventoryRefused)
                else _("enter a number")
            )
            problems.append(f"{line.description}: {words}")
    return problems


@bp.route("/controlled/biennial/<int:inventory_id>", methods=["GET", "POST"])
@roles_required(*INVENTORY_ROLES)
def biennial_inventory(inventory_id: int):
    """The lines to count; save the counts, or sign (locks it)."""
    inventory = get_object_or_404(BiennialInventory, BiennialInventory.id == inventory_id)
    lines = list(inventory.lines.order_by(BiennialLine.schedule, BiennialLine.description))
    form, problems = EmptyForm(), []
    if request.method == "POST":
        if not form.validate_on_submit():
            abort(400)
        problems = _counts(inventory, lines)
        if not problems and "sign" in request.form:
            try:
                biennial.sign(inventory, g.user)
            except biennial.InventoryRefused as refused:
                problems.append(str(refused))
            else:
                flash(
                    _("Biennial inventory signed and locked. Print it for the records."), "success"
                )
        if not problems:
            return redirect(url_for("catalog.biennial_inventory", inventory_id=inventory.id))
        lines = list(inventory.lines.order_by(BiennialLine.schedule, BiennialLine.description))
    return render_template(
        "catalog/controlled/biennial.html",
        inventory=BiennialInventory.get_by_id(inventory.id),
        lines=lines,
        form=form,
        problems=problems,
        typed=request.form,
    ), (422 if problems else 200)


@bp.route("/controlled/biennial/<int:inventory_id>.pdf")
@roles_required(*INVENTORY_ROLES)
def biennial_pdf(inventory_id: int):
    inventory = get_object_or_404(BiennialInventory, BiennialInventory.id == inventory_id)
    lines = list(inventory.lines.order_by(BiennialLine.schedule, BiennialLine.description))
    html = render_template(
        "catalog/controlled/biennial_pdf.html",
        inventory=inventory,
        lines=lines,
        pharmacy=Pharmacy.current(),
    )
    from weasyprint import HTML  # loaded on the first print, not at start (0.5-0.8 s)

    pdf = HTML(string=html).write_pdf()
    with write_transaction():
        audit.record("print", "biennial_inventory", inventory.id)
    response = make_response(pdf)
    response.headers["Content-Type"] = "application/pdf"
    response.headers["Content-Disposition"] = (
        f'inline; filename="biennial-inventory-{inventory.taken_on}.pdf"'
    )
    return response
