"""The biennial inventory (21 CFR 1304.11): exact C-II and big containers, estimated
C-III to C-V; counts entered, signed by the pharmacist, locked; printable."""

from datetime import date
from decimal import Decimal

import pytest

from portal.catalog.controlled import biennial
from portal.catalog.controlled.biennial import BiennialLine
from tests.factories import make_lot, make_pharmacy, make_product, make_user


def _shelf():
    oxy = make_product(name="Oxycodone HCl", schedule="2", package_size=Decimal(100))
    alprazolam = make_product(name="Alprazolam", schedule="4", package_size=Decimal(500))
    tramadol = make_product(name="Tramadol", schedule="4", package_size=Decimal(1000 + 1))
    make_product(name="Lisinopril")  # not controlled: not listed
    for product in (oxy, alprazolam, tramadol):
        make_lot(product, quantity=Decimal(80))
    return oxy, alprazolam, tramadol


def _kinds(inventory):
    return {line.description.split(" ")[0]: line.count_kind for line in inventory.lines}


def test_lines_are_exact_for_c2_and_big_containers_estimated_otherwise(app):
    _shelf()
    pharmacist = make_user(roles=("pharmacist",))
    inventory = biennial.start(pharmacist, taken_on=date(2026, 5, 1), business_hours="close")
    assert _kinds(inventory) == {
        "Oxycodone": "exact",
        "Alprazolam": "estimated",
        "Tramadol": "exact",
    }


def test_an_exact_count_is_whole_units_and_signing_locks_it(app):
    _shelf()
    pharmacist = make_user(roles=("pharmacist",))
    inventory = biennial.start(pharmacist, taken_on=date(2026, 5, 1), business_hours="opening")
    lines = {line.description.split(" ")[0]: line for line in inventory.lines}
    with pytest.raises(biennial.InventoryRefused, match="exactly"):
        biennial.record(lines["Oxycodone"], pharmacist, quantity=Decimal("79.5"))
    with pytest.raises(biennial.InventoryRefused, match="not counted yet"):
        biennial.sign(inventory, pharmacist)
    biennial.record(lines["Oxycodone"], pharmacist, quantity=Decimal(80))
    biennial.record(lines["Alprazolam"], pharmacist, quantity=Decimal("79.5"))
    biennial.record(lines["Tramadol"], pharmacist, quantity=Decimal(80))
    technician = make_user(roles=("technician",))
    with pytest.raises(biennial.InventoryRefused, match="Only a pharmacist"):
        biennial.sign(inventory, technician)
    biennial.sign(inventory, pharmacist)
    with pytest.raises(biennial.InventoryRefused, match="locked"):
        biennial.record(BiennialLine.get_by_id(lines["Tramadol"].id), pharmacist, quantity=1)


def test_the_pages_start_count_sign_and_print(client_as):
    make_pharmacy()
    oxy, _, _ = _shelf()
    pharmacist = client_as("pharmacist")
    response = pharmacist.post(
        "/inventory/controlled/biennial", data={"taken_on": "05/01/2026", "business_hours": "close"}
    )
    assert response.status_code == 302
    url = response.location
    lines = list(BiennialLine.select())
    counts = {f"count-{line.id}": "80" for line in lines}
    bad = pharmacist.post(url, data={**counts, f"count-{lines[0].id}": "abc", "sign": "1"})
    assert bad.status_code == 422 and "enter a number" in bad.text and 'value="abc"' in bad.text
    signed = pharmacist.post(url, data={**counts, "sign": "1"}, follow_redirects=True)
    assert "signed and locked" in signed.text
    pdf = pharmacist.get(url + ".pdf")
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF")


def test_a_technician_cannot_start_one(client_as):
    response = client_as("technician").post(
        "/inventory/controlled/biennial", data={"taken_on": "05/01/2026", "business_hours": "close"}
    )
    assert response.status_code == 422 and "A pharmacist takes" in response.text
