"""Lots and stock movements: the quantity on hand is the sum of movements, never negative
without an audited override."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from peewee import IntegrityError

from portal.audit.models import AuditEvent
from portal.catalog.stock.models import (
    InsufficientStock,
    Lot,
    StockError,
    StockMovement,
    low_stock,
    low_stock_count,
)
from tests.factories import make_ingredient, make_lot, make_product, make_user

TODAY = date(2025, 3, 10)


def _events(entity):
    return list(AuditEvent.select().where(AuditEvent.entity == entity).order_by(AuditEvent.id))


def test_receiving_creates_the_lot_with_a_movement_and_audits_both(app):
    ingredient = make_ingredient(name="Ketoprofen USP")
    user = make_user(roles=("technician",))
    lot = Lot.receive(
        ingredient,
        lot_number="K2291",
        expires_on=date(2026, 1, 31),
        quantity=Decimal("500"),
        supplier="PCCA",
        user=user,
    )
    assert lot.quantity_on_hand == Decimal(500)
    assert lot.unit == "g"
    [movement] = StockMovement.select().where(StockMovement.lot == lot)
    assert (movement.reason, movement.delta, movement.user_id) == ("received", 500, user.id)
    assert [e.action for e in _events("lot")] == ["create"]
    assert _events("stock_movement")[0].user_id == user.id


def test_receiving_the_same_lot_again_adds_to_it(app):
    ingredient = make_ingredient()
    first = make_lot(ingredient, quantity=100, lot_number="A1", expires_on=date(2026, 5, 1))
    again = make_lot(ingredient, quantity=50, lot_number="A1", expires_on=date(2026, 5, 1))
    assert again.id == first.id
    assert Lot.get_by_id(first.id).quantity_on_hand == 150


def test_receiving_a_known_lot_with_another_expiry_is_refused(app):
    ingredient = make_ingredient()
    make_lot(ingredient, lot_number="A1", expires_on=date(2026, 5, 1))
    with pytest.raises(StockError, match="already on file expiring 05/01/2026"):
        make_lot(ingredient, lot_number="A1", expires_on=date(2026, 6, 1))


def test_withdrawing_more_than_on_hand_says_how_much_there_is(app):
    lot = make_lot(make_ingredient(), quantity=40, lot_number="ABC123")
    with pytest.raises(InsufficientStock) as error:
        lot.withdraw(Decimal(50), "compounded")
    assert str(error.value) == "Lot ABC123 has 40 g on hand; 50 g were asked for"
    assert Lot.get_by_id(lot.id).quantity_on_hand == 40
    assert StockMovement.select().where(StockMovement.lot == lot).count() == 1


def test_fractional_withdrawals_are_exact(app):
    lot = make_lot(make_ingredient(), quantity=Decimal("0.3"))
    lot.withdraw(Decimal("0.1"), "compounded", compounding_record_id=7)
    lot.withdraw(Decimal("0.2"), "compounded", compounding_record_id=7)
    assert Lot.get_by_id(lot.id).quantity_on_hand == 0
    assert Lot.out_of_step().count() == 0


def test_override_below_zero_needs_a_pharmacist_and_a_reason_and_is_audited(app):
    lot = make_lot(make_product(), quantity=10, lot_number="P77")
    technician = make_user(roles=("technician",))
    pharmacist = make_user(roles=("pharmacist",))
    with pytest.raises(StockError, match="needs a reason"):
        lot.withdraw(12, "dispensed", user=pharmacist, allow_negative=True)
    with pytest.raises(StockError, match="Only a pharmacist or manager"):
        lot.withdraw(12, "dispensed", user=technician, allow_negative=True, override_reason="x")
    movement = lot.withdraw(
        12,
        "dispensed",
        user=pharmacist,
        fill_id=31,
        allow_negative=True,
        override_reason="bottle count was wrong; recount pending",
    )
    assert movement.override and movement.balance_after == -2
    assert movement.fill_id == 31
    assert Lot.get_by_id(lot.id).quantity_on_hand == -2
    override = [e for e in _events("lot") if e.action == "override"]
    assert override and "recount pending" in override[0].note
    assert override[0].user_id == pharmacist.id


def test_adjustment_needs_a_note_and_keeps_its_sign(app):
    lot = make_lot(make_product(), quantity=100)
    with pytest.raises(StockError, match="a note is required"):
        lot.adjust(Decimal(-3), "")
    lot.adjust(Decimal(-3), "Count found 97")
    lot.adjust(Decimal(1), "One found behind the shelf")
    assert Lot.get_by_id(lot.id).quantity_on_hand == 98


def test_withdraw_refuses_reasons_that_add_stock(app):
    lot = make_lot(make_product())
    with pytest.raises(StockError):
        lot.withdraw(1, "received")
    with pytest.raises(StockError):
        lot.add_back(1, "dispensed")


def test_remove_all_empties_the_lot(app):
    lot = make_lot(make_ingredient(), quantity=Decimal("12.5"))
    movement = lot.remove_all("destroyed", "Expired; witnessed by J. Ortiz")
    assert movement.delta == Decimal("-12.5")
    assert Lot.get_by_id(lot.id).quantity_on_hand == 0
    with pytest.raises(StockError, match="nothing on hand"):
        lot.remove_all("destroyed", "again")


def test_usable_lots_are_unexpired_with_stock_first_expiring_first(app):
    ingredient = make_ingredient()
    later = make_lot(ingredient, expires_on=TODAY + timedelta(days=200))
    sooner = make_lot(ingredient, expires_on=TODAY + timedelta(days=20))
    make_lot(ingredient, expires_on=TODAY - timedelta(days=1))  # expired
    empty = make_lot(ingredient, quantity=5, expires_on=TODAY + timedelta(days=5))
    empty.withdraw(5, "compounded")
    on_the_day = make_lot(ingredient, expires_on=TODAY)
    make_lot(make_ingredient(), expires_on=TODAY + timedelta(days=3))  # another ingredient
    assert [lot.id for lot in Lot.usable_for(ingredient, TODAY)] == [
        on_the_day.id,
        sooner.id,
        later.id,
    ]


def test_expiring_and_expired_lists(app):
    product = make_product()
    soon = make_lot(product, expires_on=TODAY + timedelta(days=30))
    make_lot(product, expires_on=TODAY + timedelta(days=90))
    gone = make_lot(product, expires_on=TODAY - timedelta(days=3))
    assert [lot.id for lot in Lot.expiring_within(60, TODAY)] == [soon.id]
    assert len(list(Lot.expiring_within(120, TODAY))) == 2
    assert [lot.id for lot in Lot.expired_on_hand(TODAY)] == [gone.id]
    gone.remove_all("destroyed", "Sent to reverse distributor")
    assert list(Lot.expired_on_hand(TODAY)) == []


def test_low_stock_counts_only_unexpired_lots_against_the_reorder_point(app):
    low = make_product(name="Alprazolam", reorder_point=Decimal(200))
    make_lot(low, quantity=150, expires_on=TODAY + timedelta(days=100))
    make_lot(low, quantity=500, expires_on=TODAY - timedelta(days=1))
    fine = make_product(name="Amoxicillin", reorder_point=Decimal(100))
    make_lot(fine, quantity=120, expires_on=TODAY + timedelta(days=100))
    none_at_all = make_ingredient(name="Baclofen USP", reorder_point=Decimal(25))
    make_product(name="No reorder point")
    rows = low_stock(TODAY)
    assert [(str(item), on_hand) for item, on_hand in rows] == [
        ("Baclofen USP", 0),
        ("Alprazolam 10 mg tablet", 150),
    ]
    assert low_stock_count(TODAY) == 2  # the start page's count, made in the database
    assert none_at_all.on_hand(TODAY) == 0
    assert low.on_hand(TODAY) == 150 and low.on_hand() == 650


def test_a_lot_belongs_to_exactly_one_item(app):
    with pytest.raises(IntegrityError):
        Lot.create(lot_number="X", expires_on=TODAY, received_on=TODAY, unit="g")


def test_cached_quantity_equals_sum_of_movements_after_many_changes(app):
    lots = [make_lot(make_ingredient(), quantity=Decimal("250.125")) for _ in range(3)]
    pharmacist = make_user(roles=("pharmacist",))
    for step in range(1, 30):
        lot = lots[step % 3]
        if step % 4 == 0:
            lot.add_back(Decimal("0.3333"), note="returned")
        elif step % 5 == 0:
            lot.adjust(Decimal("-1.1"), "recount", user=pharmacist)
        else:
            lot.withdraw(Decimal("7.0417"), "compounded")
    assert Lot.out_of_step().count() == 0
    Lot.update(quantity_on_hand=Decimal(1)).where(Lot.id == lots[0].id).execute()
    assert [lot.id for lot in Lot.out_of_step()] == [lots[0].id]
