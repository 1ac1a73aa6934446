"""Migration 0159 adds the kept queue counts on a database that already has fills and claims:
they are counted from the rows there, and the triggers keep them from then on."""

from datetime import date, timedelta

from playhouse.schema_diff import diff_models

from portal import migrate
from portal.claims.claims import actions
from portal.foundation.db import connection, db, write_transaction
from portal.schema import all_models
from tests.claims.test_kept_claim_counts import fresh_counts as fresh_claim_counts
from tests.claims.test_kept_claim_counts import kept_counts as kept_claim_counts
from tests.factories import advance_fill, make_claim, make_fill
from tests.factories.claims import claims_user
from tests.prescriptions.test_kept_queue_counts import fresh_counts as fresh_fill_counts
from tests.prescriptions.test_kept_queue_counts import kept_counts as kept_fill_counts

MIGRATION = "0159_kept_queue_counts"
TODAY = date(2025, 3, 20)


def test_existing_fills_and_claims_are_counted_when_the_kept_counts_are_added(app):
    advance_fill(make_fill(), "ready")
    make_fill()
    waiting = make_claim("submitted", today=TODAY)
    make_claim("rejected", today=TODAY)
    with write_transaction():
        actions.set_follow_up(waiting, claims_user(), None)
    with connection():
        try:
            migrate.runner().down(MIGRATION)
            assert "fill_count" not in db.get_tables()
            assert "claim_count" not in db.get_tables()
            make_fill()  # written while there were no triggers
            assert migrate.runner().up()[0] == MIGRATION
        finally:
            migrate.runner().up()
        assert not diff_models(db.obj, all_models())
    assert kept_fill_counts() == fresh_fill_counts()
    assert kept_claim_counts() == fresh_claim_counts()

    make_fill()  # and kept from then on
    with write_transaction():
        actions.set_follow_up(waiting, claims_user(), TODAY + timedelta(days=1))
    assert kept_fill_counts() == fresh_fill_counts()
    assert kept_claim_counts() == fresh_claim_counts()
