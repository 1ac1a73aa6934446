"""Labels: the label engine (render.py) and, in the app, printing and scan-to-open."""

from flask import Blueprint, Flask, has_request_context

from portal.foundation import nav, panels
from portal.foundation.i18n import lazy_gettext as _l

bp = Blueprint("labels", __name__, url_prefix="/labels")


def init_app(app: Flask) -> None:
    from portal.labels import cups, leaflet_views, setup_views, views  # noqa: F401 (routes)
    from portal.labels.from_fill import label_language_note, label_not_ready, label_preview
    from portal.labels.pool import default_workers
    from portal.labels.printer import harfbuzz_subsetting_available

    app.register_blueprint(bp)
    app.register_blueprint(leaflet_views.bp)
    panels.add(app, "fill:labels", "labels/_print_history.html")
    panels.add(app, "final_verify:label", "labels/_final_check_preview.html")
    panels.add(app, "queue:actions", "labels/_queue_print_link.html")
    panels.add(app, "fill:handouts", "labels/_leaflet_link.html")
    panels.add(app, "pickup:handouts", "labels/_leaflet_link.html")
    nav.add(app, _l("Labels"), "labels.batch", roles=views.PRINT_ROLES, order=15)
    app.config["LABELS_HARFBUZZ_OK"] = harfbuzz_subsetting_available()
    app.config["LABEL_WORKERS"] = app.config.get("LABEL_WORKERS") or default_workers()
    if not app.config["LABELS_HARFBUZZ_OK"]:
        app.logger.warning(
            "Labels: HarfBuzz font subsetting is not available; label PDFs embed whole "
            "fonts (larger files, slower printing). Install a HarfBuzz with subsetting."
        )

    app.add_template_global(views.label_prints_for, "label_prints_for")
    app.add_template_global(views.labels_waiting, "labels_waiting")
    app.add_template_global(label_not_ready, "label_not_ready")
    app.add_template_global(label_preview, "label_preview")
    app.add_template_global(label_language_note, "label_language_note")

    @app.context_processor
    def _labels_system():
        return {
            "labels_harfbuzz_ok": app.config["LABELS_HARFBUZZ_OK"],
            "labels_workers": app.config["LABEL_WORKERS"],
            "label_queue": cups.terminal_queue() if has_request_context() else "",
        }


def start_workers(app: Flask) -> None:
    """Where the portal is served (wsgi.py, `serve`): on 2 or more cores the label workers
    start now and lay out every label, so a label is not slowed by the pages served beside it."""
    from portal.labels.pool import shared_pool

    shared_pool.start_for_server(app.config["LABEL_WORKERS"])
