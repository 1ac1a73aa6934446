"""Terminals at once on controlled-substance records: receiving the same 222 line never
takes in more than was ordered, and one partial fill's remainder is dispensed once."""

from datetime import date, timedelta
from decimal import Decimal

from portal.catalog.controlled import records
from portal.catalog.stock.models import Lot
from portal.prescriptions.controlled import partial
from portal.prescriptions.fills.models import Fill
from tests.factories import (
    advance_fill,
    make_fill,
    make_ingredient,
    make_pharmacy,
    make_prescription,
    make_product,
    make_user,
)
from tests.security.concurrency import at_once, signed_in_clients

BURST = 8


def test_simultaneous_receipts_on_a_222_line_stop_at_the_ordered_quantity(app):
    product = make_product(name="Oxycodone HCl", schedule="2")
    order = records.create_order(
        make_user(roles=("pharmacist",)),
        order_form="222",
        order_number="190123456",
        supplier="Cardinal Health",
        supplier_dea="PA1234563",
        ordered_on=date.today(),
        lines=[(product, Decimal(100))],
    )
    line = order.lines.get()
    clients = signed_in_clients(app, BURST, "technician")
    data = {
        "line_id": str(line.id),
        "quantity": "25",
        "lot_number": "OX1",
        "expires_on": (date.today() + timedelta(days=400)).strftime("%m/%Y"),
        "received_on": date.today().strftime("%m/%d/%Y"),
    }
    url = f"/inventory/controlled/orders/{order.id}"

    answers = at_once([lambda c=c: c.post(url, data=data) for c in clients])

    codes = sorted(answer.status_code for answer in answers)
    assert codes == [302] * 4 + [422] * (BURST - 4)
    assert Lot.get(Lot.lot_number == "OX1").quantity_on_hand == Decimal(100)
    assert line.__class__.get_by_id(line.id).quantity_received == Decimal(100)


def test_simultaneous_remainders_of_one_partial_fill_are_made_once(app):
    make_pharmacy()
    drug = make_ingredient(name="Oxycodone hydrochloride", schedule="2")
    product = make_product(ingredients=[drug], name="Oxycodone", schedule="2")
    fill = make_fill(
        make_prescription(
            product=product,
            sig="1 tab po q6h prn pain",
            quantity=Decimal(30),
            quantity_unit="tab",
            days_supply=7,
        )
    )
    technician = make_user(roles=("technician",))
    partial.record_partial(fill, technician, quantity=Decimal(10), reason="out_of_stock")
    advance_fill(fill, "picked_up", technician=technician)
    clients = signed_in_clients(app, BURST, "technician")
    url = f"/fills/{fill.id}/remainder"

    answers = at_once([lambda c=c: c.post(url, data={"quantity": "20"}) for c in clients])

    assert sorted(a.status_code for a in answers) == [302] + [422] * (BURST - 1)
    assert Fill.select().where(Fill.remainder_of == fill.id).count() == 1
