"""Importing the catalog: preview with per-row errors, nothing written until confirmed."""

import io
import os
import stat
from decimal import Decimal
from pathlib import Path

from portal.audit.models import AuditEvent
from portal.catalog.models import Ingredient, Product
from tests.waiting import finish

DATA = Path(__file__).parent / "data"


def _upload(client, name, package=None, content=None):
    data = {
        "file": (io.BytesIO(content if content is not None else (DATA / name).read_bytes()), name)
    }
    if package:
        data["package_file"] = (io.BytesIO((DATA / package).read_bytes()), package)
    return client.post("/inventory/import", data=data, content_type="multipart/form-data")


def _token(response) -> str:
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    return response.headers["Location"].rsplit("/", 1)[1]


def test_preview_lists_row_errors_by_line_and_writes_nothing(client_as, app):
    client = client_as("pharmacist")
    events_before = AuditEvent.select().count()
    token = _token(_upload(client, "products_with_errors.csv"))
    text = client.get(f"/inventory/import/{token}").get_data(as_text=True)
    assert "Nothing has been written yet." in text
    assert "Package size: &#39;five hundred&#39; is not a number" in text
    assert "Same NDC as line 5." in text
    assert "Import 2 rows, skip 5 with errors" in text
    assert Product.select().count() == 0
    assert AuditEvent.select().count() == events_before
    folder = Path(app.instance_path) / "imports" / token
    assert stat.S_IMODE(os.stat(folder / "file").st_mode) == 0o600


def test_confirming_with_errors_needs_the_skip_choice(client_as):
    client = client_as("pharmacist")
    token = _token(_upload(client, "products_with_errors.csv"))
    response = finish(client, client.post(f"/inventory/import/{token}"))
    assert "Some rows have errors" in response.get_data(as_text=True)
    assert Product.select().count() == 0
    finish(client, client.post(f"/inventory/import/{token}", data={"skip_errors": "1"}))
    assert {p.ndc for p in Product.select()} == {"00406-0552-01", "00093-0058-01"}


def test_confirmed_import_is_one_import_event_plus_a_create_per_row(client_as, app):
    client = client_as("manager")
    token = _token(_upload(client, "ingredients.csv"))
    finish(client, client.post(f"/inventory/import/{token}"))
    assert Ingredient.select().count() == 23
    [event] = AuditEvent.select().where(AuditEvent.action == "import")
    assert "ingredients.csv: 23 added, 0 updated" in event.note
    assert event.user_id == client.user.id
    creates = AuditEvent.select().where(
        (AuditEvent.entity == "ingredient") & (AuditEvent.action == "create")
    )
    assert creates.count() == 23
    assert not (Path(app.instance_path) / "imports" / token).exists()
    again = client.get(f"/inventory/import/{token}", follow_redirects=True)
    assert "no longer waiting" in again.get_data(as_text=True)


def test_products_import_links_ingredients_and_reimport_updates_only_changes(client_as):
    client = client_as("pharmacist")
    finish(client, client.post(f"/inventory/import/{_token(_upload(client, 'ingredients.csv'))}"))
    finish(client, client.post(f"/inventory/import/{_token(_upload(client, 'products.csv'))}"))
    assert Product.select().count() == 22
    sulfa = Product.get(Product.name == "Sulfamethoxazole and Trimethoprim")
    assert [i.name for i in sulfa.active_ingredients()] == ["Sulfamethoxazole", "Trimethoprim"]
    created = AuditEvent.get(
        (AuditEvent.entity == "product")
        & (AuditEvent.action == "create")
        & (AuditEvent.entity_id == str(sulfa.id))
    )
    assert created.after_data()["active_ingredients"] == (
        "Sulfamethoxazole 800 mg; Trimethoprim 160 mg"
    )
    changed = (DATA / "products.csv").read_text().replace(",18.40,", ",19.10,")
    token = _token(_upload(client, "products.csv", content=changed.encode()))
    text = client.get(f"/inventory/import/{token}").get_data(as_text=True)
    assert "cost 18.4 → 19.1" in text
    assert "Import 1 row" in text
    finish(client, client.post(f"/inventory/import/{token}"))
    oxycodone = Product.get(Product.ndc == "70518-1032-00")
    assert oxycodone.acquisition_cost == Decimal("19.10")


def test_fda_files_import_one_product_per_package(client_as):
    client = client_as("pharmacist")
    token = _token(_upload(client, "fda_product.txt", package="fda_package.txt"))
    text = client.get(f"/inventory/import/{token}").get_data(as_text=True)
    assert "FDA NDC Directory products with packages from fda_package.txt" in text
    finish(client, client.post(f"/inventory/import/{token}"))
    assert Product.select().count() == 4
    methylphenidate = Product.get(Product.ndc == "71234-0101-01")
    assert methylphenidate.schedule == "2"
    assert methylphenidate.active_ingredients()[0].schedule == "2"


def test_fda_product_file_alone_explains_the_missing_packages(client_as):
    client = client_as("pharmacist")
    token = _token(_upload(client, "fda_product.txt"))
    text = client.get(f"/inventory/import/{token}").get_data(as_text=True)
    assert "upload package.txt with it" in text
    assert "Nothing to import." in text


def test_cancel_removes_the_upload(client_as, app):
    client = client_as("pharmacist")
    token = _token(_upload(client, "products.csv"))
    response = client.post(f"/inventory/import/{token}/cancel", follow_redirects=True)
    assert "Import cancelled. Nothing was written." in response.get_data(as_text=True)
    assert not (Path(app.instance_path) / "imports" / token).exists()
    assert Product.select().count() == 0


def test_someone_elses_upload_cannot_be_seen_or_confirmed(client_as):
    token = _token(_upload(client_as("pharmacist"), "products.csv"))
    other = client_as("manager")
    assert "no longer waiting" in other.get(
        f"/inventory/import/{token}", follow_redirects=True
    ).get_data(as_text=True)
    other.post(f"/inventory/import/{token}")
    assert Product.select().count() == 0
    for bad in ("..", "..%2F..%2Fsecret_key", "x" * 30):
        assert other.get(f"/inventory/import/{bad}").status_code in (302, 404)


def test_unreadable_or_empty_files_are_explained_on_the_upload_page(client_as):
    client = client_as("pharmacist")
    text = _upload(client, "x.csv", content=b"").get_data(as_text=True)
    assert "Choose a file to import" in text
    token = _token(_upload(client, "colours.csv", content=b"colour,size\nred,1\n"))
    text = client.get(f"/inventory/import/{token}").get_data(as_text=True)
    assert "does not name the columns" in text
    response = client.post("/inventory/import", data={}, content_type="multipart/form-data")
    assert "Choose a file to import" in response.get_data(as_text=True)


def test_only_pharmacists_and_managers_import(client_as):
    technician = client_as("technician")
    assert technician.get("/inventory/import").status_code == 403
    assert technician.post("/inventory/import/abc").status_code == 403
