"""Fixtures: a fresh database per test (SQLite, or PostgreSQL with PORTAL_TEST_DB=postgres)."""

import os
import shutil
import time
import uuid

import pytest
from hypothesis import settings as hypothesis_settings
from peewee import AutoField, PostgresqlDatabase, sort_models

from portal import create_app, migrate
from portal.foundation.db import close_all, db, make_database
from portal.schema import all_models
from tests import route_builders
from tests.factories import make_pharmacy, make_user, sign_in

route_builders.install()

BACKEND = os.environ.get("PORTAL_TEST_DB", "sqlite")

# Tests write dates as date.today(); the portal reads the pharmacy's day (foundation/dates.py),
# and the test pharmacy is in Chicago. On a UTC machine the two differed each evening from
# 6 pm Chicago time, and a receipt "dated today" was refused as in the future. The process
# keeps the pharmacy's zone so both mean the same day; tests/core/test_pharmacy_day.py checks
# the portal itself never reads the machine's zone.
os.environ["TZ"] = "America/Chicago"
time.tzset()

# No per-example deadline: the suite runs in parallel workers and CI machines vary in load,
# so a slow example is not a failure. HYPOTHESIS_PROFILE=thorough runs many more examples.
hypothesis_settings.register_profile("mortar", deadline=None)
hypothesis_settings.register_profile("thorough", deadline=None, max_examples=1000)
hypothesis_settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "mortar"))

TEST_CONFIG = {
    "TESTING": True,
    "SECRET_KEY": "test-secret-key-not-for-production",
    "WTF_CSRF_ENABLED": False,
    "ARGON2_TIME_COST": 1,
    "ARGON2_MEMORY_COST": 1024,
    "RATELIMIT_ENABLED": False,
}


def _migrate(url: str) -> None:
    database = make_database(url)
    db.initialize(database)
    with database.connection_context():
        migrate.runner().up()
    database.close()


@pytest.fixture(scope="session")
def database_url(tmp_path_factory):
    """A migrated database for this test session (one per xdist worker)."""
    if BACKEND == "postgres":
        base = os.environ["PORTAL_TEST_POSTGRES"]
        schema = f"mortar_test_{uuid.uuid4().hex[:10]}"
        admin = make_database(base)
        admin.execute_sql(f'CREATE SCHEMA "{schema}"')
        url = f"{base}{'&' if '?' in base else '?'}options=-csearch_path%3D{schema}"
        _migrate(url)
        _keep_seed_rows(url, schema)
        yield url
        admin.execute_sql(f'DROP SCHEMA "{schema}" CASCADE')
        admin.execute_sql(f'DROP SCHEMA IF EXISTS "{schema}_seed" CASCADE')
        admin.close()
    else:
        template = tmp_path_factory.mktemp("template") / "portal.db"
        _migrate(f"sqlite:///{template}")
        yield template


def _fresh_url(database_url, tmp_path) -> str:
    if BACKEND == "postgres":
        return database_url
    target = tmp_path / "portal.db"
    shutil.copy(database_url, target)
    return f"sqlite:///{target}"


def _keep_seed_rows(url: str, schema: str) -> None:
    """Copy the rows migrations seed (reference tables) aside, so each test starts with them,
    as it does on SQLite, where every test gets a copy of the migrated file."""
    own = make_database(url)
    own.execute_sql(f'CREATE SCHEMA "{schema}_seed"')
    for model in all_models():
        table = model._meta.table_name
        if own.execute_sql(f'SELECT 1 FROM "{table}" LIMIT 1').fetchone():
            own.execute_sql(f'CREATE TABLE "{schema}_seed"."{table}" AS TABLE "{table}"')
            SEEDED.append(table)
    own.close()
    global SEED_SCHEMA
    SEED_SCHEMA = f"{schema}_seed"


SEEDED: list[str] = []
SEED_SCHEMA = ""


def _empty_tables(url: str) -> None:
    """PostgreSQL runs share one schema: put every table back as migrated after each test.

    DELETE in reverse dependency order is far faster than TRUNCATE on a hundred tables
    that are mostly empty (TRUNCATE makes new files for each table and index)."""
    if not db.is_closed():
        db.close()
    models = sort_models(all_models())
    statements = [f'DELETE FROM "{m._meta.table_name}"' for m in reversed(models)]
    for model in models:
        table = model._meta.table_name
        if table in SEEDED:
            statements.append(f'INSERT INTO "{table}" SELECT * FROM "{SEED_SCHEMA}"."{table}"')
        key = model._meta.primary_key
        if isinstance(key, AutoField):
            column = key.column_name
            statements.append(
                f"SELECT setval(pg_get_serial_sequence('\"{table}\"', '{column}'), "
                f'COALESCE(MAX("{column}"), 0) + 1, false) FROM "{table}"'
            )
    own = make_database(url)
    with own.atomic():
        own.execute_sql(";\n".join(statements))
    own.close()


@pytest.fixture
def make_app(database_url, tmp_path):
    """Build apps on a fresh database; extra config can be passed."""
    url = _fresh_url(database_url, tmp_path)
    made = []

    def build(**config):
        settings = {**TEST_CONFIG, "DATABASE_URL": url, "INSTANCE_PATH": str(tmp_path / "instance")}
        settings.update(config)
        application = create_app(settings)
        made.append(application)
        return application

    yield build
    for application in made:  # pooled connections end with the test, not at collection
        db.initialize(application.extensions["database"])
        close_all()
    if BACKEND == "postgres" and made:
        _empty_tables(url)
    if not db.is_closed():
        db.close()


@pytest.fixture
def bare_app(make_app):
    """An app on an empty database: no pharmacy yet (first run)."""
    application = make_app()
    with application.app_context():
        yield application


@pytest.fixture
def app(bare_app):
    """An app whose pharmacy is set up."""
    make_pharmacy()
    return bare_app


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def client_as(app):
    """client_as("pharmacist") -> a test client signed in as a new user with that role;
    `.user` is the User, `.terminal` its counter terminal (TerminalSession)."""

    def sign_in_as(*roles, **user_fields):
        user = make_user(roles=roles or ("technician",), **user_fields)
        test_client = app.test_client()
        test_client.terminal = sign_in(test_client, user)
        test_client.user = user
        return test_client

    return sign_in_as


DATABASE_FIXTURES = {"database_url", "make_app", "bare_app", "app", "client", "runner", "client_as"}


def pytest_collection_modifyitems(config, items):
    """On the PostgreSQL run, skip tests that never touch a database: pure rules behave the
    same whatever the backend, and the SQLite run has already run them."""
    if BACKEND != "postgres":
        return
    keep, dropped = [], []
    for item in items:
        uses_database = DATABASE_FIXTURES & set(getattr(item, "fixturenames", ()))
        (keep if uses_database else dropped).append(item)
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        items[:] = keep


def pytest_report_header(config):
    return f"database backend: {BACKEND}" + (
        " (set PORTAL_TEST_DB=postgres and PORTAL_TEST_POSTGRES for PostgreSQL)"
        if BACKEND == "sqlite"
        else ""
    )


@pytest.fixture
def postgres_only():
    if not isinstance(db.obj, PostgresqlDatabase):
        pytest.skip("PostgreSQL run only")
