"""Migration 0075 renames claim.state to claim.status on a database that already has
claims: every claim keeps its state, and the indexes that named the column follow it."""

from playhouse.schema_diff import diff_models

from portal import migrate
from portal.claims.claims.models import Claim
from portal.foundation.db import connection, db
from portal.schema import all_models
from tests.factories import make_claim

MIGRATION = "0075_claim_status"


def _states(column: str) -> dict[int, str]:
    return dict(db.execute_sql(f"SELECT id, {column} FROM claim ORDER BY id").fetchall())


def _index_columns() -> list[list[str]]:
    return [index.columns for index in db.get_indexes("claim")]


def test_existing_claims_keep_their_state_through_the_rename_and_back(app):
    rejected, paid = make_claim("rejected"), make_claim("paid")
    expected = {rejected.id: "rejected", paid.id: "paid"}
    with connection():
        try:
            migrate.runner().down(MIGRATION)
            assert "state" in {column.name for column in db.get_columns("claim")}
            assert _states("state") == expected
            assert not any("status" in columns for columns in _index_columns())

            assert migrate.runner().up()[0] == MIGRATION  # and the ones after it, again
        finally:
            migrate.runner().up()  # leave the schema as every other test expects it
        assert _states("status") == expected
        assert "state" not in {column.name for column in db.get_columns("claim")}
        assert not any("state" in columns for columns in _index_columns())
        assert not diff_models(db.obj, all_models())
    assert Claim.get_by_id(rejected.id).status == "rejected"
