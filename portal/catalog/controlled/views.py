"""Controlled-substance records pages: the index, a product's or ingredient's perpetual
inventory with counts, C-II orders and their receiving, and loss and destruction reports."""

from flask import abort, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from playhouse.flask_utils import get_object_or_404

from portal.catalog import INVENTORY_ROLES, bp
from portal.catalog.controlled import ledger, records
from portal.catalog.controlled.forms import CountForm, LossForm, OrderForm, ReceiveLineForm
from portal.catalog.controlled.models import (
    ControlledOrder,
    ControlledOrderLine,
    CountCheck,
    LossReport,
)
from portal.catalog.models import Ingredient, Product
from portal.catalog.stock.models import Lot
from portal.foundation.access import roles_required
from portal.foundation.dates import today
from portal.foundation.digits import as_id
from portal.foundation.forms import choices

KINDS = {"products": Product, "ingredients": Ingredient}


@bp.route("/controlled")
@roles_required(*INVENTORY_ROLES)
def controlled():
    """Controlled items, C-II orders and loss reports."""
    products, ingredients = ledger.controlled_items()
    return render_template(
        "catalog/controlled/index.html",
        products=products,
        ingredients=ingredients,
        orders=list(ControlledOrder.select().order_by(ControlledOrder.id.desc()).limit(50)),
        losses=list(LossReport.select().order_by(LossReport.id.desc()).limit(50)),
    )


def _controlled_item(kind: str, item_id: int):
    model = KINDS.get(kind) or abort(404)
    item = get_object_or_404(model, model.id == item_id)
    if not item.schedule:
        abort(404)
    return item


def _lot_choices(item) -> list:
    lots = list(Lot.of_item(item))
    return choices(
        [
            (
                str(lot.id),
                _(
                    "Lot %(lot_number)s — %(on_hand_text)s on file",
                    lot_number=lot.lot_number,
                    on_hand_text=lot.on_hand_text,
                ),
            )
            for lot in lots
        ]
    )


@bp.route("/controlled/<kind>/<int:item_id>", methods=["GET", "POST"])
@roles_required(*INVENTORY_ROLES)
def perpetual_inventory(kind: str, item_id: int):
    """Every movement with the running balance; a count compared with it."""
    item = _controlled_item(kind, item_id)
    form = CountForm()
    form.lot_id.choices = _lot_choices(item)
    status = 200
    if form.validate_on_submit():
        lot = Lot.get_or_none((Lot.id == as_id(form.lot_id.data)) & Lot.item_condition(item))
        try:
            if lot is None:
                raise records.RecordRefused(_("Choose the lot you counted."))
            check = records.record_count(
                lot, g.user, counted=form.counted.value, explanation=form.explanation.data or ""
            )
        except records.RecordRefused as refused:
            form.counted.errors = [*form.counted.errors, _(str(refused))]
            status = 422
        else:
            if check.movement_id is None:
                words = _("Count of lot %(lot)s recorded; it matches.", lot=lot.lot_number)
            else:
                words = _(
                    "Count of lot %(lot)s recorded; it differs: adjusted.", lot=lot.lot_number
                )
            flash(words, "success")
            return redirect(url_for("catalog.perpetual_inventory", kind=kind, item_id=item.id))
    elif request.method == "POST":
        status = 422
    found = ledger.page(item, as_id(request.args.get("before")))
    counts = list(
        CountCheck.select(CountCheck, Lot)
        .join(Lot)
        .where(Lot.item_condition(item))
        .order_by(CountCheck.id.desc())
        .limit(10)
    )
    return render_template(
        "catalog/controlled/perpetual.html",
        item=item,
        kind=kind,
        page=found,
        form=form,
        counts=counts,
    ), status


def _c2_products():
    return list(Product.select().where(Product.schedule == "2").order_by(Product.name))


@bp.route("/controlled/orders/new", methods=["GET", "POST"])
@roles_required(*INVENTORY_ROLES)
def new_controlled_order():
    """A C-II order as written on the DEA Form 222 or the CSOS order."""
    form = OrderForm()
    products = _c2_products()
    for line in form.lines:
        line.product_id.choices = choices(
            [("", "—"), *[(str(p.id), p.description) for p in products]]
        )
    if request.method == "GET":
        form.ordered_on.process_data(today())
    status = 200
    if form.validate_on_submit():
        by_id = {p.id: p for p in products}
        lines = [
            (by_id[as_id(line.product_id.data)], line.quantity.value)
            for line in form.lines
            if as_id(line.product_id.data) in by_id and line.quantity.value
        ]
        try:
            order = records.create_order(
                g.user,
                order_form=form.order_form.data,
                order_number=form.order_number.data,
                supplier=form.supplier.data,
                supplier_dea=form.supplier_dea.data,
                ordered_on=form.ordered_on.date,
                lines=lines,
            )
        except records.RecordRefused as refused:
            form.order_number.errors = [*form.order_number.errors, _(str(refused))]
            status = 422
        else:
            flash(
                _(
                    "%(document)s recorded: receive each line as it arrives.",
                    document=order.document,
                ),
                "success",
            )
            return redirect(url_for("catalog.controlled_order", order_id=order.id))
    elif request.method == "POST":
        status = 422
    return render_template("catalog/controlled/order_new.html", form=form), status


@bp.route("/controlled/orders/<int:order_id>", methods=["GET", "POST"])
@roles_required(*INVENTORY_ROLES)
def controlled_order(order_id: int):
    """The order's lines, what has been received of each, and receiving the next."""
    order = get_object_or_404(ControlledOrder, ControlledOrder.id == order_id)
    line_id = as_id(request.form.get("line_id")) if request.method == "POST" else None
    form = ReceiveLineForm()
    status = 200
    if request.method == "GET":
        form.received_on.process_data(today())
    elif form.validate_on_submit():
        line = ControlledOrderLine.get_or_none(
            (ControlledOrderLine.id == line_id) & (ControlledOrderLine.order == order)
        ) or abort(404)
        try:
            records.receive_line(
                line,
                g.user,
                quantity=form.quantity.value,
                lot_number=form.lot_number.data,
                expires_on=form.expires_on.date,
                received_on=form.received_on.date,
            )
        except records.RecordRefused as refused:
            form.quantity.errors = [*form.quantity.errors, _(str(refused))]
            status = 422
        else:
            flash(
                _(
                    "Line %(line_number)s received into lot %(lot)s.",
                    line_number=line.line_number,
                    lot=form.lot_number.data,
                ),
                "success",
            )
            return redirect(url_for("catalog.controlled_order", order_id=order.id))
    else:
        status = 422
    return render_template(
        "catalog/controlled/order.html",
        order=order,
        lines=list(order.lines.order_by(ControlledOrderLine.line_number)),
        form=form,
        line_id=line_id,
    ), status


@bp.route("/controlled/losses/new", methods=["GET", "POST"])
@roles_required(*INVENTORY_ROLES)
def new_loss_report():
    """A theft or loss (DEA Form 106 data) or a destruction (DEA Form 41 data)."""
    form = LossForm()
    lots = list(
        Lot.select()
        .join(Product)
        .where(Product.schedule.is_null(False) & (Lot.quantity_on_hand > 0))
        .order_by(Product.name, Lot.lot_number)
    )
    form.lot_id.choices = choices(
        [
            (
                str(lot.id),
                _(
                    "%(description)s — lot %(lot_number)s (%(on_hand_text)s)",
                    description=lot.product.description,
                    lot_number=lot.lot_number,
                    on_hand_text=lot.on_hand_text,
                ),
            )
            for lot in lots
        ]
    )
    if request.method == "GET":
        form.happened_on.process_data(today())
    status = 200
    if form.validate_on_submit():
        lot = next((lot for lot in lots if str(lot.id) == form.lot_id.data), None)
        try:
            if lot is None:
                raise records.RecordRefused(_("Choose the lot."))
            report = records.report_loss(
                g.user,
                kind=form.kind.data,
                lot=lot,
                quantity=form.quantity.value,
                happened_on=form.happened_on.date,
                circumstances=form.circumstances.data or "",
                loss_kind=form.loss_kind.data or "",
                police_report=form.police_report.data or "",
                method=form.method.data or "",
                witnesses=form.witnesses.data or "",
            )
        except records.RecordRefused as refused:
            form.circumstances.errors = [*form.circumstances.errors, _(str(refused))]
            status = 422
        else:
            flash(
                _(
                    "%(form_name)s data recorded; file the form with the DEA.",
                    form_name=report.form_name,
                ),
                "success",
            )
            return redirect(url_for("catalog.controlled"))
    elif request.method == "POST":
        status = 422
    return render_template("catalog/controlled/loss_new.html", form=form), status
