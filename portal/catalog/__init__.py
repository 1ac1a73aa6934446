"""Catalog: products (NDC), compounding ingredients, master formulas (formulas/), lots and
stock movements (stock/) and the catalog file import (importing/)."""

from flask import Blueprint, Flask

from portal.foundation import demo as demo_data
from portal.foundation import nav, start_page
from portal.foundation.i18n import lazy_gettext as _l

# Who works with stock: receives it, counts it, takes it out.
INVENTORY_ROLES = ("technician", "pharmacist", "manager")
# Who changes the catalog itself (products, ingredients, costs) and imports files.
CATALOG_ROLES = ("pharmacist", "manager")

bp = Blueprint("catalog", __name__, url_prefix="/inventory")


def init_app(app: Flask) -> None:
    from portal.catalog import (
        demo,
        views,  # noqa: F401  (routes)
    )
    from portal.catalog.controlled import biennial_views  # noqa: F401  (routes)
    from portal.catalog.controlled import views as controlled_views  # noqa: F401  (routes)
    from portal.catalog.importing import views as import_views  # noqa: F401  (routes)
    from portal.catalog.knowledge import views as knowledge_views  # noqa: F401  (routes)
    from portal.catalog.knowledge.models import knowledge_class_names, knowledge_names
    from portal.catalog.models import allergen_names
    from portal.catalog.stock import views as stock_views
    from portal.patients.allergy_views import add_allergen_source

    app.register_blueprint(bp)
    add_allergen_source(allergen_names)
    add_allergen_source(knowledge_names)
    add_allergen_source(knowledge_class_names, classes=True)
    demo_data.add_loader(app, demo.load)
    nav.add(app, _l("Inventory"), "catalog.products", roles=INVENTORY_ROLES, order=40)
    nav.add(
        app, _l("Drug knowledge"), "catalog.knowledge", roles=knowledge_views.READ_ROLES, order=45
    )
    start_page.add(app, _l("Inventory"), stock_views.today_lines, roles=INVENTORY_ROLES, order=40)
