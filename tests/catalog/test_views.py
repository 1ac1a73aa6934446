"""Inventory pages: products, ingredients, receiving, movements, counts, destruction."""

from datetime import date, timedelta
from decimal import Decimal

import pytest

from portal.audit.models import AuditEvent
from portal.catalog.models import Ingredient, Product
from portal.catalog.stock.models import Lot, StockMovement
from tests.factories import make_ingredient, make_lot, make_product

PRODUCT = {
    "ndc": "0406-0552-01",
    "name": "Oxycodone Hydrochloride",
    "generic_name": "oxycodone hydrochloride",
    "strength": "5 mg",
    "dosage_form": "tablet",
    "package_size": "100",
    "package_unit": "each",
    "schedule": "2",
    "manufacturer": "Northfield Generics",
    "acquisition_cost": "18.40",
    "reorder_point": "200",
    "active_ingredients": "Oxycodone Hydrochloride, 5 mg",
}
INGREDIENT = {
    "name": "Ketoprofen",
    "schedule": "",
    "allergen_classes": "NSAIDs",
    "potency": "0.995",
    "salt_factor": "",
    "unit": "g",
    "cost_per_unit": "2.1000",
    "reorder_point": "50",
    "bulk_ndc": "",
}


def _audits(entity, action=None):
    query = AuditEvent.select().where(AuditEvent.entity == entity)
    if action:
        query = query.where(AuditEvent.action == action)
    return list(query.order_by(AuditEvent.id))


def test_pharmacist_adds_a_product_stored_in_billing_form_with_its_ingredient(client_as):
    opioids = make_ingredient(name="Oxycodone Hydrochloride", allergen_classes="opioids")
    client = client_as("pharmacist")
    response = client.post("/inventory/products/new", data=PRODUCT)
    assert response.status_code == 302
    product = Product.get()
    assert product.ndc == "00406-0552-01"
    assert product.schedule == "2" and product.acquisition_cost == Decimal("18.40")
    assert product.active_ingredients() == [opioids]
    assert [e.user_id for e in _audits("product", "create")] == [client.user.id]
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "allergen classes: opioids" in page and "$0.184 / each" in page


def test_new_ingredient_names_on_a_product_are_added_and_flagged(client_as):
    client = client_as("manager")
    data = {**PRODUCT, "active_ingredients": "Hydrocodone Bitartrate, 5 mg\nAcetaminophen, 325 mg"}
    page = client.post("/inventory/products/new", data=data, follow_redirects=True)
    assert "New ingredients added: Acetaminophen, Hydrocodone Bitartrate" in page.get_data(
        as_text=True
    )
    product = Product.get()
    assert [i.name for i in product.active_ingredients()] == [
        "Acetaminophen",
        "Hydrocodone Bitartrate",
    ]
    assert Ingredient.by_name("hydrocodone bitartrate").schedule is None  # two ingredients
    assert {e.entity_id for e in _audits("ingredient", "create")} == {
        str(i.id) for i in Ingredient.select()
    }


@pytest.mark.parametrize(
    "changes, message",
    [
        ({"ndc": "0406055201"}, "10 digits without hyphens are ambiguous"),
        ({"ndc": "406-552-1"}, "NDC groups 3-3-1 are not an NDC shape"),
        ({"ndc": ""}, "Enter the NDC as printed on the package."),
        ({"package_size": "0"}, "The package size must be more than zero."),
        ({"package_size": "a hundred"}, "The package size &#39;a hundred&#39; is not a number."),
        ({"acquisition_cost": "-3"}, "cannot be less than 0"),
        ({"acquisition_cost": "1.234"}, "more than 2 decimal places"),
        ({"schedule": "1"}, "Not a valid choice"),
        ({"name": ""}, "Enter the product name."),
        ({"dosage_form": "tab\x07let"}, "Remove the invisible control characters"),
        ({"active_ingredients": "Oxycodone\noxycodone"}, "An ingredient is listed twice."),
    ],
)
def test_product_form_explains_each_problem_and_saves_nothing(client_as, changes, message):
    client = client_as("pharmacist")
    response = client.post("/inventory/products/new", data={**PRODUCT, **changes})
    assert response.status_code == 200
    text = response.get_data(as_text=True)
    assert message in text
    assert 'value="Northfield Generics"' in text
    assert Product.select().count() == 0 and Ingredient.select().count() == 0


def test_duplicate_ndc_in_any_shape_names_the_product_on_file(client_as):
    make_product(ndc="00406-0552-01", name="Oxycodone HCl", strength="5 mg")
    client = client_as("pharmacist")
    text = client.post("/inventory/products/new", data=PRODUCT).get_data(as_text=True)
    assert "NDC 00406-0552-01 is already on file for Oxycodone HCl 5 mg tablet." in text


def test_editing_a_product_audits_only_the_changes(client_as):
    product = make_product(ndc="00406-0552-01", acquisition_cost=Decimal("18.40"), schedule="2")
    client = client_as("manager")
    form = client.get(f"/inventory/products/{product.id}/edit").get_data(as_text=True)
    assert 'value="18.40"' in form and 'value="100"' in form
    data = {**PRODUCT, "acquisition_cost": "19.15", "active": "y", "active_ingredients": ""}
    assert client.post(f"/inventory/products/{product.id}/edit", data=data).status_code == 302
    [event] = _audits("product", "update")
    assert Decimal(event.before_data()["acquisition_cost"]) == Decimal("18.40")
    assert Decimal(event.after_data()["acquisition_cost"]) == Decimal("19.15")
    assert "package_size" not in event.after_data()


def test_ingredient_form_and_case_insensitive_duplicates(client_as):
    client = client_as("pharmacist")
    assert client.post("/inventory/ingredients/new", data=INGREDIENT).status_code == 302
    ingredient = Ingredient.get()
    assert ingredient.allergen_class_tuple == ("NSAIDs",)
    assert ingredient.cost_per_unit == Decimal("2.1")
    text = client.post(
        "/inventory/ingredients/new", data={**INGREDIENT, "name": "KETOPROFEN"}
    ).get_data(as_text=True)
    assert "Ketoprofen is already on file." in text
    text = client.post(
        "/inventory/ingredients/new", data={**INGREDIENT, "name": "X", "potency": "98"}
    ).get_data(as_text=True)
    assert "The potency factor cannot be more than 1.5." in text
    assert [e.action for e in _audits("ingredient")] == ["create"]


def test_technicians_see_and_receive_but_do_not_edit_the_catalog(client_as):
    product = make_product()
    client = client_as("technician")
    assert client.get("/inventory/").status_code == 200
    assert b"Add product" not in client.get("/inventory/products").data
    assert client.get("/inventory/products/new").status_code == 403
    assert client.get(f"/inventory/products/{product.id}/edit").status_code == 403
    assert client.get("/inventory/import").status_code == 403
    assert client.get(f"/inventory/products/{product.id}/receive").status_code == 200
    assert client_as("admin").get("/inventory/").status_code == 403


def test_receiving_packages_counts_units_and_adds_to_a_known_lot(client_as):
    product = make_product(package_size=Decimal(100))
    client = client_as("technician")
    expiry = (date.today() + timedelta(days=400)).strftime("%m/%Y")
    data = {
        "lot_number": "RX55",
        "expires_on": expiry,
        "quantity": "3",
        "count_in": "packages",
        "received_on": date.today().strftime("%m/%d/%Y"),
        "supplier": "McKesson",
        "note": "",
    }
    response = client.post(f"/inventory/products/{product.id}/receive", data=data)
    assert response.status_code == 302
    lot = Lot.get()
    assert lot.quantity_on_hand == 300
    assert lot.expires_on.day in (28, 29, 30, 31)  # month/year means the end of the month
    client.post(f"/inventory/products/{product.id}/receive", data={**data, "count_in": "units"})
    assert Lot.get_by_id(lot.id).quantity_on_hand == 303
    other_expiry = {**data, "expires_on": "01/2099"}
    text = client.post(f"/inventory/products/{product.id}/receive", data=other_expiry).get_data(
        as_text=True
    )
    assert "Lot RX55 is already on file expiring" in text


@pytest.mark.parametrize(
    "changes, message",
    [
        (
            {"expires_on": "01/2020"},
            "This lot expired on 01/31/2020; do not receive expired stock.",
        ),
        ({"expires_on": "31/12/2030"}, "is not a real date"),
        ({"expires_on": ""}, "Enter the date, e.g. 03/2027 or 03/31/2027."),
        ({"quantity": "0"}, "The quantity received must be more than zero."),
        ({"received_on": "01/01/2199"}, "Check the year"),
        ({"lot_number": ""}, "Enter the lot number from the package."),
    ],
)
def test_receiving_explains_bad_input(client_as, changes, message):
    product = make_product()
    data = {
        "lot_number": "RX55",
        "expires_on": "12/2030",
        "quantity": "100",
        "count_in": "units",
        "received_on": date.today().strftime("%m/%d/%Y"),
        "supplier": "",
        "note": "",
    }
    text = (
        client_as("technician")
        .post(f"/inventory/products/{product.id}/receive", data={**data, **changes})
        .get_data(as_text=True)
    )
    assert message in text
    assert Lot.select().count() == 0


def test_taking_out_more_than_on_hand_is_refused_in_words(client_as):
    lot = make_lot(make_ingredient(), quantity=40, lot_number="ABC123")
    client = client_as("technician")
    data = {"reason": "compounded", "quantity": "50", "note": ""}
    text = client.post(f"/inventory/lots/{lot.id}/move", data=data).get_data(as_text=True)
    assert "Lot ABC123 has 40 g on hand; 50 g were asked for." in text
    assert Lot.get_by_id(lot.id).quantity_on_hand == 40


def test_technician_cannot_override_below_zero(client_as):
    lot = make_lot(make_product(), quantity=10)
    data = {
        "reason": "dispensed",
        "quantity": "12",
        "note": "",
        "allow_negative": "y",
        "override_reason": "count off",
    }
    text = (
        client_as("technician")
        .post(f"/inventory/lots/{lot.id}/move", data=data)
        .get_data(as_text=True)
    )
    assert "Only a pharmacist or manager may let stock go below zero." in text
    assert Lot.get_by_id(lot.id).quantity_on_hand == 10


def test_pharmacist_override_below_zero_is_recorded_and_audited(client_as):
    lot = make_lot(make_product(), quantity=10)
    client = client_as("pharmacist")
    data = {
        "reason": "dispensed",
        "quantity": "12",
        "note": "",
        "allow_negative": "y",
        "override_reason": "",
    }
    text = client.post(f"/inventory/lots/{lot.id}/move", data=data).get_data(as_text=True)
    assert "Say why the lot may go below zero." in text
    data["override_reason"] = "Bottle short-filled; supplier credit requested"
    assert client.post(f"/inventory/lots/{lot.id}/move", data=data).status_code == 302
    assert Lot.get_by_id(lot.id).quantity_on_hand == -2
    assert _audits("lot", "override")[0].user_id == client.user.id
    page = client.get(f"/inventory/lots/{lot.id}").get_data(as_text=True)
    assert "override" in page and "supplier credit requested" in page


def test_returned_stock_goes_back_and_destroyed_stock_needs_a_note(client_as):
    lot = make_lot(make_product(), quantity=10)
    client = client_as("technician")
    client.post(f"/inventory/lots/{lot.id}/move", data={"reason": "returned", "quantity": "2"})
    assert Lot.get_by_id(lot.id).quantity_on_hand == 12
    text = client.post(
        f"/inventory/lots/{lot.id}/move", data={"reason": "destroyed", "quantity": "1", "note": ""}
    ).get_data(as_text=True)
    assert "Say why the stock was destroyed" in text


def test_a_count_records_the_difference_as_an_adjustment(client_as):
    lot = make_lot(make_ingredient(), quantity=Decimal("100"))
    client = client_as("technician")
    text = client.post(f"/inventory/lots/{lot.id}/count", data={"counted": "97.5", "note": ""})
    assert b"Say why the count differs" in text.data
    client.post(f"/inventory/lots/{lot.id}/count", data={"counted": "97.5", "note": "Spill"})
    movement = StockMovement.select().order_by(StockMovement.id.desc()).first()
    assert (movement.reason, movement.delta) == ("adjusted", Decimal("-2.5"))
    assert "Spill" in movement.note
    assert Lot.get_by_id(lot.id).quantity_on_hand == Decimal("97.5")


def test_expired_lot_destruction_needs_a_pharmacist_and_empties_the_lot(client_as):
    lot = make_lot(make_product(schedule="2"), quantity=30, expires_on=date(2020, 1, 31))
    assert client_as("technician").get(f"/inventory/lots/{lot.id}/destroy").status_code == 403
    client = client_as("pharmacist")
    page = client.get("/inventory/expired").get_data(as_text=True)
    assert lot.lot_number in page
    form = client.get(f"/inventory/lots/{lot.id}/destroy").get_data(as_text=True)
    assert "DEA Form 41" in form
    response = client.post(
        f"/inventory/lots/{lot.id}/destroy?back=expired", data={"note": "RD-2291, witness J. Ortiz"}
    )
    assert response.headers["Location"].endswith("/inventory/expired")
    assert Lot.get_by_id(lot.id).quantity_on_hand == 0
    assert "No expired stock on hand." in client.get("/inventory/expired").get_data(as_text=True)


def test_lot_details_can_be_corrected_and_are_audited(client_as):
    ingredient = make_ingredient()
    lot = make_lot(ingredient, lot_number="A1")
    make_lot(ingredient, lot_number="B2")
    client = client_as("pharmacist")  # a new expiry is a pharmacist's, with a reason
    data = {"lot_number": "B2", "expires_on": "12/2031", "supplier": "PCCA", "notes": ""}
    data["change_reason"] = "Expiry misread on receipt"
    text = client.post(f"/inventory/lots/{lot.id}/edit", data=data).get_data(as_text=True)
    assert "Another lot of this item already has this number." in text
    data["lot_number"] = "A1-corrected"
    assert client.post(f"/inventory/lots/{lot.id}/edit", data=data).status_code == 302
    [event] = _audits("lot", "update")
    assert event.after_data() == {
        "lot_number": "A1-corrected",
        "expires_on": "2031-12-31",
        "supplier": "PCCA",
    }


def test_expiring_list_takes_the_number_of_days(client_as):
    product = make_product()
    make_lot(product, lot_number="SOON", expires_on=date.today() + timedelta(days=20))
    make_lot(product, lot_number="LATER", expires_on=date.today() + timedelta(days=90))
    client = client_as("technician")
    default = client.get("/inventory/expiring").get_data(as_text=True)
    assert "SOON" in default and "LATER" not in default
    assert "LATER" in client.get("/inventory/expiring?days=120").get_data(as_text=True)
    assert client.get("/inventory/expiring?days=abc").status_code == 200
    assert client.get("/inventory/expiring?days=-5").status_code == 200


def test_product_search_by_ndc_digits_and_htmx_partial(client_as):
    make_product(ndc="00406-0552-01", name="Oxycodone Hydrochloride")
    make_product(ndc="12345-6789-01", name="Lisinopril")
    client = client_as("technician")
    for q in ("oxy", "406-0552", "00406055201"):
        text = client.get("/inventory/products", query_string={"q": q}).get_data(as_text=True)
        assert "Oxycodone" in text and "Lisinopril" not in text, q
    partial = client.get("/inventory/products?q=lis", headers={"HX-Request": "true"})
    assert b"Lisinopril" in partial.data and b"<html" not in partial.data
    assert client.get("/inventory/products?q=%00").status_code == 200
