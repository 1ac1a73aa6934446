"""Compounding: master formula pages, compounding records, beyond-use dates, the math, lab logs.

The master formula MODELS live with the catalog (portal/catalog/formulas/models.py): a formula
is dispensable like a product. This area owns the pages for them, the records of making
them, the BUD rule and the calculations.
"""

from flask import Blueprint, Flask

from portal.foundation import demo as demo_data
from portal.foundation import nav, panels, start_page
from portal.foundation.i18n import lazy_gettext as _l

STAFF = ("technician", "pharmacist")

bp = Blueprint("compounding", __name__, url_prefix="/compounding")


def init_app(app: Flask) -> None:
    from portal.compounding import demo, settings, settings_views, views  # noqa: F401  (routes)
    from portal.compounding.calculations import views as calc_views  # noqa: F401
    from portal.compounding.formulas import views as formula_views  # noqa: F401
    from portal.compounding.lab import views as lab_views  # noqa: F401
    from portal.compounding.records import views as record_views  # noqa: F401
    from portal.compounding.records.models import CompoundingRecord

    app.register_blueprint(bp)
    panels.add(app, "final_verify:product", "compounding/_fill_record.html")
    demo_data.add_loader(app, demo.load)
    # The final verification panel's partial finds the fill's record with this.
    app.jinja_env.globals["compounding_record_for"] = CompoundingRecord.latest_for_fill
    nav.add(
        app, _l("Compounding"), "compounding.home", roles=("technician", "pharmacist"), order=40
    )
    start_page.add(app, _l("Compounding"), views.today_lines, roles=STAFF, order=30)
