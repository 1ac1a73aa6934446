"""The biennial inventory of controlled substances (21 CFR 1304.11): a count session on one
date, at the opening or the close of business, with an exact count of every C-II and an
estimated count of opened C-III to C-V containers (exact when a container holds more than
1,000 units); signed by the pharmacist and then locked. The pharmacy keeps the printed copy.

    start(user, taken_on=..., business_hours=...) -> BiennialInventory
    record(line, user, quantity=..., estimated=...) ; sign(inventory, pharmacist)
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from peewee import CharField, DateField, DateTimeField, ForeignKeyField, TextField

from portal.audit import log as audit
from portal.auth.models import User
from portal.catalog.controlled import rules
from portal.catalog.models import Product, QuantityField
from portal.catalog.stock.models import Lot
from portal.foundation.dates import utcnow
from portal.foundation.db import BaseModel, write_transaction
from portal.foundation.i18n import N_


class InventoryRefused(ValueError):
    """Refused, with the rule in words."""


class BiennialInventory(BaseModel):
    taken_on = DateField()
    business_hours = CharField(max_length=8)  # rules.BUSINESS_HOURS: opening | close
    status = CharField(max_length=8, default="open")  # open | signed
    started_by = ForeignKeyField(User, backref="+", on_delete="RESTRICT")
    signed_by = ForeignKeyField(User, null=True, backref="+", on_delete="RESTRICT")
    signed_at = DateTimeField(null=True)
    created_at = DateTimeField(default=utcnow)

    class Meta:
        table_name = "biennial_inventory"

    @property
    def hours_label(self) -> str:
        return dict(rules.BUSINESS_HOURS).get(self.business_hours, self.business_hours)

    @property
    def is_locked(self) -> bool:
        return self.status == "signed"


class BiennialLine(BaseModel):
    """One lot on the shelf: its schedule, how it must be counted, and the count."""

    inventory = ForeignKeyField(BiennialInventory, backref="lines", on_delete="CASCADE")
    lot = ForeignKeyField(Lot, backref="+", on_delete="RESTRICT")
    description = CharField(max_length=200)  # as printed: name, strength, NDC, lot
    schedule = CharField(max_length=1)
    count_kind = CharField(max_length=9)  # exact | estimated (rules.biennial_count_kind)
    on_file = QuantityField()  # the perpetual inventory's balance when the session began
    counted = QuantityField(null=True)
    counted_by = ForeignKeyField(User, null=True, backref="+", on_delete="RESTRICT")
    note = TextField(default="")

    class Meta:
        table_name = "biennial_line"


def start(user: User, *, taken_on: date, business_hours: str) -> BiennialInventory:
    """A new session listing every controlled lot with stock on file."""
    if not user.is_pharmacist:
        raise InventoryRefused(N_("A pharmacist takes the biennial inventory."))
    if business_hours not in dict(rules.BUSINESS_HOURS):
        raise InventoryRefused(
            N_("Say whether it is taken at the opening or the close of business.")
        )
    lots = list(
        Lot.select(Lot, Product)
        .join(Product)
        .where(Product.schedule.is_null(False) & (Lot.quantity_on_hand > 0))
        .order_by(Product.schedule, Product.name, Lot.lot_number)
    )
    with write_transaction():
        inventory = BiennialInventory.create(
            taken_on=taken_on, business_hours=business_hours, started_by=user
        )
        for lot in lots:
            product = lot.product
            BiennialLine.create(
                inventory=inventory,
                lot=lot,
                schedule=product.schedule,
                description=f"{product.description} NDC {product.ndc}, lot {lot.lot_number}",
                count_kind=rules.biennial_count_kind(product.schedule, product.package_size),
                on_file=lot.quantity_on_hand,
            )
        audit.record(
            "create", "biennial_inventory", inventory.id, after=audit.snapshot(inventory), user=user
        )
    return inventory


def record(line: BiennialLine, user: User, *, quantity: Decimal, note: str = "") -> None:
    """The count of one line; an exact count must be a whole number of units."""
    inventory = BiennialInventory.get_by_id(line.inventory_id)
    if inventory.is_locked:
        raise InventoryRefused(N_("This inventory is signed and locked; it cannot be changed."))
    quantity = Decimal(quantity)
    if quantity < 0:
        raise InventoryRefused(N_("A count cannot be negative."))
    if line.count_kind == "exact" and quantity != quantity.to_integral_value():
        raise InventoryRefused(
            N_("Count this one exactly, unit by unit (21 CFR 1304.11(e)(3)): a whole number.")
        )
    with write_transaction():
        before = audit.snapshot(line)
        line.counted, line.counted_by, line.note = quantity, user, (note or "").strip()[:500]
        line.save()
        audit.record(
            "update", "biennial_line", line.id, before=before, after=audit.snapshot(line), user=user
        )


def sign(inventory: BiennialInventory, pharmacist: User) -> None:
    """The pharmacist signs: every line counted; locked from then on."""
    if not pharmacist.is_pharmacist:
        raise InventoryRefused(N_("Only a pharmacist signs the biennial inventory."))
    missing = inventory.lines.where(BiennialLine.counted.is_null()).count()
    if missing:
        raise InventoryRefused(f"{missing} line{'s' if missing > 1 else ''} not counted yet.")
    with write_transaction():
        updated = (
            BiennialInventory.update(status="signed", signed_by=pharmacist, signed_at=utcnow())
            .where((BiennialInventory.id == inventory.id) & (BiennialInventory.status == "open"))
            .execute()
        )
        if not updated:
            raise InventoryRefused(N_("This inventory is already signed."))
        audit.record("sign", "biennial_inventory", inventory.id, user=pharmacist)
