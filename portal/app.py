"""The app: config, database, extensions, every area's blueprint, CLI commands."""

import os
from pathlib import Path

from flask import Flask
from jinja2 import FileSystemBytecodeCache

from portal.foundation import (
    config,
    db,
    demo,
    errors,
    filters,
    i18n,
    logs,
    long_work,
    nav,
    page_cache,
    panels,
    settings,
    urls,
)
from portal.foundation.extensions import csrf, htmx
from portal.foundation.files import private_folder
from portal.foundation.requests import DatabaseId, PortalRequest
from portal.foundation.resources import STATIC, TEMPLATES


def build(test_config=None) -> Flask:
    """Build the app (through portal.create_app)."""
    instance_path = (test_config or {}).get("INSTANCE_PATH") or os.environ.get(
        "PORTAL_INSTANCE_PATH"
    )
    app = Flask(
        "portal",  # the package: its name is the app's (and its logger's)
        instance_path=os.path.abspath(instance_path) if instance_path else None,
        instance_relative_config=True,
        template_folder=TEMPLATES,
        static_folder=STATIC,
    )
    app.request_class = PortalRequest
    app.url_map.converters["int"] = DatabaseId  # before any route is added
    app.url_rule_class = urls.Rule  # address builders compiled on first use
    config.load(app, test_config)
    os.makedirs(app.instance_path, exist_ok=True)
    # Compiled templates kept between starts: the first page after a restart skips compiling.
    templates_cache = private_folder(Path(app.instance_path) / "cache" / "templates")
    app.jinja_env.bytecode_cache = FileSystemBytecodeCache(str(templates_cache))

    from portal import backup, cli, migrate, restore  # every area's models: imported when built

    logs.init_app(app)  # first: its after_request runs last, timing the others
    db.init_app(app)
    page_cache.init_app(app)
    settings.init_app(app)
    csrf.init_app(app)
    htmx.init_app(app)
    migrate.init_app(app)
    demo.init_app(app)
    errors.init_app(app)
    filters.init_app(app)
    urls.init_app(app)
    i18n.init_app(app)
    backup.init_app(app)
    restore.init_app(app)
    cli.init_app(app)
    panels.init_app(app)
    app.register_blueprint(long_work.bp)  # progress of long work (imports)
    app.jinja_env.globals["nav_items"] = lambda user: nav.items_for(app, user)
    app.jinja_env.globals["nav_menu"] = lambda user, path, blueprint: nav.menu(
        app, user, path, blueprint
    )

    for area in areas():
        area.init_app(app)
    return app


def areas() -> tuple:
    """Every area, in the order their request hooks run (the pharmacy's setup check first).
    Which area may import which is ARCHITECTURE.md's rule, checked by tests/test_layers.py."""
    from portal import (
        audit,
        auth,
        catalog,
        claims,
        compounding,
        labels,
        patients,
        pharmacy,
        prescribers,
        prescriptions,
        reports,
    )

    return (
        pharmacy,
        auth,
        audit,
        patients,
        prescribers,
        catalog,
        prescriptions,
        compounding,
        labels,
        claims,
        reports,
    )
