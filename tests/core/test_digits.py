"""Typed digits are ASCII digits: a superscript or an Arabic-Indic digit in a search box or a
query string is read as text, never passed to int() or compared with a number column."""

import re
from pathlib import Path

import pytest

from portal.foundation.digits import is_digits

PORTAL = Path(__file__).resolve().parents[2] / "portal"
UNICODE_DIGITS = [
    "²",
    "³",
    "٣",
    "1²",
    "１２",
    "#٣",
    "rx ٣٣",
]  # superscripts, Arabic-Indic, full-width


@pytest.mark.parametrize("text", UNICODE_DIGITS + ["", "12a", "-1", " 1"])
def test_only_ascii_digits_count_as_digits(text):
    assert not is_digits(text)


def test_ascii_digits_count():
    assert is_digits("0") and is_digits("100123")


def _lines_matching(pattern: str) -> list[str]:
    return [
        f"{path.relative_to(PORTAL.parent)}:{number}"
        for path in PORTAL.rglob("*.py")
        if path.name != "digits.py"
        for number, line in enumerate(path.read_text().splitlines(), start=1)
        if re.search(pattern, line)
    ]


def test_the_portal_checks_typed_digits_only_through_is_digits():
    assert _lines_matching(r"\.isdigit\(\)|\.isdecimal\(\)|\.isnumeric\(\)") == []


def test_the_portals_patterns_spell_digits_0_to_9():
    """In a Python pattern \\d and \\D also take "٣" and other Unicode digits."""
    assert _lines_matching(r"\\[dD]") == []


@pytest.mark.parametrize("digit", UNICODE_DIGITS)
@pytest.mark.parametrize(
    ("roles", "path", "field"),
    [
        (("technician",), "/patients/search", "q"),
        (("technician",), "/prescriptions/new", "patient"),
        (("technician",), "/fills/find", "code"),
        (("technician",), "/prescriptions/drug-lookup", "q"),
        (("manager",), "/claims/", "payer"),
        (("manager",), "/reports/claims", "payer"),
        (("manager",), "/claims/list", "payer"),
        (("manager",), "/claims/export.csv", "payer"),
    ],
)
def test_unicode_digits_in_a_query_string_are_not_a_server_error(
    client_as, roles, path, field, digit
):
    response = client_as(*roles).get(path, query_string={field: digit})
    assert response.status_code < 500, (path, digit)


def test_unicode_digits_in_a_label_batch_are_not_a_server_error(client_as):
    response = client_as("technician").post("/labels/batch", data={"fill": ["²", "٣"]})
    assert response.status_code < 500
    assert "Choose at least one fill to print." in response.get_data(as_text=True)
