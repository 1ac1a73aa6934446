"""The demo catalog and prescribers load, and every inventory page shows them."""

from datetime import date, timedelta

from portal.catalog import demo
from portal.catalog.models import Ingredient, Product
from portal.catalog.stock.models import Lot, low_stock
from portal.foundation.identifiers import dea_is_valid, npi_is_valid
from portal.prescribers import demo as prescriber_demo
from portal.prescribers.models import Prescriber

TODAY = date(2025, 6, 2)


def test_demo_catalog_has_controlled_products_expiring_and_expired_lots(app):
    assert demo.load(TODAY).startswith("catalog: 22 products")
    oxycodone = Product.get(Product.ndc == "70518-1032-00")
    assert oxycodone.schedule == "2"
    assert [i.name for i in oxycodone.active_ingredients()] == ["Oxycodone Hydrochloride"]
    assert Product.get(Product.name == "Alprazolam").schedule == "4"
    assert Product.get(Product.ndc == "59762-3720-01")  # typed 5-4-1, stored 5-4-2
    assert Ingredient.by_name("methylparaben").allergen_class_tuple == ("parabens",)
    sulfa = Product.get(Product.name == "Sulfamethoxazole and Trimethoprim")
    assert "sulfonamides" in sulfa.active_ingredients()[0].allergen_class_tuple
    assert [lot.lot_number for lot in Lot.expired_on_hand(TODAY)] == ["KTP1183"]
    assert len(list(Lot.expiring_within(60, TODAY))) >= 4
    low = {str(item) for item, _ in low_stock(TODAY)}
    assert "Oxycodone Hydrochloride 5 mg tablet" in low and "Baclofen" in low
    assert Lot.out_of_step().count() == 0
    assert demo.load(TODAY).endswith("none added")


def test_demo_prescribers_have_valid_numbers(app):
    assert prescriber_demo.load() == "prescribers: 8 added"
    for prescriber in Prescriber.select():
        assert npi_is_valid(prescriber.npi)
        if prescriber.dea:
            assert dea_is_valid(prescriber.dea, prescriber.last_name), prescriber.dea
    assert Prescriber.select().where(Prescriber.dea.is_null()).count() == 1


def test_every_inventory_page_renders_with_the_demo_data(client_as):
    demo.load(date.today())
    prescriber_demo.load()
    client = client_as("pharmacist")
    product = Product.get(Product.name == "Oxycodone Hydrochloride")
    ingredient = Ingredient.by_name("Ketoprofen")
    lot = Lot.get(Lot.lot_number == "KTP1183")
    pages = [
        "/inventory/",
        "/inventory/products?q=oxy",
        "/inventory/ingredients",
        f"/inventory/products/{product.id}",
        f"/inventory/ingredients/{ingredient.id}",
        f"/inventory/products/{product.id}/edit",
        f"/inventory/ingredients/{ingredient.id}/edit",
        f"/inventory/products/{product.id}/receive",
        f"/inventory/ingredients/{ingredient.id}/receive",
        f"/inventory/lots/{lot.id}",
        f"/inventory/lots/{lot.id}/edit",
        f"/inventory/lots/{lot.id}/destroy",
        "/inventory/low-stock",
        "/inventory/expiring",
        "/inventory/expiring?days=400",
        "/inventory/expired",
        "/inventory/import",
        "/inventory/products/new",
        "/inventory/ingredients/new",
        "/prescribers/",
        f"/prescribers/{Prescriber.select().first().id}",
    ]
    for page in pages:
        response = client.get(page)
        assert response.status_code == 200, page
    expired = client.get("/inventory/expired").get_data(as_text=True)
    assert "KTP1183" in expired and "Record destruction" in expired
    assert "Oxycodone" in client.get("/inventory/low-stock").get_data(as_text=True)
    assert (date.today() + timedelta(days=21)).strftime("%m/%d/%Y") in client.get(
        "/inventory/expiring"
    ).get_data(as_text=True)
