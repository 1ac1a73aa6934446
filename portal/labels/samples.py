"""Made-up labels for a printer test page, for previews and for the benchmark.

Every name and number here is fictional; a printed sample says so in the patient line.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal

from portal.labels.data import CompoundDetails, CompoundIngredient, LabelData, LabelPharmacy

SAMPLE_PHARMACY = LabelPharmacy(
    name="Elm Street Pharmacy",
    address="120 Elm Street, Springfield, IL 62701",
    phone="(217) 555-0142",
)


def sample_label(rx_number: str = "100123", **changes) -> LabelData:
    """A plain generic prescription, refill 1."""
    label = LabelData(
        pharmacy=SAMPLE_PHARMACY,
        rx_number=rx_number,
        fill_number=1,
        filled_on=date(2024, 7, 15),
        patient_name="SAMPLE, Jane Q",
        prescriber_name="Anna Reyes, MD",
        drug_name="Lisinopril",
        strength="10 mg tablet",
        manufacturer="Lupin",
        quantity=Decimal(30),
        quantity_unit="tablets",
        directions="Take 1 tablet by mouth once daily for blood pressure.",
        refills_remaining=4,
        discard_after=date(2025, 7, 15),
        auxiliary=("Take with food",),
    )
    return replace(label, **changes) if changes else label


def sample_controlled_label(rx_number: str = "100124", **changes) -> LabelData:
    """A C-II original fill: no refills, the federal transfer warning."""
    label = sample_label(
        rx_number,
        fill_number=0,
        drug_name="Oxycodone hydrochloride",
        strength="5 mg tablet",
        manufacturer="Rhodes",
        quantity=Decimal(20),
        directions="Take 1 tablet by mouth every 6 hours if needed for pain.",
        refills_remaining=0,
        schedule="2",
        discard_after=date(2025, 1, 15),
        auxiliary=("May cause drowsiness", "Do not drink alcohol"),
    )
    return replace(label, **changes) if changes else label


def sample_compound_label(rx_number: str = "100125", **changes) -> LabelData:
    """A non-preserved aqueous suspension: 14-day BUD, refrigerated (USP <795> table)."""
    label = sample_label(
        rx_number,
        fill_number=0,
        drug_name="Baclofen",
        strength="10 mg/mL oral suspension",
        manufacturer="",
        quantity=Decimal(150),
        quantity_unit="mL",
        directions="Take 5 mL (50 mg) by mouth three times daily.",
        refills_remaining=2,
        discard_after=date(2024, 7, 28),
        storage="Refrigerate 2–8 °C",
        compound=CompoundDetails(
            dosage_form="oral suspension",
            ingredients=(CompoundIngredient("Baclofen", "10 mg/mL"),),
            internal_id="100125",
        ),
        auxiliary=("Shake well", "Refrigerate — do not freeze"),
    )
    return replace(label, **changes) if changes else label
