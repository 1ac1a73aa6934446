"""Compounding settings: who may change them, the legacy BUD table only by explicit choice."""

from datetime import date
from decimal import Decimal

from portal.audit.models import AuditEvent
from portal.compounding import settings as compounding_settings
from portal.compounding.records import actions
from portal.compounding.records.models import CompoundingRecord
from portal.foundation import settings
from portal.foundation.db import write_transaction
from tests.factories import make_batch_record, make_user, stock_formula


def test_defaults_are_usp_2023_five_percent_and_daily_cleaning(app):
    assert compounding_settings.bud_table() == "usp2023"
    assert compounding_settings.weighing_tolerance() == Decimal(5)
    assert compounding_settings.cleaning_interval_days() == 1
    assert compounding_settings.balance_tolerance() == Decimal("0.10")


def test_technicians_cannot_change_compounding_settings(client_as):
    assert client_as("technician").get("/compounding/settings").status_code == 403


def test_pharmacist_chooses_the_legacy_table_and_it_is_audited(client_as):
    client = client_as("pharmacist")
    response = client.post(
        "/compounding/settings",
        data={"weighing_tolerance": "3", "bud_table": "usp2014", "cleaning_interval": "1",
              "balance_tolerance": "0.1"},
    )  # fmt: skip
    assert response.status_code == 302
    assert compounding_settings.bud_table() == "usp2014"
    assert compounding_settings.weighing_tolerance() == Decimal(3)
    event = AuditEvent.get(
        (AuditEvent.entity == "setting") & (AuditEvent.entity_id == "compounding.bud_table")
    )
    assert event.user_id == client.user.id and event.after_data() == {"value": "usp2014"}


def test_bad_settings_are_refused_in_words(client_as):
    response = client_as("admin").post(
        "/compounding/settings",
        data={"weighing_tolerance": "50", "bud_table": "usp2023", "cleaning_interval": "0",
              "balance_tolerance": "5"},
    )  # fmt: skip
    text = response.get_data(as_text=True)
    assert "Between 1% and 20%." in text
    assert "Between 1 and 30 days." in text
    assert "Between 0.01% and 1%." in text
    assert compounding_settings.weighing_tolerance() == Decimal(5)


def test_the_legacy_2014_table_dates_a_topical_cream_30_days(app):
    with write_transaction():
        settings.put("compounding.bud_table", "usp2014")
    record = make_batch_record()
    assert record.bud_table == "usp2014"
    stock_formula(record.formula)
    user = make_user()
    with write_transaction():
        for line in record.lines():
            lot = actions.suggested_lots(line, date(2026, 3, 1))[0]
            actions.record_line(record, line, lot=lot, measured=line.required_amount, user=user,
                                today=date(2026, 3, 1))  # fmt: skip
        for result in record.quality_results():
            actions.record_quality(record, result, measured=record.quantity, observed="ok",
                                   judged_pass=True, user=user)  # fmt: skip
    actions.complete(record, user, today=date(2026, 3, 1))
    record = CompoundingRecord.get_by_id(record.id)
    assert record.beyond_use_date == date(2026, 3, 30)
    assert "legacy USP <795> 2014 table" in record.bud_explanation
