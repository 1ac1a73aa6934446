"""Applying every migration to an empty database gives exactly the models' schema."""

from playhouse.schema_diff import diff_models

from portal import migrate
from portal.foundation.db import db
from portal.schema import all_models


def _columns(table: str) -> dict[str, bool]:
    return {column.name: column.null for column in db.get_columns(table)}


def test_migrations_leave_no_drift_from_the_models(app):
    assert migrate.pending() == []
    difference = diff_models(db.obj, all_models())
    assert not difference, f"models and migrations differ:\n{difference}"


def test_every_column_matches_its_model_field_and_nullability(app):
    for model in all_models():
        table = model._meta.table_name
        assert db.table_exists(table), f"no table for {model.__name__}"
        expected = {field.column_name: field.null for field in model._meta.sorted_fields}
        assert _columns(table) == expected, f"{table} differs from {model.__name__}"


def test_upgrade_is_safe_to_repeat(app, runner):
    result = runner.invoke(args=["db", "upgrade"])
    assert result.exit_code == 0
    assert "schema is up to date" in result.output
    status = runner.invoke(args=["db", "status"])
    assert "0001_initial_schema" in status.output and "pending" not in status.output
