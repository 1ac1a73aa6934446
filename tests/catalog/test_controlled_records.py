"""Controlled-substance stock records: the perpetual inventory with running balances,
person and document; counts against it; C-II receiving on a 222; losses and destructions."""

from datetime import date, timedelta
from decimal import Decimal

import pytest

from portal.audit.models import AuditEvent
from portal.catalog.controlled import ledger, records
from portal.catalog.controlled.models import CountCheck, LossReport
from portal.catalog.stock.models import Lot
from tests.factories import make_lot, make_product, make_user

EXPIRES = date.today() + timedelta(days=400)


def _c2_product():
    return make_product(name="Oxycodone HCl", strength="5 mg", schedule="2")


def test_perpetual_inventory_shows_each_movement_with_balance_person_and_document(app):
    product = _c2_product()
    clerk = make_user(roles=("technician",), full_name="Tess Nguyen")
    lot = make_lot(product, quantity=Decimal(100), user=clerk, note="Invoice 5531")
    lot.withdraw(Decimal(30), "dispensed", user=clerk, note="Rx 100001-0", fill_id=1)
    other = make_lot(product, quantity=Decimal(50), user=clerk)
    found = ledger.page(product)
    assert found.on_hand == Decimal(120)
    assert [e.balance for e in found.entries] == [Decimal(120), Decimal(70), Decimal(100)]
    assert [e.movement.reason for e in found.entries] == ["received", "dispensed", "received"]
    dispensed = found.entries[1]
    assert (
        dispensed.document == "Rx 100001-0" and dispensed.movement.user.full_name == "Tess Nguyen"
    )
    assert found.entries[0].lot_number == other.lot_number


def test_perpetual_inventory_pages_keep_the_running_balance(app):
    product = _c2_product()
    lot = make_lot(product, quantity=Decimal(1000))
    for _ in range(25):
        lot.withdraw(Decimal(2), "dispensed", note="Rx")
    first = ledger.page(product, size=10)
    second = ledger.page(product, before_id=first.before_id, size=10)
    third = ledger.page(product, before_id=second.before_id, size=10)
    assert first.entries[0].balance == Decimal(950)
    assert second.entries[0].balance == first.entries[-1].balance + 2
    assert third.entries[-1].balance == Decimal(1000) and third.before_id is None


def test_a_count_discrepancy_needs_a_pharmacists_explanation(app):
    lot = make_lot(_c2_product(), quantity=Decimal(100))
    technician = make_user(roles=("technician",))
    with pytest.raises(records.RecordRefused, match="a pharmacist must explain"):
        records.record_count(lot, technician, counted=Decimal(98), explanation="")
    assert (
        records.record_count(lot, technician, counted=Decimal(100), explanation="").movement_id
        is None
    )
    pharmacist = make_user(roles=("pharmacist",))
    check = records.record_count(
        lot, pharmacist, counted=Decimal(98), explanation="Two tablets found crushed in the tray"
    )
    assert check.difference == Decimal(-2) and check.movement_id is not None
    assert Lot.get_by_id(lot.id).quantity_on_hand == Decimal(98)
    assert CountCheck.select().count() == 2


def _order(user, quantity=Decimal(100)):
    product = _c2_product()
    return records.create_order(
        user,
        order_form="222",
        order_number="190123456",
        supplier="Cardinal Health",
        supplier_dea="PA1234563",
        ordered_on=date.today(),
        lines=[(product, quantity)],
    )


def test_a_222_line_for_more_than_ordered_is_refused_and_the_rest_received(app):
    pharmacist = make_user(roles=("pharmacist",))
    order = _order(pharmacist)
    [line] = list(order.lines)
    receive = dict(lot_number="OX1", expires_on=EXPIRES, received_on=date.today())
    with pytest.raises(records.RecordRefused, match="Only 100 of the 100 ordered remain"):
        records.receive_line(line, pharmacist, quantity=Decimal(120), **receive)
    records.receive_line(line, pharmacist, quantity=Decimal(60), **receive)
    with pytest.raises(records.RecordRefused, match="Only 40 of the 100"):
        records.receive_line(line, pharmacist, quantity=Decimal(41), **receive)
    lot = records.receive_line(line, pharmacist, quantity=Decimal(40), **receive)
    assert lot.quantity_on_hand == Decimal(100)
    entry = ledger.page(line.product).entries[0]
    assert "DEA Form 222 #190123456 line 1, Cardinal Health (DEA PA1234563)" in entry.document


def test_an_order_with_a_bad_supplier_dea_or_no_lines_is_refused(app):
    pharmacist = make_user(roles=("pharmacist",))
    with pytest.raises(records.RecordRefused, match="Supplier DEA number") as refused:
        records.create_order(
            pharmacist,
            order_form="222",
            order_number="190123456",
            supplier="Cardinal",
            supplier_dea="PA1234560",
            ordered_on=date.today(),
            lines=[],
        )
    assert "Add at least one line" in str(refused.value)
    _order(pharmacist)
    with pytest.raises(records.RecordRefused, match="already on file"):
        _order(pharmacist)


def test_destruction_needs_two_witnesses_and_takes_the_stock(app):
    lot = make_lot(_c2_product(), quantity=Decimal(50))
    pharmacist = make_user(roles=("pharmacist",))
    destroy = dict(
        kind="destruction",
        lot=lot,
        quantity=Decimal(10),
        happened_on=date.today(),
        method="reverse_distributor",
        circumstances="Expired stock",
    )
    with pytest.raises(records.RecordRefused, match="two employees"):
        records.report_loss(pharmacist, witnesses="Paul Okonkwo", **destroy)
    report = records.report_loss(pharmacist, witnesses="Paul Okonkwo, Tess Nguyen", **destroy)
    assert report.form_name == "DEA Form 41"
    assert Lot.get_by_id(lot.id).quantity_on_hand == Decimal(40)


def test_theft_is_recorded_with_form_106_data_by_a_pharmacist(app):
    lot = make_lot(_c2_product(), quantity=Decimal(50))
    theft = dict(
        kind="theft_loss",
        lot=lot,
        quantity=Decimal(12),
        happened_on=date.today(),
        loss_kind="night_break_in",
        police_report="SPD-26-1182",
        circumstances="Safe forced overnight",
    )
    with pytest.raises(records.RecordRefused, match="A pharmacist records"):
        records.report_loss(make_user(roles=("technician",)), **theft)
    report = records.report_loss(make_user(roles=("pharmacist",)), **theft)
    assert report.form_name == "DEA Form 106" and LossReport.select().count() == 1
    assert Lot.get_by_id(lot.id).quantity_on_hand == Decimal(38)
    assert AuditEvent.select().where(AuditEvent.entity == "controlled_loss_report").count() == 1
