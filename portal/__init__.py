"""Mortar: a pharmacy portal for small independent and compounding pharmacies."""

import importlib
import logging
import os

from flask import Flask

from portal import config, db, migrate, nav
from portal.extensions import csrf, htmx
from portal.requests import DatabaseId, PortalRequest

log = logging.getLogger("portal")


def create_app(test_config=None) -> Flask:
    """Build the app: config, database, extensions, every area's blueprint, CLI commands."""
    project_root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    instance_path = (test_config or {}).get("INSTANCE_PATH") or os.environ.get(
        "PORTAL_INSTANCE_PATH"
    )
    app = Flask(
        __name__,
        instance_path=os.path.abspath(instance_path) if instance_path else None,
        instance_relative_config=True,
        template_folder=os.path.join(project_root, "templates"),
        static_folder=os.path.join(project_root, "static"),
    )
    app.request_class = PortalRequest
    app.url_map.converters["int"] = DatabaseId  # before any route is added
    config.load(app, test_config)
    os.makedirs(app.instance_path, exist_ok=True)

    db.init_app(app)
    csrf.init_app(app)
    htmx.init_app(app)
    migrate.init_app(app)
    app.jinja_env.globals["nav_items"] = lambda user: nav.items_for(app, user)
    app.jinja_env.globals["nav_current"] = lambda user, path, blueprint: nav.current(
        app, user, path, blueprint
    )

    for area in db.AREAS:
        module = importlib.import_module(f"portal.{area}")
        if hasattr(module, "init_app"):
            module.init_app(app)
    return app
