"""Label data: a plain, a controlled and a compounded prescription, and the longest
realistic inputs a label must survive."""

from decimal import Decimal

from portal.labels.data import CompoundDetails, CompoundIngredient, LabelData
from portal.labels.samples import sample_compound_label, sample_controlled_label, sample_label

__all__ = [
    "LONGEST_DIRECTIONS",
    "LONGEST_DRUG_NAME",
    "SIX_AUXILIARY_LABELS",
    "make_compound_label",
    "make_controlled_label",
    "make_label",
    "make_longest_compound_label",
    "make_longest_controlled_label",
]

LONGEST_DRUG_NAME = (
    "Dextroamphetamine saccharate, amphetamine aspartate monohydrate, dextroamphetamine "
    "sulfate and amphetamine sulfate extended-release"
)
LONGEST_DIRECTIONS = (
    "Take 1 capsule by mouth every morning upon waking. Swallow the capsule whole or open "
    "it and sprinkle the contents on a spoonful of applesauce; swallow right away without "
    "chewing. Do not take after 12 noon as it may cause trouble sleeping."
)
SIX_AUXILIARY_LABELS = (
    "Shake well",
    "Refrigerate — do not freeze",
    "For external use only",
    "May cause drowsiness",
    "Take with food",
    "Avoid sunlight",
)


def make_label(**changes) -> LabelData:
    """A plain generic prescription (Lisinopril 10 mg, refill 1 of Rx 100123)."""
    return sample_label(**changes)


def make_controlled_label(**changes) -> LabelData:
    """A C-II original fill (oxycodone 5 mg, Rx 100124)."""
    return sample_controlled_label(**changes)


def make_compound_label(**changes) -> LabelData:
    """A compounded baclofen 10 mg/mL suspension (Rx 100125), refrigerated, 14-day BUD."""
    return sample_compound_label(**changes)


def make_longest_controlled_label(**changes) -> LabelData:
    """C-II mixed amphetamine salts: the longest drug name, directions and six cautions."""
    return make_controlled_label(
        drug_name=LONGEST_DRUG_NAME,
        strength="30 mg capsule",
        manufacturer="Teva Pharmaceuticals USA",
        directions=LONGEST_DIRECTIONS,
        auxiliary=SIX_AUXILIARY_LABELS,
        **changes,
    )


def make_longest_compound_label(**changes) -> LabelData:
    """A six-ingredient pain cream with long directions and storage."""
    ingredients = (
        ("Ketoprofen", "10%"),
        ("Cyclobenzaprine hydrochloride", "1%"),
        ("Gabapentin", "6%"),
        ("Lidocaine", "2%"),
        ("Baclofen", "2%"),
        ("Amitriptyline hydrochloride", "1%"),
    )
    return make_compound_label(
        drug_name="Ketoprofen / cyclobenzaprine / gabapentin / lidocaine / baclofen / "
        "amitriptyline",
        strength="10%/1%/6%/2%/2%/1% cream",
        quantity=Decimal(120),
        quantity_unit="g",
        directions="Apply a pea-sized amount (about 1 gram) to the affected area of the lower "
        "back up to 3 to 4 times daily as needed for pain. Wash hands after use.",
        storage="Store below 25 °C; do not refrigerate",
        compound=CompoundDetails(
            dosage_form="topical cream",
            internal_id="B240715-03",
            ingredients=tuple(CompoundIngredient(name, amount) for name, amount in ingredients),
        ),
        auxiliary=("For external use only", "Avoid sunlight", "Do not use on broken skin"),
        **changes,
    )
