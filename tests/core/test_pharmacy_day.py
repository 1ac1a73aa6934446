"""The portal's "today" is the pharmacy's calendar day, whatever zone the machine's clock is in:
a server kept on UTC must not refuse, at 7 pm in Chicago, a receipt dated today."""

import ast
import os
import time
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import pytest

from portal.catalog.stock.models import Lot
from portal.foundation.dates import local_today
from tests.factories import make_pharmacy, make_product

PORTAL = Path(__file__).resolve().parents[2] / "portal"

# Calls that read the machine's zone: date.today(), datetime.today(), datetime.now() with no
# zone, time.localtime(). Times are stored in UTC and days are the pharmacy's (dates.py).
_MACHINE_ZONE = {("date", "today"), ("datetime", "today"), ("time", "localtime")}


def _reads_machine_zone(node: ast.Call) -> bool:
    function = node.func
    if not isinstance(function, ast.Attribute) or not isinstance(function.value, ast.Name):
        return False
    pair = (function.value.id, function.attr)
    if pair == ("datetime", "now"):
        return not node.args and not node.keywords
    return pair in _MACHINE_ZONE


def test_no_portal_code_reads_the_machines_zone():
    found = []
    for path in sorted(PORTAL.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if isinstance(node, ast.Call) and _reads_machine_zone(node):
                found.append(f"{path.relative_to(PORTAL.parent)}:{node.lineno}")
    assert found == []


@pytest.fixture
def machine_a_day_ahead():
    """The process's zone on UTC+14 (Kiritimati), a calendar day ahead of Chicago for 20 of
    every 24 hours; restored after."""
    before = os.environ.get("TZ")
    os.environ["TZ"] = "Pacific/Kiritimati"
    time.tzset()
    yield
    if before is None:
        del os.environ["TZ"]
    else:
        os.environ["TZ"] = before
    time.tzset()


def test_a_receipt_dated_the_pharmacys_today_is_taken_whatever_the_machines_zone(
    client_as, machine_a_day_ahead
):
    make_pharmacy(time_zone="America/Chicago")
    product = make_product(package_size=Decimal(100))
    client = client_as("technician")
    today = local_today("America/Chicago")
    page = client.get(f"/inventory/products/{product.id}/receive").get_data(as_text=True)
    assert f'value="{today:%m/%d/%Y}"' in page  # the form offers the pharmacy's day
    data = {
        "lot_number": "RX55",
        "expires_on": f"{today + timedelta(days=400):%m/%Y}",
        "quantity": "1",
        "count_in": "packages",
        "received_on": f"{today:%m/%d/%Y}",
        "supplier": "",
        "note": "",
    }
    tomorrow = {**data, "received_on": f"{today + timedelta(days=1):%m/%d/%Y}"}
    refused = client.post(f"/inventory/products/{product.id}/receive", data=tomorrow)
    assert "The date received cannot be in the future." in refused.get_data(as_text=True)
    response = client.post(f"/inventory/products/{product.id}/receive", data=data)
    assert response.status_code == 302
    assert Lot.get().received_on == today


def test_no_portal_code_takes_a_day_from_utc():
    """utcnow().date() is the day in Greenwich, hours ahead of a US pharmacy each evening."""
    texts = {path: path.read_text() for path in sorted(PORTAL.rglob("*.py"))}
    found = [
        f"{path.relative_to(PORTAL.parent)}"
        for path, text in texts.items()
        if "utcnow().date()" in text or "now(UTC).date()" in text
    ]
    assert found == []
