"""Concurrent stock counts, removals and receipts leave the lot as counted: each difference
is worked out inside the transaction from the lot as it stands then, so ten terminals
counting the same shelf at once record one adjustment, not ten (issue 17, item 2)."""

from datetime import date, timedelta
from decimal import Decimal

from portal.catalog.stock.models import Lot, StockMovement
from tests.factories import make_lot, make_product
from tests.security.concurrency import at_once, signed_in_clients

BURST = 10


def _movements(lot, reason):
    return list(
        StockMovement.select().where(StockMovement.lot == lot.id, StockMovement.reason == reason)
    )


def test_ten_simultaneous_counts_record_one_adjustment(app):
    lot = make_lot(quantity=Decimal(300))
    clients = signed_in_clients(app, BURST, "technician")
    url = f"/inventory/lots/{lot.id}/count"

    answers = at_once(
        [lambda c=c: c.post(url, data={"counted": "290", "note": "broken bottle"}) for c in clients]
    )

    assert [answer.status_code for answer in answers] == [302] * BURST
    assert Lot.get_by_id(lot.id).quantity_on_hand == Decimal(290)
    [adjustment] = _movements(lot, "adjusted")
    assert (adjustment.delta, adjustment.balance_after) == (Decimal(-10), Decimal(290))
    assert list(Lot.out_of_step()) == []


def test_a_count_racing_withdrawals_leaves_the_counted_quantity(app):
    lot = make_lot(quantity=Decimal(300))
    clients = signed_in_clients(app, BURST, "technician")
    url = f"/inventory/lots/{lot.id}"
    count = {"counted": "250", "note": "recount"}
    take = {"reason": "dispensed", "quantity": "5", "note": ""}
    calls = [lambda c=clients[0]: c.post(f"{url}/count", data=count)]
    calls += [lambda c=c: c.post(f"{url}/move", data=take) for c in clients[1:]]

    answers = at_once(calls)

    assert [answer.status_code for answer in answers] == [302] * BURST
    [adjustment] = _movements(lot, "adjusted")
    assert adjustment.balance_after == Decimal(250)  # the shelf as counted at that moment
    dispensed_after = sum(
        1 for movement in _movements(lot, "dispensed") if movement.id > adjustment.id
    )
    assert Lot.get_by_id(lot.id).quantity_on_hand == Decimal(250) - 5 * dispensed_after
    assert list(Lot.out_of_step()) == []


def test_simultaneous_destruction_of_a_lot_is_recorded_once(app):
    lot = make_lot(quantity=Decimal(40))
    clients = signed_in_clients(app, BURST, "pharmacist")
    url = f"/inventory/lots/{lot.id}/destroy"

    answers = at_once(
        [lambda c=c: c.post(url, data={"note": "Witnessed by J. Doe, RPh"}) for c in clients]
    )

    assert all(answer.status_code < 500 for answer in answers)
    assert Lot.get_by_id(lot.id).quantity_on_hand == 0
    [destroyed] = _movements(lot, "destroyed")
    assert destroyed.delta == Decimal(-40)
    pages = [answer.get_data(as_text=True) for answer in answers if answer.status_code != 302]
    assert all("nothing on hand to remove" in page for page in pages)


def test_the_same_new_lot_received_at_once_is_one_lot_with_every_receipt(app):
    product = make_product()
    clients = signed_in_clients(app, BURST, "technician")
    expiry = (date.today() + timedelta(days=400)).strftime("%m/%d/%Y")
    form = {
        "lot_number": "RACE1",
        "expires_on": expiry,
        "quantity": "10",
        "count_in": "units",
        "received_on": date.today().strftime("%m/%d/%Y"),
    }
    url = f"/inventory/products/{product.id}/receive"

    answers = at_once([lambda c=c: c.post(url, data=form) for c in clients])

    assert [answer.status_code for answer in answers] == [302] * BURST
    [lot] = Lot.select().where(Lot.product == product.id)
    assert lot.quantity_on_hand == Decimal(10 * BURST)
    assert len(_movements(lot, "received")) == BURST
    assert list(Lot.out_of_step()) == []
