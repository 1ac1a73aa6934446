"""Inventory: products and ingredients. Lots and movements are in stock/, the file import in
importing/; both add routes to the area's blueprint."""

from decimal import Decimal

from flask import flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from peewee import IntegrityError
from playhouse.flask_utils import get_object_or_404

from portal.audit import log as audit
from portal.catalog import CATALOG_ROLES, INVENTORY_ROLES, bp, safety
from portal.catalog.forms import IngredientForm, ProductForm
from portal.catalog.models import Ingredient, Product
from portal.catalog.stock import rules as stock_rules
from portal.catalog.stock.models import Lot
from portal.foundation.access import roles_required
from portal.foundation.dates import today
from portal.foundation.db import write_transaction
from portal.foundation.extensions import htmx
from portal.foundation.forms import search_text


def can_edit_catalog() -> bool:
    return g.user.has_any_role(CATALOG_ROLES)


# ---- template filters (any area may use them) ----------------------------------------------


@bp.app_template_filter("quantity")
def _quantity(value, unit: str = "") -> str:
    """100 each, 12.5 g: a quantity with its unit, no trailing zeros."""
    return "" if value is None else stock_rules.plain_quantity(value, unit).strip()


@bp.app_template_filter("signed_quantity")
def _signed_quantity(value, unit: str = "") -> str:
    """+100 each / −12.5 g for a stock movement."""
    if value is None:
        return ""
    sign = "+" if value > 0 else "−" if value < 0 else ""
    return sign + stock_rules.plain_quantity(abs(value), unit).strip()


@bp.app_template_filter("percent")
def _percent(value) -> str:
    """0.985 -> 98.5 %."""
    return "" if value is None else f"{stock_rules.plain_quantity(value * 100, '').strip()} %"


@bp.app_template_filter("unit_cost")
def _unit_cost(value, unit: str) -> str:
    """$0.0325 / g: up to four decimals, because bulk powders cost fractions of a cent."""
    if value is None:
        return ""
    shown = value.quantize(Decimal("0.01")) if value == value.quantize(Decimal("0.01")) else value
    return f"${shown:,} / {unit}"


@bp.app_template_filter("plain_number")
def _plain_number(value) -> str:
    return "" if value is None else stock_rules.plain_quantity(value, "").strip()


@bp.app_template_filter("schedule_label")
def _schedule_label(value) -> str:
    return stock_rules.schedule_label(value)


@bp.context_processor
def _catalog_context():
    return {"can_edit_catalog": g.get("user") is not None and can_edit_catalog()}


def _stored(row) -> dict:
    """A row's audit snapshot as read back from the database, so a Decimal typed as 18.40
    and stored as 18.4 (SQLite) is not recorded as a change."""
    return audit.snapshot(type(row).get_by_id(row.id))


def _listing(model, template: str, partial: str):
    q = search_text(request.args)
    include_inactive = request.args.get("inactive") == "1"
    items = list(model.listing(q, include_inactive=include_inactive).limit(200))
    on_hand = Lot.on_hand_by_item(model, [i.id for i in items], today())
    context = {"q": q, "items": items, "on_hand": on_hand, "include_inactive": include_inactive}
    if model is Product:
        context["ingredients"] = Product.with_ingredients(items)
    return render_template(partial if htmx else template, **context)


# ---- products ----------------------------------------------------------------------------


@bp.route("/")
@bp.route("/products")
@roles_required(*INVENTORY_ROLES)
def products():
    """Products by name or NDC, with what is on hand; htmx swaps only the rows."""
    return _listing(Product, "catalog/products.html", "catalog/_product_rows.html")


@bp.route("/products/<int:product_id>")
@roles_required(*INVENTORY_ROLES)
def product(product_id: int):
    item = get_object_or_404(Product, Product.id == product_id)
    return render_template(
        "catalog/item.html",
        item=item,
        links=list(item.ingredient_links()),
        lots=list(Lot.of_item(item)),
        on_hand=item.on_hand(today()),
        today=today(),
    )


def _save_product(form, product=None, note=""):
    """Create or update a product and its ingredients (audited); returns it and new ingredients."""
    with write_transaction():
        if product is None:
            product = Product.create(**form.values())
            created = product.set_ingredients(form.ingredient_lines, new_product=True)
            after = {**audit.snapshot(product), "active_ingredients": product.ingredients_text()}
            audit.record("create", "product", product.id, after=after)
        else:
            before = audit.snapshot(product)
            for name, value in form.values().items():
                setattr(product, name, value)
            product.save()
            after = _stored(product)
            audit.record("update", "product", product.id, before=before, after=after, note=note)
            created = product.set_ingredients(form.ingredient_lines)
    return product, created


def _product_form_page(form, product):
    changed = safety.product_changes(product, form.values(), form.ingredient_lines)
    signoff = safety.approval(form, changed)
    if not signoff:
        return render_template("catalog/product_form.html", form=form, product=product)
    try:
        with signoff:
            product, created = _save_product(form, product, safety.note(form, changed))
    except IntegrityError:
        form.ndc.errors.append(_("This NDC was just saved by someone else."))
        return render_template("catalog/product_form.html", form=form, product=product)
    flash(_("%(description)s saved.", description=product.description), "success")
    if created:
        names = ", ".join(sorted(i.name for i in created))
        flash(
            ngettext(
                "New ingredient added: %(names)s. "
                "Add their allergen classes so allergy checks can find them.",
                "New ingredients added: %(names)s. "
                "Add their allergen classes so allergy checks can find them.",
                len(created),
                names=names,
            ),
            "warning",
        )
    return redirect(url_for("catalog.product", product_id=product.id))


@bp.route("/products/new", methods=["GET", "POST"])
@roles_required(*CATALOG_ROLES)
def new_product():
    form = ProductForm()
    if form.validate_on_submit():
        return _product_form_page(form, None)
    return render_template("catalog/product_form.html", form=form, product=None)


@bp.route("/products/<int:product_id>/edit", methods=["GET", "POST"])
@roles_required(*CATALOG_ROLES)
def edit_product(product_id: int):
    product = get_object_or_404(Product, Product.id == product_id)
    form = ProductForm(obj=product, product=product)
    if form.validate_on_submit():
        return _product_form_page(form, product)
    return render_template("catalog/product_form.html", form=form, product=product)


# ---- ingredients -------------------------------------------------------------------------


@bp.route("/ingredients")
@roles_required(*INVENTORY_ROLES)
def ingredients():
    return _listing(Ingredient, "catalog/ingredients.html", "catalog/_ingredient_rows.html")


@bp.route("/ingredients/<int:ingredient_id>")
@roles_required(*INVENTORY_ROLES)
def ingredient(ingredient_id: int):
    item = get_object_or_404(Ingredient, Ingredient.id == ingredient_id)
    products = list(Product.containing(item))
    return render_template(
        "catalog/item.html",
        item=item,
        products=products,
        lots=list(Lot.of_item(item)),
        on_hand=item.on_hand(today()),
        today=today(),
    )


def _ingredient_form_page(form, ingredient):
    changed = safety.changed_facts("ingredient", ingredient, form.values())
    signoff = safety.approval(form, changed)
    if not signoff:
        return render_template("catalog/ingredient_form.html", form=form, ingredient=ingredient)
    try:
        with write_transaction(), signoff:
            if ingredient is None:
                ingredient = Ingredient.create(**form.values())
                audit.record(
                    "create", "ingredient", ingredient.id, after=audit.snapshot(ingredient)
                )
            else:
                before = audit.snapshot(ingredient)
                for name, value in form.values().items():
                    setattr(ingredient, name, value)
                ingredient.save()
                audit.record(
                    "update",
                    "ingredient",
                    ingredient.id,
                    before=before,
                    after=_stored(ingredient),
                    note=safety.note(form, changed),
                )
    except IntegrityError:
        form.name.errors.append(_("An ingredient with this name was just saved by someone else."))
        return render_template("catalog/ingredient_form.html", form=form, ingredient=ingredient)
    flash(_("%(name)s saved.", name=ingredient.name), "success")
    return redirect(url_for("catalog.ingredient", ingredient_id=ingredient.id))


@bp.route("/ingredients/new", methods=["GET", "POST"])
@roles_required(*CATALOG_ROLES)
def new_ingredient():
    form = IngredientForm()
    if form.validate_on_submit():
        return _ingredient_form_page(form, None)
    return render_template("catalog/ingredient_form.html", form=form, ingredient=None)


@bp.route("/ingredients/<int:ingredient_id>/edit", methods=["GET", "POST"])
@roles_required(*CATALOG_ROLES)
def edit_ingredient(ingredient_id: int):
    ingredient = get_object_or_404(Ingredient, Ingredient.id == ingredient_id)
    form = IngredientForm(obj=ingredient, ingredient=ingredient)
    if form.validate_on_submit():
        return _ingredient_form_page(form, ingredient)
    return render_template("catalog/ingredient_form.html", form=form, ingredient=ingredient)
