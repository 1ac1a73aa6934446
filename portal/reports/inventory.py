"""What the stock on the shelves is worth: on hand × cost, per item, usable and expired
apart (expired stock is a loss to write off, not an asset)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from peewee import Case, fn

from portal.catalog.models import Ingredient, Product
from portal.catalog.stock.models import Lot

CENT = Decimal("0.01")


@dataclass
class ValueRow:
    item: Product | Ingredient
    kind: str  # "product" | "ingredient"
    usable: Decimal  # on hand in unexpired lots, in the item's stock unit
    expired: Decimal
    unit_cost: Decimal | None  # per stock unit; None: no cost on file

    @property
    def usable_value(self) -> Decimal | None:
        return None if self.unit_cost is None else (self.usable * self.unit_cost).quantize(CENT)

    @property
    def expired_value(self) -> Decimal | None:
        return None if self.unit_cost is None else (self.expired * self.unit_cost).quantize(CENT)


@dataclass
class Valuation:
    rows: list[ValueRow]

    @property
    def usable_total(self) -> Decimal:
        return sum((r.usable_value for r in self.rows if r.usable_value is not None), Decimal(0))

    @property
    def expired_total(self) -> Decimal:
        return sum((r.expired_value for r in self.rows if r.expired_value is not None), Decimal(0))

    @property
    def without_cost(self) -> list[ValueRow]:
        return [r for r in self.rows if r.unit_cost is None]


def _on_hand(column, today: date) -> dict[int, tuple[Decimal, Decimal]]:
    """{item id: (usable, expired)} summed over lots with stock, in one query."""
    quantity = Lot.quantity_on_hand
    usable = fn.SUM(Case(None, [(Lot.expires_on >= today, quantity)], 0))
    expired = fn.SUM(Case(None, [(Lot.expires_on < today, quantity)], 0))
    query = (
        Lot.select(column, usable, expired)
        .where(column.is_null(False) & (quantity > 0))
        .group_by(column)
    )
    scale = Lot.quantity_on_hand.SCALE
    return {
        item_id: (Decimal(int(u or 0)) / scale, Decimal(int(e or 0)) / scale)
        for item_id, u, e in query.tuples()
    }


def valuation(today: date) -> Valuation:
    rows: list[ValueRow] = []
    for model, column, kind in (
        (Product, Lot.product, "product"),
        (Ingredient, Lot.ingredient, "ingredient"),
    ):
        stock = _on_hand(column, today)
        if not stock:
            continue
        for item in model.select().where(model.id.in_(list(stock))):
            usable, expired = stock[item.id]
            rows.append(ValueRow(item, kind, usable, expired, item.cost_per_unit))
    rows.sort(key=lambda r: (-(r.usable_value or 0), r.item.name))
    return Valuation(rows)
