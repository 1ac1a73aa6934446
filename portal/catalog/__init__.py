"""Catalog: products (NDC), compounding ingredients, lots and stock movements."""

from flask import Flask

from portal import nav, today


def init_app(app: Flask) -> None:
    from portal.catalog import import_views, stock_views, views  # noqa: F401 (routes)

    app.register_blueprint(views.bp)
    nav.add(app, "Inventory", "catalog.products", roles=views.INVENTORY_ROLES, order=40)
    today.add(app, "Inventory", stock_views.today_lines, roles=views.INVENTORY_ROLES, order=40)
