"""Partial fills (21 CFR 1306.13, 1306.23): less is dispensed with a reason; the remainder
is a follow-on fill of the same prescription, never refused as a refill; its window is
enforced, and a lapsed remainder is voided with a notice to the prescriber."""

from datetime import timedelta
from decimal import Decimal

import pytest

from portal.audit.models import AuditEvent
from portal.foundation.dates import today
from portal.labels.content import label_content
from portal.labels.from_fill import label_for_fill
from portal.prescriptions.controlled import partial
from portal.prescriptions.fills.models import Clarification, Fill
from portal.prescriptions.screening import gather
from tests.factories import (
    advance_fill,
    make_fill,
    make_ingredient,
    make_pharmacy,
    make_prescription,
    make_product,
    make_user,
)


def _controlled_fill(schedule="2", refills=0) -> Fill:
    make_pharmacy()
    drug = make_ingredient(name=f"Controlled {schedule}", schedule=schedule)
    product = make_product(ingredients=[drug], name="Oxycodone", schedule=schedule)
    return make_fill(
        make_prescription(
            product=product,
            sig="1 tab po q6h prn pain",
            quantity=Decimal(30),
            quantity_unit="tab",
            days_supply=7,
            refills_authorized=refills,
        )
    )


def _partly_filled(reason="out_of_stock", schedule="2", refills=0):
    fill = _controlled_fill(schedule, refills)
    technician = make_user(roles=("technician",))
    partial.record_partial(fill, technician, quantity=Decimal(10), reason=reason)
    pharmacist = make_user(roles=("pharmacist",))
    advance_fill(fill, "picked_up", pharmacist=pharmacist, technician=technician)
    return Fill.get_by_id(fill.id), technician, pharmacist


def _blocks(fill):
    return [r for r in gather.checks_for(fill, today()) if r.status.value == "block"]


def test_second_dispensing_of_a_partly_filled_c2_is_not_refused_as_a_refill(app):
    first, technician, _ = _partly_filled()
    assert first.partial_text == "partial fill: 10 of 30"
    remainder = partial.open_remainder(
        first, technician, quantity=Decimal(20), now=partial.local_now()
    )
    assert remainder.status == "data_verify" and remainder.remainder_of_id == first.id
    assert remainder.partial_text == "partial fill: 20 of 30"
    assert _blocks(remainder) == []  # neither "refill of a C-II" nor "no refills remain"
    refills = next(r for r in gather.checks_for(remainder, today()) if r.check == "refills")
    assert "No refills remain" not in refills.message


def test_a_remainder_is_not_a_refill_too_soon_after_the_partial_it_continues(app):
    first, technician, _ = _partly_filled()
    remainder = partial.open_remainder(
        first, technician, quantity=Decimal(20), now=partial.local_now()
    )
    soon = next(r for r in gather.checks_for(remainder, today()) if r.check == "refill_too_soon")
    assert soon.status.value == "pass", soon.message


def test_remainder_over_what_is_left_is_refused_in_words(app):
    first, technician, _ = _partly_filled()
    with pytest.raises(partial.PartialRefused, match="Only 20 remain of the 30 prescribed"):
        partial.open_remainder(first, technician, quantity=Decimal(21), now=partial.local_now())
    assert Fill.select().count() == 1


def test_out_of_stock_remainder_after_72_hours_is_refused_then_voided_with_a_notice(app):
    first, technician, _ = _partly_filled()
    later = partial.local_now() + timedelta(hours=72, minutes=1)
    with pytest.raises(partial.PartialRefused, match="72 hours") as refused:
        partial.open_remainder(first, technician, quantity=Decimal(20), now=later)
    assert "void" in str(refused.value)
    with pytest.raises(partial.PartialRefused, match="may still be dispensed"):
        partial.void_remainder(first, technician, now=partial.local_now())
    notice = partial.void_remainder(first, technician, now=later)
    assert "remaining 20 tablets" in notice.question and "is void" in notice.question
    assert Clarification.select().count() == 1
    assert Fill.get_by_id(first.id).remainder_voided_at is not None
    assert AuditEvent.select().where(AuditEvent.action == "void_remainder").count() == 1
    with pytest.raises(partial.PartialRefused, match="voided"):
        partial.open_remainder(first, technician, quantity=Decimal(5), now=later)


def test_requested_partial_may_wait_until_30_days_after_writing(app):
    first, technician, _ = _partly_filled(reason="request")
    window = partial.window(first)
    assert window.last_day == first.prescription.written_on + timedelta(days=30)


def test_a_partial_fill_needs_less_than_prescribed_and_a_reason(app):
    fill = _controlled_fill()
    technician = make_user(roles=("technician",))
    with pytest.raises(partial.PartialRefused, match="less than the 30"):
        partial.record_partial(fill, technician, quantity=Decimal(30), reason="request")
    with pytest.raises(partial.PartialRefused, match="Choose why"):
        partial.record_partial(fill, technician, quantity=Decimal(10), reason="")
    assert Fill.get_by_id(fill.id).quantity == Decimal(30)


def test_c3_remainder_keeps_the_refills_left(app):
    first, technician, _ = _partly_filled(schedule="3", refills=2)
    remainder = partial.open_remainder(
        first, technician, quantity=Decimal(20), now=partial.local_now()
    )
    assert remainder.refills_remaining == first.refills_remaining == 2
    assert first.prescription.refills_left() == 2
    assert _blocks(remainder) == []


def test_the_label_says_partial_fill_n_of_m(app):
    first, _, _ = _partly_filled()
    content = label_content(label_for_fill(first))
    assert "partial\u00a0fill:\u00a010\u00a0of\u00a030" in content.quantity
    technician = make_user(roles=("technician",))
    remainder = partial.open_remainder(
        first, technician, quantity=Decimal(20), now=partial.local_now()
    )
    advance_fill(remainder, "final_verify", technician=technician)
    content = label_content(label_for_fill(remainder))
    assert content.fill == "Remainder"
    assert "20\u00a0of\u00a030" in content.quantity


def test_partial_fill_page_refuses_bad_input_and_records_a_good_one(client_as):
    fill = _controlled_fill()
    advance_fill(fill, "fill")
    technician = client_as("technician")
    response = technician.post(f"/fills/{fill.id}/partial", data={"quantity": "40", "reason": ""})
    assert response.status_code == 422
    assert "Choose why less than the prescribed quantity" in response.text
    assert 'value="40"' in response.text
    response = technician.post(
        f"/fills/{fill.id}/partial", data={"quantity": "10", "reason": "out_of_stock"}
    )
    assert response.status_code == 302
    assert Fill.get_by_id(fill.id).partial_text == "partial fill: 10 of 30"
    assert "partial fill: 10 of 30" in technician.get(f"/fills/{fill.id}/fill").text


def test_remainder_page_sends_the_remainder_and_refuses_too_much(client_as):
    first, _, _ = _partly_filled()
    technician = client_as("technician")
    page = technician.get(f"/fills/{first.id}/remainder")
    assert "1306.13(a)" in page.text and 'value="20"' in page.text
    response = technician.post(f"/fills/{first.id}/remainder", data={"quantity": "25"})
    assert response.status_code == 422 and "Only 20 remain" in response.text
    response = technician.post(f"/fills/{first.id}/remainder", data={"quantity": "20"})
    assert response.status_code == 302
    rx_page = technician.get(f"/rx/{first.prescription.rx_number}").text
    assert "partial fill: 20 of 30" in rx_page and "Remainder of partial fill" in rx_page


def test_a_lapsed_remainder_shows_on_the_start_page_until_voided(client_as, monkeypatch):
    first, technician, _ = _partly_filled()
    later = partial.local_now() + timedelta(hours=73)
    real = partial.local_now
    monkeypatch.setattr(partial, "local_now", lambda moment=None: real(moment) if moment else later)
    start = client_as("pharmacist").get("/")
    assert f"Rx {first.rx_fill}: the partial fill" in start.text
    partial.void_remainder(first, technician, now=later)
    assert f"Rx {first.rx_fill}: the partial fill" not in client_as("pharmacist").get("/").text


def test_the_start_page_finds_partial_fills_from_their_own_index(app):
    """Not by reading every fill (migration 0157): the query's condition implies the index's."""
    from portal.foundation.db import db, is_sqlite, refresh_statistics
    from portal.prescriptions.fills.models import PARTIAL

    if not is_sqlite():
        pytest.skip("SQLite's planner")
    for _ in range(20):
        make_fill()
    Fill.update(status="picked_up").execute()  # whole fills handed out: the most common row
    refresh_statistics()
    query = Fill.select(Fill.id).where(PARTIAL & Fill.status.in_(partial.DISPENSED))
    sql, params = query.sql()
    plan = " | ".join(
        str(row[-1]) for row in db.execute_sql(f"EXPLAIN QUERY PLAN {sql}", params).fetchall()
    )
    assert "fill_partial_status" in plan, plan
