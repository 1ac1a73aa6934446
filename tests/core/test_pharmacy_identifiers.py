"""The pharmacy's own NPI and DEA number are checked like a prescriber's."""

import pytest

from portal.pharmacy.models import Pharmacy

DETAILS = {
    "name": "Elm Street Pharmacy",
    "address_line1": "120 Elm Street",
    "address_line2": "",
    "city": "Springfield",
    "state": "IL",
    "postal_code": "62701",
    "phone": "(217) 555-0142",
    "fax": "",
    "npi": "1234567893",
    "ncpdp_id": "1456789",
    "dea": "",
    "time_zone": "America/Chicago",
}


@pytest.mark.parametrize(
    "changes, message",
    [
        ({"npi": "1234567890"}, "Check digit should be 3, not 0"),
        ({"npi": "123456789"}, "NPI must be 10 digits (9 entered)"),
        ({"dea": "FE1234567"}, "Check digit should be 3, not 7"),
        ({"dea": "F1234563"}, "DEA number must be 2 letters then 7 digits"),
    ],
)
def test_pharmacy_npi_and_dea_problems_are_explained(client_as, changes, message):
    response = client_as("admin").post("/admin/pharmacy", data={**DETAILS, **changes})
    assert response.status_code == 200
    assert message in response.get_data(as_text=True)
    assert Pharmacy.current().name == "Elm Street Compounding Pharmacy"


def test_pharmacy_dea_is_stored_upper_case(client_as):
    response = client_as("admin").post("/admin/pharmacy", data={**DETAILS, "dea": "fe1234563"})
    assert response.status_code == 302
    assert Pharmacy.current().dea == "FE1234563"
