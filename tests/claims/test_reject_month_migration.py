"""Migration 0158 adds the kept monthly reject-code counts on a database that already has
rejections: they are counted from the existing claim_reject rows."""

from datetime import date

from playhouse.schema_diff import diff_models

from portal import migrate
from portal.foundation.db import connection, db
from portal.reports.claims.models import ClaimRejectMonth
from portal.schema import all_models
from tests.factories import make_claim, make_payer

MIGRATION = "0158_claim_reject_month"


def _kept() -> list[tuple]:
    rows = ClaimRejectMonth.select(
        ClaimRejectMonth.month, ClaimRejectMonth.payer, ClaimRejectMonth.code,
        ClaimRejectMonth.times,
    ).tuples()  # fmt: skip
    return sorted(rows)


def test_existing_rejections_are_counted_by_month_when_the_table_is_added(app):
    payer = make_payer()
    for codes, served in (("75 79", date(2025, 3, 31)), ("75", date(2025, 3, 1)),
                          ("75", date(2025, 4, 1))):  # fmt: skip
        make_claim("rejected", payer=payer, reject_codes=codes, date_of_service=served)
    expected = _kept()
    assert [(m, code, n) for m, _, code, n in expected] == [
        (date(2025, 3, 1), "75", 2), (date(2025, 3, 1), "79", 1), (date(2025, 4, 1), "75", 1),
    ]  # fmt: skip
    with connection():
        try:
            migrate.runner().down(MIGRATION)
            assert "claim_reject_month" not in db.get_tables()
            assert migrate.runner().up()[0] == MIGRATION
        finally:
            migrate.runner().up()
        assert not diff_models(db.obj, all_models())
    assert _kept() == expected
