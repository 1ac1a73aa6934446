"""Migrations 0110-0113 on a database that already has fills and stock: going back before
them and up again keeps every fill and lot as it was; old fills read as whole fills."""

from decimal import Decimal

from playhouse.schema_diff import diff_models

from portal import migrate
from portal.catalog.stock.models import Lot
from portal.foundation.db import connection, db
from portal.prescriptions.fills.models import Fill
from portal.schema import all_models
from tests.factories import advance_fill, make_fill, make_lot

FIRST = "0110_controlled_origin_and_partial_fills"


def _fills() -> list[tuple]:
    return db.execute_sql("SELECT id, status, quantity FROM fill ORDER BY id").fetchall()


def test_existing_fills_and_lots_survive_the_controlled_migrations(app):
    picked_up = advance_fill(make_fill(), "picked_up")
    waiting = make_fill()
    lot = make_lot(quantity=Decimal(40))
    before = _fills()
    with connection():
        try:
            migrate.runner().down(FIRST)
            columns = {column.name for column in db.get_columns("fill")}
            assert "partial_reason" not in columns
            assert "controlled_origin" not in db.get_tables()
            assert _fills() == before
            assert migrate.runner().up()[0] == FIRST
        finally:
            migrate.runner().up()
        assert _fills() == before
        assert not diff_models(db.obj, all_models())
    for fill_id in (picked_up.id, waiting.id):
        stored = Fill.get_by_id(fill_id)
        assert (stored.partial_reason, stored.remainder_of_id, stored.partial_text) == (
            "",
            None,
            "",
        )
    assert Lot.get_by_id(lot.id).quantity_on_hand == Decimal(40)
