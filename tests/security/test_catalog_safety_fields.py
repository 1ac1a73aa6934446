"""Safety facts of the catalog change only with a pharmacist and a reason (issue 17, item 9):
a technician alone moved an expired lot's expiry into the future, and the lot left the
expired list and could be dispensed. Expiry, NDC, schedule, potency and allergen classes
now need a pharmacist (acting, or co-signing by PIN), and the audit event keeps the reason."""

import io
from datetime import date, timedelta
from decimal import Decimal

from portal.audit.models import AuditEvent
from portal.catalog.models import Ingredient, Product
from portal.catalog.stock.models import Lot
from tests.factories import make_ingredient, make_lot, make_product, make_user
from tests.waiting import finish

LAST_YEAR = date.today() - timedelta(days=30)
NEXT_YEAR = (date.today() + timedelta(days=365)).strftime("%m/%d/%Y")


def _expired_lot():
    lot = make_lot(quantity=Decimal(50))
    Lot.update(expires_on=LAST_YEAR).where(Lot.id == lot.id).execute()
    return Lot.get_by_id(lot.id)


def _lot_form(lot, **changes):
    return {
        "lot_number": lot.lot_number,
        "expires_on": lot.expires_on.strftime("%m/%d/%Y"),
        "supplier": lot.supplier,
        "notes": "",
        **changes,
    }


def _last_update(entity, entity_id):
    return (
        AuditEvent.select()
        .where(
            AuditEvent.action == "update",
            AuditEvent.entity == entity,
            AuditEvent.entity_id == str(entity_id),
        )
        .order_by(AuditEvent.id.desc())
        .first()
    )


def test_a_technician_alone_cannot_move_an_expired_lots_expiry_into_the_future(client_as):
    lot = _expired_lot()
    technician = client_as("technician")
    supplier_only = technician.post(
        f"/inventory/lots/{lot.id}/edit", data=_lot_form(lot, supplier="McKesson")
    )

    page = technician.post(
        f"/inventory/lots/{lot.id}/edit",
        data=_lot_form(lot, expires_on=NEXT_YEAR, change_reason="label misread"),
    )

    assert supplier_only.status_code == 302  # what is not a safety fact needs no pharmacist
    assert Lot.get_by_id(lot.id).supplier == "McKesson"

    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "Pharmacist approval needed" in text and 'name="cosign_pin"' in text
    assert NEXT_YEAR in text  # what was typed stays
    assert Lot.get_by_id(lot.id).expires_on == LAST_YEAR
    assert lot.id in [row.id for row in Lot.expired_on_hand(date.today())]


def test_a_new_expiry_needs_a_reason(client_as):
    lot = _expired_lot()
    pharmacist = client_as("pharmacist")

    page = pharmacist.post(
        f"/inventory/lots/{lot.id}/edit", data=_lot_form(lot, expires_on=NEXT_YEAR)
    )

    assert page.status_code == 200
    assert "Say why you are changing the expiry" in page.get_data(as_text=True)
    assert Lot.get_by_id(lot.id).expires_on == LAST_YEAR


def test_a_pharmacists_pin_approves_the_technicians_expiry_change_with_its_reason(client_as):
    lot = _expired_lot()
    technician = client_as("technician")
    pharmacist = make_user(roles=("pharmacist",))

    answer = technician.post(
        f"/inventory/lots/{lot.id}/edit",
        data=_lot_form(
            lot,
            expires_on=NEXT_YEAR,
            change_reason="Manufacturer letter extends the dating",
            cosign_pin=pharmacist.pin,
        ),
    )

    assert answer.status_code == 302
    assert Lot.get_by_id(lot.id).expires_on.strftime("%m/%d/%Y") == NEXT_YEAR
    event = _last_update("lot", lot.id)
    assert event.user_id == pharmacist.id
    assert "Manufacturer letter extends the dating" in event.note
    assert f"expiry {LAST_YEAR:%m/%d/%Y} -> {NEXT_YEAR}" in event.note
    assert f"co-signed by {pharmacist.full_name}" in event.note


def test_another_technicians_pin_does_not_approve(client_as):
    lot = _expired_lot()
    technician = client_as("technician")
    colleague = make_user(roles=("technician",))

    page = technician.post(
        f"/inventory/lots/{lot.id}/edit",
        data=_lot_form(lot, expires_on=NEXT_YEAR, change_reason="x", cosign_pin=colleague.pin),
    )

    assert page.status_code == 200
    assert "who is not a pharmacist" in page.get_data(as_text=True)
    assert Lot.get_by_id(lot.id).expires_on == LAST_YEAR


def _product_form(product, **changes):
    return {
        "ndc": product.ndc,
        "name": product.name,
        "generic_name": product.generic_name,
        "strength": product.strength,
        "dosage_form": product.dosage_form,
        "package_size": str(product.package_size),
        "package_unit": product.package_unit,
        "schedule": product.schedule or "",
        "manufacturer": product.manufacturer,
        "acquisition_cost": "",
        "reorder_point": "0",
        "active_ingredients": product.ingredients_text().replace(";", "\n"),
        "active": "y",
        **changes,
    }


def test_a_manager_cannot_lift_a_products_schedule_without_a_pharmacist(client_as):
    product = make_product(schedule="2")
    manager = client_as("manager")
    cost_only = manager.post(
        f"/inventory/products/{product.id}/edit",
        data=_product_form(product, acquisition_cost="12.40"),
    )

    page = manager.post(
        f"/inventory/products/{product.id}/edit",
        data=_product_form(product, schedule="", change_reason="not controlled"),
    )

    assert cost_only.status_code == 302  # a cost is the manager's to change
    assert Product.get_by_id(product.id).acquisition_cost == Decimal("12.40")

    assert page.status_code == 200
    assert "Pharmacist approval needed" in page.get_data(as_text=True)
    assert Product.get_by_id(product.id).schedule == "2"


def test_a_pharmacist_changes_an_ndc_with_a_reason_in_the_audit_trail(client_as):
    product = make_product(ndc="00093-0150-01")
    pharmacist = client_as("pharmacist")

    answer = pharmacist.post(
        f"/inventory/products/{product.id}/edit",
        data=_product_form(product, ndc="00093-0150-10", change_reason="Typed from the wrong box"),
    )

    assert answer.status_code == 302
    assert Product.get_by_id(product.id).ndc == "00093-0150-10"
    event = _last_update("product", product.id)
    assert (event.user_id, "Typed from the wrong box" in event.note) == (pharmacist.user.id, True)
    assert "NDC 00093-0150-01 -> 00093-0150-10" in event.note


def test_dropping_a_products_active_ingredient_needs_a_pharmacist(client_as):
    sulfa = make_ingredient(name="Sulfamethoxazole", allergen_classes="sulfonamides")
    product = make_product(ingredients=[sulfa])
    manager = client_as("manager")

    page = manager.post(
        f"/inventory/products/{product.id}/edit",
        data=_product_form(product, active_ingredients="", change_reason="tidy"),
    )

    assert page.status_code == 200
    assert [i.name for i in Product.get_by_id(product.id).active_ingredients()] == [
        "Sulfamethoxazole"
    ]


def _ingredient_form(ingredient, **changes):
    return {
        "name": ingredient.name,
        "schedule": ingredient.schedule or "",
        "allergen_classes": ingredient.allergen_classes,
        "potency": str(ingredient.potency),
        "salt_factor": "",
        "unit": ingredient.unit,
        "cost_per_unit": "",
        "reorder_point": "0",
        "bulk_ndc": "",
        "active": "y",
        **changes,
    }


def test_a_manager_cannot_clear_allergen_classes_or_change_potency_alone(client_as):
    ketoprofen = make_ingredient(name="Ketoprofen USP", allergen_classes="NSAIDs")
    manager = client_as("manager")
    url = f"/inventory/ingredients/{ketoprofen.id}/edit"

    cleared = manager.post(
        url, data=_ingredient_form(ketoprofen, allergen_classes="", change_reason="x")
    )
    weaker = manager.post(url, data=_ingredient_form(ketoprofen, potency="0.5", change_reason="x"))

    assert (cleared.status_code, weaker.status_code) == (200, 200)
    stored = Ingredient.get_by_id(ketoprofen.id)
    assert (stored.allergen_classes, stored.potency) == ("NSAIDs", Decimal("0.99"))


def test_a_pharmacists_pin_approves_the_managers_potency_change(client_as):
    ketoprofen = make_ingredient(name="Ketoprofen USP", allergen_classes="NSAIDs")
    manager = client_as("manager")
    pharmacist = make_user(roles=("pharmacist",))

    answer = manager.post(
        f"/inventory/ingredients/{ketoprofen.id}/edit",
        data=_ingredient_form(
            ketoprofen, potency="0.985", change_reason="New lot's CoA", cosign_pin=pharmacist.pin
        ),
    )

    assert answer.status_code == 302
    assert Ingredient.get_by_id(ketoprofen.id).potency == Decimal("0.985")
    event = _last_update("ingredient", ketoprofen.id)
    assert event.user_id == pharmacist.id
    assert "potency 0.99 -> 0.985" in event.note and "New lot's CoA" in event.note


def _import(client, name: str, text: str):
    upload = client.post(
        "/inventory/import",
        data={"file": (io.BytesIO(text.encode()), name)},
        content_type="multipart/form-data",
    )
    assert upload.status_code == 302
    return upload.headers["Location"]


INGREDIENTS_CSV = (
    "name,schedule,allergen_classes,potency,unit,cost_per_unit,salt_factor,reorder_point,bulk_ndc\n"
    "Ketoprofen USP,,{classes},0.99,g,{cost},,0,\n"
)


def test_an_import_that_clears_allergen_classes_needs_a_pharmacist(client_as):
    make_ingredient(name="Ketoprofen USP", allergen_classes="NSAIDs", potency=Decimal("0.99"))
    manager = client_as("manager")
    pharmacist = make_user(roles=("pharmacist",))
    costs = _import(manager, "costs.csv", INGREDIENTS_CSV.format(classes="NSAIDs", cost="2"))
    assert manager.post(costs).status_code == 303  # costs are the manager's alone: imported
    preview = _import(manager, "ingredients.csv", INGREDIENTS_CSV.format(classes="", cost="2"))

    refused = manager.post(preview)
    approved = manager.post(
        preview, data={"change_reason": "Supplier's sheet", "cosign_pin": pharmacist.pin}
    )

    assert refused.status_code == 200
    assert "Say why you are changing the allergen classes" in refused.get_data(as_text=True)
    finish(manager, approved)
    assert Ingredient.get(Ingredient.name == "Ketoprofen USP").allergen_classes == ""
    event = AuditEvent.select().where(AuditEvent.action == "import").order_by(AuditEvent.id)[-1]
    assert event.user_id == pharmacist.id
    assert "allergen classes NSAIDs → —" in event.note and "Supplier's sheet" in event.note
