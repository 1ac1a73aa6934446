"""Demo catalog for `flask --app portal demo load` (a loader of portal.foundation.demo).

Imports the sample files in samples/ through the same code as the Import page, then
receives lots: most comfortably in date, some expiring within 60 days, one expired lot
still on the shelf, and a few items under their reorder point. NDCs, lot numbers and
manufacturers are made up.
"""

from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

from portal.catalog.importing import batch as importing
from portal.catalog.models import Ingredient, Product
from portal.catalog.stock.models import Lot
from portal.foundation.dates import local_today
from portal.pharmacy.models import Pharmacy

SAMPLES = Path(__file__).parent / "samples"

# item name (product name + strength, or ingredient name), lot number, days to expiry,
# quantity received (stock units), supplier, taken out since (reason, quantity)
LOTS = (
    ("Oxycodone Hydrochloride 5 mg", "RX5512A", 540, 100, "Cardinal Health", ("dispensed", 20)),
    (
        "Hydrocodone Bitartrate and Acetaminophen 5 mg/325 mg",
        "HC24017",
        400,
        200,
        "Cardinal Health",
        None,
    ),
    ("Alprazolam 0.5 mg", "AL0923", 21, 100, "McKesson", ("dispensed", 30)),
    ("Alprazolam 0.5 mg", "AL1188", 420, 100, "McKesson", None),
    ("Lorazepam 1 mg", "LZ7731", 300, 100, "McKesson", None),
    ("Zolpidem Tartrate 10 mg", "ZP4410", 610, 100, "McKesson", None),
    ("Tramadol Hydrochloride 50 mg", "TR2290", 250, 300, "Cardinal Health", None),
    ("Pregabalin 75 mg", "PG0571", 48, 90, "Cardinal Health", None),
    ("Testosterone Cypionate 200 mg/mL", "TC9902", 365, 20, "Cardinal Health", None),
    ("Lisinopril 10 mg", "LS88231", 700, 1000, "AmerisourceBergen", ("dispensed", 270)),
    ("Atorvastatin Calcium 20 mg", "AT55190", 500, 270, "AmerisourceBergen", None),
    ("Metformin Hydrochloride 500 mg", "MF30022", 680, 1000, "AmerisourceBergen", None),
    ("Amlodipine Besylate 5 mg", "AM71904", 590, 1000, "AmerisourceBergen", None),
    ("Amoxicillin 500 mg", "AX20418", 330, 500, "AmerisourceBergen", None),
    ("Amoxicillin 400 mg/5 mL", "AXS0412", 45, 300, "AmerisourceBergen", None),
    ("Sulfamethoxazole and Trimethoprim 800 mg/160 mg", "SMX6610", 410, 100, "McKesson", None),
    ("Ibuprofen 800 mg", "IB99310", 720, 500, "McKesson", None),
    ("Levothyroxine Sodium 50 mcg", "LV11873", 280, 90, "McKesson", None),
    ("Omeprazole 20 mg", "OM44021", 380, 1000, "McKesson", None),
    ("Sertraline Hydrochloride 50 mg", "SR30118", 460, 500, "McKesson", None),
    ("Prednisone 10 mg", "PD70035", 520, 100, "McKesson", None),
    ("Albuterol Sulfate HFA 90 mcg/actuation", "AB3390", 35, 4, "Cardinal Health", None),
    ("Hydrocortisone", "HCP2207", 400, 100, "PCCA", ("compounded", 12.5)),
    ("Ketoprofen", "KTP1183", -12, 100, "Medisca", ("compounded", 64.75)),
    ("Ketoprofen", "KTP1460", 330, 250, "Medisca", None),
    ("Lidocaine Hydrochloride", "LDC0917", 510, 500, "PCCA", None),
    ("Gabapentin", "GBP5521", 600, 500, "PCCA", ("compounded", 60)),
    ("Baclofen", "BCL2043", 40, 25, "Medisca", ("compounded", 5)),
    ("Ketamine Hydrochloride", "KTM0311", 365, 25, "PCCA", None),
    ("Testosterone", "TST7781", 450, 25, "PCCA", None),
    ("Transdermal base (Lipoderm-style)", "TDB4410", 270, 2000, "PCCA", ("compounded", 850)),
    ("White Petrolatum", "WP88102", 900, 4540, "Medisca", None),
    ("Lanolin (anhydrous)", "LAN3310", 700, 454, "Medisca", None),
    ("Methylparaben", "MPB0619", 800, 100, "Medisca", None),
    ("Sulfamethoxazole", "SMZ2218", 480, 100, "PCCA", None),
    ("Ibuprofen", "IBP7730", 560, 500, "PCCA", None),
    ("Purified Water", "PW25-031", 28, 3785, "In-house still", ("compounded", 1200)),
    ("Simple Syrup", "SS4471", 180, 3785, "Medisca", None),
)


def _upload(name: str) -> importing.Upload:
    return importing.Upload(token="", user_id=0, filename=name, data=(SAMPLES / name).read_bytes())


def _items() -> dict[str, Product | Ingredient]:
    found: dict[str, Product | Ingredient] = {}
    for product in Product.select():
        found[f"{product.name} {product.strength}"] = product
    for ingredient in Ingredient.select():
        found[ingredient.name] = ingredient
    return found


def load(today: date | None = None) -> str:
    """Import the sample catalog and receive demo lots (skipped when products exist)."""
    if Product.select().exists():
        return "catalog: products already present, none added"
    if today is None:
        pharmacy = Pharmacy.current()
        today = local_today(pharmacy.time_zone if pharmacy else None)
    importing.apply(_upload("ingredients.csv"), user=None)
    importing.apply(_upload("products.csv"), user=None)
    items = _items()
    for name, lot_number, days, quantity, supplier, taken in LOTS:
        item = items[name]
        received = today - timedelta(days=30 if days > 0 else 400)
        lot = Lot.receive(
            item,
            lot_number=lot_number,
            expires_on=today + timedelta(days=days),
            quantity=Decimal(quantity),
            received_on=received,
            supplier=supplier,
        )
        if taken:
            reason, amount = taken
            lot.withdraw(Decimal(str(amount)), reason, note="demo history")
    return (
        f"catalog: {Product.select().count()} products, {Ingredient.select().count()} "
        f"ingredients, {len(LOTS)} lots"
    )
