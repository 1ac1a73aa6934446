"""The controlled-substance records pages: perpetual inventory with a count, a C-II order
received line by line, a destruction; bad input re-renders with the rule in words."""

from datetime import date, timedelta
from decimal import Decimal

from portal.catalog.controlled.models import ControlledOrder, LossReport
from portal.catalog.stock.models import Lot
from tests.factories import make_lot, make_product

EXPIRY = (date.today() + timedelta(days=400)).strftime("%m/%Y")
TODAY = date.today().strftime("%m/%d/%Y")


def test_perpetual_inventory_page_and_a_count_refused_for_a_technician(client_as):
    product = make_product(name="Oxycodone HCl", strength="5 mg", schedule="2")
    lot = make_lot(product, quantity=Decimal(100), note="Invoice 5531")
    lot.withdraw(Decimal(30), "dispensed", note="Rx 100001-0")
    technician = client_as("technician")
    page = technician.get(f"/inventory/controlled/products/{product.id}")
    assert page.status_code == 200
    assert "Rx 100001-0" in page.text and "On hand: <strong>70 each" in page.text
    response = technician.post(
        f"/inventory/controlled/products/{product.id}",
        data={"lot_id": str(lot.id), "counted": "68", "explanation": ""},
    )
    assert response.status_code == 422 and "a pharmacist must explain" in response.text
    assert 'value="68"' in response.text
    assert Lot.get_by_id(lot.id).quantity_on_hand == Decimal(70)


def test_a_non_controlled_product_has_no_perpetual_inventory_page(client_as):
    product = make_product()
    assert (
        client_as("technician").get(f"/inventory/controlled/products/{product.id}").status_code
        == 404
    )


def test_order_page_records_and_receives_refusing_over_the_ordered_quantity(client_as):
    product = make_product(name="Oxycodone HCl", strength="5 mg", schedule="2")
    pharmacist = client_as("pharmacist")
    response = pharmacist.post(
        "/inventory/controlled/orders/new",
        data={
            "order_form": "222",
            "order_number": "190123456",
            "supplier": "Cardinal Health",
            "supplier_dea": "PA1234563",
            "ordered_on": TODAY,
            "lines-0-product_id": str(product.id),
            "lines-0-quantity": "100",
        },
    )
    assert response.status_code == 302
    order = ControlledOrder.get()
    line = order.lines.get()
    receive = {
        "line_id": str(line.id),
        "lot_number": "OX1",
        "expires_on": EXPIRY,
        "received_on": TODAY,
    }
    response = pharmacist.post(
        f"/inventory/controlled/orders/{order.id}", data={**receive, "quantity": "120"}
    )
    assert response.status_code == 422 and "Only 100 of the 100 ordered remain" in response.text
    response = pharmacist.post(
        f"/inventory/controlled/orders/{order.id}", data={**receive, "quantity": "100"}
    )
    assert response.status_code == 302
    assert Lot.get(Lot.lot_number == "OX1").quantity_on_hand == Decimal(100)


def test_destruction_form_needs_witnesses_and_records_form_41_data(client_as):
    product = make_product(name="Oxycodone HCl", strength="5 mg", schedule="2")
    lot = make_lot(product, quantity=Decimal(50))
    pharmacist = client_as("pharmacist")
    data = {
        "kind": "destruction",
        "lot_id": str(lot.id),
        "quantity": "10",
        "happened_on": TODAY,
        "method": "incineration",
        "circumstances": "Expired",
    }
    response = pharmacist.post("/inventory/controlled/losses/new", data=data)
    assert response.status_code == 422 and "two employees" in response.text
    response = pharmacist.post(
        "/inventory/controlled/losses/new", data={**data, "witnesses": "Ann Lee, Bo Park"}
    )
    assert response.status_code == 302
    assert LossReport.get().form_name == "DEA Form 41"
    assert Lot.get_by_id(lot.id).quantity_on_hand == Decimal(40)
