"""Compounding: master formula pages, compounding records, beyond-use dates, the math, lab logs.

The master formula MODELS live with the catalog (portal/catalog/formula_models.py): a formula
is dispensable like a product. This area owns the pages for them, the records of making
them, the BUD rule and the calculations.
"""

from flask import Flask

from portal import nav, today


def init_app(app: Flask) -> None:
    from portal.compounding import settings, views  # noqa: F401  (settings define at import)
    from portal.compounding.models import CompoundingRecord

    app.register_blueprint(views.bp)
    # Final verification (prescriptions) shows a compound fill's record without importing us.
    app.jinja_env.globals["compounding_record_for"] = CompoundingRecord.latest_for_fill
    nav.add(app, "Compounding", "compounding.home", roles=("technician", "pharmacist"), order=40)
    today.add(app, "Compounding", views.today_lines, roles=views.STAFF, order=30)
