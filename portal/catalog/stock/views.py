"""Stock: receiving lots, a lot's movements, counts and corrections, and the lists that
say what to reorder, what expires soon and what has expired on the shelf."""

from flask import abort, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from peewee import IntegrityError
from playhouse.flask_utils import get_object_or_404

from portal.audit import log as audit
from portal.catalog import INVENTORY_ROLES, bp, safety
from portal.catalog.models import Ingredient, Product
from portal.catalog.stock.forms import CountForm, DestroyForm, LotForm, MoveForm, ReceiveForm
from portal.catalog.stock.models import (
    OVERRIDE_ROLES,
    Lot,
    StockError,
    StockMovement,
    low_stock,
    low_stock_count,
)
from portal.foundation.access import roles_required
from portal.foundation.dates import today
from portal.foundation.db import write_transaction
from portal.foundation.start_page import Line

# Recording destruction (and letting stock go below zero) takes a pharmacist or manager.
DESTROY_ROLES = OVERRIDE_ROLES
EXPIRING_DAYS_DEFAULT = 60


def _item(kind: str, item_id: int):
    model = {"products": Product, "ingredients": Ingredient}.get(kind)
    if model is None:
        abort(404)
    return get_object_or_404(model, model.id == item_id)


def _item_url(item) -> str:
    if isinstance(item, Product):
        return url_for("catalog.product", product_id=item.id)
    return url_for("catalog.ingredient", ingredient_id=item.id)


@bp.route("/products/<int:item_id>/receive", defaults={"kind": "products"}, methods=["GET", "POST"])
@bp.route(
    "/ingredients/<int:item_id>/receive", defaults={"kind": "ingredients"}, methods=["GET", "POST"]
)
@roles_required(*INVENTORY_ROLES)
def receive(kind: str, item_id: int):
    """Stock arriving: into a new lot, or more of a lot already on file."""
    item = _item(kind, item_id)
    form = ReceiveForm(item=item, today=today())
    if form.validate_on_submit():
        try:
            lot = Lot.receive(
                item,
                lot_number=form.lot_number.data,
                expires_on=form.expires_on.date,
                quantity=form.units_received(),
                received_on=form.received_on.date,
                supplier=form.supplier.data or "",
                note=form.note.data or "",
                user=g.user,
            )
        except StockError as error:
            form.lot_number.errors.append(_(str(error)) + ".")
        except IntegrityError:
            form.lot_number.errors.append(
                _("This lot was just received by someone else; try again.")
            )
        else:
            flash(
                _(
                    "Received into lot %(lot_number)s: now %(on_hand_text)s on hand.",
                    lot_number=lot.lot_number,
                    on_hand_text=lot.on_hand_text,
                ),
                "success",
            )
            return redirect(url_for("catalog.lot", lot_id=lot.id))
    return render_template("catalog/receive.html", form=form, item=item, item_url=_item_url(item))


def _lot_page(lot, move_form=None, count_form=None, status=200):
    lot = Lot.select().where(Lot.id == lot.id).get()  # fresh quantity after a failed attempt
    return (
        render_template(
            "catalog/lot.html",
            lot=lot,
            item=lot.item,
            item_url=_item_url(lot.item),
            movements=list(StockMovement.for_lot(lot)),
            move_form=move_form or MoveForm(formdata=None),
            count_form=count_form or CountForm(formdata=None),
            can_override=g.user.has_any_role(OVERRIDE_ROLES),
            can_destroy=g.user.has_any_role(DESTROY_ROLES),
            today=today(),
        ),
        status,
    )


@bp.route("/lots/<int:lot_id>")
@roles_required(*INVENTORY_ROLES)
def lot(lot_id: int):
    return _lot_page(get_object_or_404(Lot, Lot.id == lot_id))


@bp.route("/lots/<int:lot_id>/move", methods=["POST"])
@roles_required(*INVENTORY_ROLES)
def move(lot_id: int):
    """Take stock out of a lot or put it back, by hand."""
    lot = get_object_or_404(Lot, Lot.id == lot_id)
    form = MoveForm()
    if form.validate_on_submit():
        if form.allow_negative.data and not g.user.has_any_role(OVERRIDE_ROLES):
            form.quantity.errors.append(
                _("Only a pharmacist or manager may let stock go below zero.")
            )
            return _lot_page(lot, move_form=form)
        try:
            if form.reason.data == "returned":
                lot.add_back(form.quantity.value, user=g.user, note=form.note.data)
            else:
                lot.withdraw(
                    form.quantity.value,
                    form.reason.data,
                    user=g.user,
                    note=form.note.data,
                    allow_negative=bool(form.allow_negative.data),
                    override_reason=form.override_reason.data if form.allow_negative.data else None,
                )
        except StockError as error:
            form.quantity.errors.append(_(str(error)) + ".")
        else:
            flash(
                _(
                    "Recorded. Lot %(lot_number)s now has %(on_hand_text)s.",
                    lot_number=lot.lot_number,
                    on_hand_text=lot.on_hand_text,
                ),
                "success",
            )
            return redirect(url_for("catalog.lot", lot_id=lot.id))
    return _lot_page(lot, move_form=form)


@bp.route("/lots/<int:lot_id>/count", methods=["POST"])
@roles_required(*INVENTORY_ROLES)
def count(lot_id: int):
    """A physical count; the difference is recorded as an adjustment with its reason."""
    lot = get_object_or_404(Lot, Lot.id == lot_id)
    form = CountForm()
    if form.validate_on_submit():
        note = f"Counted {form.counted.data}: {form.note.data}"
        try:
            if lot.item.schedule:
                # Controlled stock: counted against the perpetual inventory, where a
                # discrepancy needs a pharmacist's explanation (catalog/controlled).
                raise StockError(
                    _(
                        "Count controlled stock on its perpetual inventory page (Inventory, "
                        "Controlled records), where a difference needs a pharmacist's explanation"
                    )
                )
            movement = lot.record_count(form.counted.value, note, user=g.user)
        except StockError as error:
            form.counted.errors.append(_(str(error)) + ".")
        else:
            if movement is None:
                flash(
                    _(
                        "The count matches: %(on_hand_text)s. Nothing to record.",
                        on_hand_text=lot.on_hand_text,
                    ),
                    "info",
                )
            else:
                flash(
                    _(
                        "Count recorded. Lot %(lot_number)s now has %(on_hand_text)s.",
                        lot_number=lot.lot_number,
                        on_hand_text=lot.on_hand_text,
                    ),
                    "success",
                )
            return redirect(url_for("catalog.lot", lot_id=lot.id))
    return _lot_page(lot, count_form=form)


@bp.route("/lots/<int:lot_id>/edit", methods=["GET", "POST"])
@roles_required(*INVENTORY_ROLES)
def edit_lot(lot_id: int):
    """Correct the lot number, expiry or supplier typed on receipt (audited); a new expiry
    needs a pharmacist and a reason (portal.catalog.safety)."""
    lot = get_object_or_404(Lot, Lot.id == lot_id)
    form = LotForm(obj=lot)
    if form.validate_on_submit():
        changed = safety.changed_facts("lot", lot, {"expires_on": form.expires_on.date})
        signoff = safety.approval(form, changed)
        if signoff:
            try:
                with write_transaction(), signoff:
                    before = audit.snapshot(lot)
                    lot.lot_number = form.lot_number.data
                    lot.expires_on = form.expires_on.date
                    lot.supplier = form.supplier.data or ""
                    lot.notes = form.notes.data or ""
                    lot.save()
                    after = audit.snapshot(lot)
                    note = safety.note(form, changed)
                    audit.record("update", "lot", lot.id, before=before, after=after, note=note)
            except IntegrityError:
                form.lot_number.errors.append(
                    _("Another lot of this item already has this number.")
                )
            else:
                flash(_("Lot details saved."), "success")
                return redirect(url_for("catalog.lot", lot_id=lot.id))
    return render_template("catalog/lot_form.html", form=form, lot=lot, item=lot.item)


@bp.route("/lots/<int:lot_id>/destroy", methods=["GET", "POST"])
@roles_required(*DESTROY_ROLES)
def destroy(lot_id: int):
    """Record that everything left in a lot was destroyed (or sent to a reverse distributor)."""
    lot = get_object_or_404(Lot, Lot.id == lot_id)
    form = DestroyForm()
    if form.validate_on_submit():
        try:
            lot.remove_all("destroyed", form.note.data, user=g.user)
        except StockError as error:
            form.note.errors.append(_(str(error)) + ".")
        else:
            flash(
                _("Destruction of lot %(lot_number)s recorded.", lot_number=lot.lot_number),
                "success",
            )
            if request.args.get("back") == "expired":
                return redirect(url_for("catalog.expired"))
            return redirect(url_for("catalog.lot", lot_id=lot.id))
    return render_template("catalog/destroy.html", form=form, lot=lot, item=lot.item, today=today())


# ---- lists -------------------------------------------------------------------------------


@bp.route("/low-stock")
@roles_required(*INVENTORY_ROLES)
def low_stock_list():
    return render_template("catalog/low_stock.html", rows=low_stock(today()))


@bp.route("/expiring")
@roles_required(*INVENTORY_ROLES)
def expiring():
    """Lots expiring within N days (?days=N, 1 to 730; default 60)."""
    try:
        days = int(request.args.get("days", EXPIRING_DAYS_DEFAULT))
    except ValueError:
        days = EXPIRING_DAYS_DEFAULT
    days = min(max(days, 1), 730)
    return render_template(
        "catalog/expiring.html",
        lots=list(Lot.expiring_within(days, today())),
        days=days,
        today=today(),
    )


@bp.route("/expired")
@roles_required(*INVENTORY_ROLES)
def expired():
    return render_template(
        "catalog/expired.html",
        lots=list(Lot.expired_on_hand(today())),
        today=today(),
        can_destroy=g.user.has_any_role(DESTROY_ROLES),
    )


TODAY_EXPIRING_DAYS = 30


def today_lines(user) -> list[Line]:
    """The start page's inventory card: stock to pull, to use first, to reorder."""
    on_date = today()
    expired_count = Lot.expired_on_hand(on_date).count()
    expiring_count = Lot.expiring_within(TODAY_EXPIRING_DAYS, on_date).count()
    low = low_stock_count(on_date)
    lines = []
    if expired_count:
        lines.append(
            Line(
                expired_count,
                _("expired lots still on the shelf"),
                url_for("catalog.expired"),
                "alert",
            )
        )
    if expiring_count:
        lines.append(
            Line(
                expiring_count,
                _("lots expiring within %(days)s days", days=TODAY_EXPIRING_DAYS),
                url_for("catalog.expiring", days=TODAY_EXPIRING_DAYS),
                "warn",
            )
        )
    if low:
        lines.append(
            Line(
                low, _("items below their reorder point"), url_for("catalog.low_stock_list"), "warn"
            )
        )
    return lines
