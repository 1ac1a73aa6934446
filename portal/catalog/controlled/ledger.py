"""The perpetual inventory of a controlled product or ingredient: every movement of every
lot, newest first, with the running balance of the item, the person and the document
(21 CFR 1304.21, 1304.22(c)). Read a page at a time: a busy C-II has tens of thousands of
movements, and the balance before a page is the item's stock on hand less what came after.
"""

from __future__ import annotations

import heapq
from dataclasses import dataclass
from decimal import Decimal

from peewee import fn

from portal.auth.models import User
from portal.catalog.controlled import rules
from portal.catalog.models import Ingredient, Product, from_stored_quantity
from portal.catalog.stock.models import Lot, StockMovement

PAGE = 100


@dataclass(frozen=True)
class Entry:
    movement: StockMovement
    lot_number: str
    balance: Decimal  # the item's balance right after this movement

    @property
    def document(self) -> str:
        """What the movement was made on: the note names the Rx, order form or report."""
        found = self.movement.note
        if not found and self.movement.fill_id:
            found = f"fill {self.movement.fill_id}"
        if not found and self.movement.compounding_record_id:
            found = f"compounding record {self.movement.compounding_record_id}"
        return found or "—"


@dataclass(frozen=True)
class LedgerPage:
    entries: list[Entry]
    on_hand: Decimal
    before_id: int | None  # the cursor for the next (older) page, or None at the start


def on_hand(lot_ids: list[int]) -> Decimal:
    raw = Lot.select(fn.COALESCE(fn.SUM(Lot.quantity_on_hand), 0)).where(Lot.id.in_(lot_ids))
    return from_stored_quantity(raw.scalar()) if lot_ids else Decimal(0)


def page(item, before_id: int | None = None, size: int = PAGE) -> LedgerPage:
    """Movements of the item older than ``before_id`` (newest first), with balances."""
    lots = {
        lot.id: lot.lot_number
        for lot in Lot.select(Lot.id, Lot.lot_number).where(Lot.item_condition(item))
    }
    lot_ids = list(lots)
    total = on_hand(lot_ids)
    if not lot_ids:
        return LedgerPage([], total, None)
    newest = total
    where = StockMovement.lot.in_(lot_ids)
    if before_id is not None:
        after = StockMovement.select(fn.COALESCE(fn.SUM(StockMovement.delta), 0)).where(
            where & (StockMovement.id >= before_id)
        )
        newest = total - from_stored_quantity(after.scalar())
        where &= StockMovement.id < before_id
    rows = _newest(lot_ids, where, size + 1)
    more = len(rows) > size
    rows = rows[:size]
    balances = rules.running_balances(newest, [row.delta for row in rows])
    entries = [
        Entry(row, lots[row.lot_id], balance) for row, balance in zip(rows, balances, strict=True)
    ]
    return LedgerPage(entries, total, rows[-1].id if more else None)


def _newest(lot_ids: list[int], where, count: int) -> list[StockMovement]:
    """The ``count`` newest movements over the lots: each lot's newest from its (lot, id)
    index, merged, so SQLite never sorts an item's whole history."""
    ids = []
    for lot_id in lot_ids:  # ids only: cheap tuples, not model rows
        ids.extend(
            StockMovement.select(StockMovement.id)
            .where(where & (StockMovement.lot == lot_id))
            .order_by(StockMovement.id.desc())
            .limit(count)
            .tuples()
        )
    newest = [row_id for (row_id,) in heapq.nlargest(count, ids)]
    rows = list(
        StockMovement.select().where(StockMovement.id.in_(newest)).order_by(StockMovement.id.desc())
    )
    people = {u.id: u for u in User.select().where(User.id.in_({r.user_id for r in rows}))}
    for row in rows:
        if row.user_id in people:
            row.user = people[row.user_id]
    return rows


def controlled_items():
    """Controlled products and ingredients with lots, for the records' index."""
    products = Product.select().where(Product.schedule.is_null(False)).order_by(Product.name)
    ingredients = (
        Ingredient.select().where(Ingredient.schedule.is_null(False)).order_by(Ingredient.name)
    )
    return list(products), list(ingredients)
