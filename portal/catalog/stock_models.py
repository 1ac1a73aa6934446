"""Lots on the shelf and every movement of stock in or out of them.

A lot's quantity on hand is the sum of its movements. ``Lot.quantity_on_hand`` caches
that sum; it changes only in stock.py, by one guarded UPDATE in the same transaction as
the movement row, so the two never disagree (``Lot.out_of_step()`` proves it, and a test
checks it). The operations other areas call (receive, withdraw, add_back, adjust,
remove_all) are documented in stock.py; the queries (usable_for, expiring_within,
expired_on_hand, on_hand_by_item, low_stock) are here.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from peewee import (
    JOIN,
    BooleanField,
    CharField,
    Check,
    DateField,
    DateTimeField,
    ForeignKeyField,
    IntegerField,
    TextField,
    fn,
)

from portal.auth.models import User
from portal.catalog.models import Ingredient, Product, QuantityField, from_stored_quantity
from portal.catalog.stock import OVERRIDE_ROLES, InsufficientStock, LotStock, StockError
from portal.catalog.stock_rules import (
    plain_quantity,
    reason_label,
)
from portal.db import BaseModel
from portal.timeutil import utcnow

__all__ = [
    "OVERRIDE_ROLES",
    "InsufficientStock",
    "Lot",
    "StockError",
    "StockMovement",
    "low_stock",
]


class Lot(LotStock, BaseModel):
    """One manufacturer's lot of a product or an ingredient, as received."""

    product = ForeignKeyField(Product, null=True, backref="lots")
    ingredient = ForeignKeyField(Ingredient, null=True, backref="lots")
    lot_number = CharField(max_length=40)
    supplier = CharField(max_length=120, default="")
    expires_on = DateField(index=True)  # the last day it may be used
    received_on = DateField()
    unit = CharField(max_length=8)  # the item's stock unit when received
    quantity_on_hand = QuantityField(default=0)  # = sum of movements (see module doc)
    notes = TextField(default="")
    created_at = DateTimeField(default=utcnow)

    class Meta:
        table_name = "lot"
        constraints = [
            Check("(product_id IS NULL) <> (ingredient_id IS NULL)", name="lot_one_item")
        ]
        indexes = (
            (("product", "lot_number"), True),
            (("ingredient", "lot_number"), True),
        )

    @property
    def item(self) -> Product | Ingredient:
        return self.product if self.product_id else self.ingredient

    def is_expired(self, on_date: date) -> bool:
        return self.expires_on < on_date

    def days_left(self, on_date: date) -> int:
        return (self.expires_on - on_date).days

    @property
    def on_hand_text(self) -> str:
        return plain_quantity(self.quantity_on_hand, self.unit)

    @staticmethod
    def item_column(item):
        """The lot's column that names the item's kind: product or ingredient."""
        if isinstance(item, Product):
            return Lot.product
        if isinstance(item, Ingredient):
            return Lot.ingredient
        raise TypeError(f"lots belong to a Product or an Ingredient, not {type(item).__name__}")

    @staticmethod
    def item_condition(item):
        """The where-clause for lots of a product or an ingredient."""
        return Lot.item_column(item) == item.id

    # ---- queries -------------------------------------------------------------------------

    @classmethod
    def usable_for(cls, item, on_date: date):
        """Lots of the item with stock that have not expired on on_date, first-expiring first."""
        return (
            cls.select()
            .where(
                cls.item_condition(item) & (cls.quantity_on_hand > 0) & (cls.expires_on >= on_date)
            )
            .order_by(cls.expires_on, cls.received_on, cls.id)
        )

    @classmethod
    def of_item(cls, item):
        """Every lot of the item, those with stock first, then first-expiring first."""
        return (
            cls.select()
            .where(cls.item_condition(item))
            .order_by((cls.quantity_on_hand <= 0), cls.expires_on, cls.id)
        )

    @classmethod
    def _with_items(cls):
        return (
            cls.select(cls, Product, Ingredient)
            .join_from(cls, Product, JOIN.LEFT_OUTER)
            .join_from(cls, Ingredient, JOIN.LEFT_OUTER)
        )

    @classmethod
    def expiring_within(cls, days: int, today: date):
        """Lots with stock whose expiry falls between today and today + days."""
        from datetime import timedelta

        return (
            cls._with_items()
            .where(
                (cls.quantity_on_hand > 0)
                & (cls.expires_on >= today)
                & (cls.expires_on <= today + timedelta(days=days))
            )
            .order_by(cls.expires_on, cls.id)
        )

    @classmethod
    def expired_on_hand(cls, today: date):
        """Expired lots that still have stock: to pull from the shelf and destroy or return."""
        return (
            cls._with_items()
            .where((cls.quantity_on_hand > 0) & (cls.expires_on < today))
            .order_by(cls.expires_on, cls.id)
        )

    @classmethod
    def on_hand_by_item(cls, model, ids, on_date: date | None = None) -> dict[int, Decimal]:
        """{product or ingredient id: quantity on hand} for many items in one query;
        with a date, unexpired lots only."""
        column = cls.product if model is Product else cls.ingredient
        query = (
            cls.select(
                column.alias("item_id"), fn.SUM(cls.quantity_on_hand).coerce(False).alias("total")
            )
            .where(column.in_(list(ids)))
            .group_by(column)
        )
        if on_date is not None:
            query = query.where(cls.expires_on >= on_date)
        totals = {row["item_id"]: from_stored_quantity(row["total"]) for row in query.dicts()}
        return {item_id: totals.get(item_id, Decimal(0)) for item_id in ids}

    @classmethod
    def out_of_step(cls):
        """Lots whose cached quantity differs from the sum of their movements (should be none)."""
        total = StockMovement.select(fn.COALESCE(fn.SUM(StockMovement.delta), 0)).where(
            StockMovement.lot == cls.id
        )
        return cls.select().where(cls.quantity_on_hand != total)

    def __str__(self) -> str:
        return f"Lot {self.lot_number}"


class StockMovement(BaseModel):
    """One change to a lot's quantity: never edited or deleted; a mistake is corrected by
    another movement."""

    lot = ForeignKeyField(Lot, backref="movements")
    delta = QuantityField()  # signed, in the lot's unit
    reason = CharField(max_length=12)  # stock_rules.REASONS
    note = TextField(default="")
    user = ForeignKeyField(User, null=True, backref="+")
    at = DateTimeField(default=utcnow, index=True)
    balance_after = QuantityField()  # the lot's quantity on hand right after this movement
    override = BooleanField(default=False)  # allowed below zero by a pharmacist or manager
    # Plain ids, not foreign keys: prescriptions and compounding build on the catalog, so the
    # catalog cannot import them; those areas look movements up by these.
    fill_id = IntegerField(null=True, index=True)
    compounding_record_id = IntegerField(null=True, index=True)

    class Meta:
        table_name = "stock_movement"

    @property
    def reason_label(self) -> str:
        return reason_label(self.reason)

    @classmethod
    def for_lot(cls, lot: Lot):
        return (
            cls.select(cls, User)
            .join(User, JOIN.LEFT_OUTER, on=(cls.user == User.id))
            .where(cls.lot == lot)
            .order_by(cls.at.desc(), cls.id.desc())
        )


def _below_reorder_point(model, column, today: date):
    """Active ``model`` items with a reorder point whose unexpired stock is below it, each
    with its ``stock_on_hand`` (stored quantity)."""
    per_item = (
        Lot.select(column.alias("item_id"), fn.SUM(Lot.quantity_on_hand).alias("on_hand"))
        .where(column.is_null(False) & (Lot.expires_on >= today))
        .group_by(column)
        .alias("stock")
    )
    on_hand = fn.COALESCE(per_item.c.on_hand, 0)
    return (
        model.select(model, on_hand.alias("stock_on_hand"))
        .join(per_item, JOIN.LEFT_OUTER, on=(per_item.c.item_id == model.id))
        .where(
            (model.active == True)  # noqa: E712
            & (model.reorder_point > 0)
            & (on_hand < model.reorder_point)
        )
    )


_STOCKED = ((Product, Lot.product), (Ingredient, Lot.ingredient))


def low_stock_count(today: date) -> int:
    """How many items low_stock lists, counted in the database (the start page's card)."""
    return sum(_below_reorder_point(model, column, today).count() for model, column in _STOCKED)


def low_stock(today: date) -> list[tuple[Product | Ingredient, Decimal]]:
    """Active items with a reorder point whose unexpired stock is below it, fewest first."""
    rows: list[tuple[Product | Ingredient, Decimal]] = []
    for model, column in _STOCKED:
        query = _below_reorder_point(model, column, today)
        rows.extend((item, from_stored_quantity(item.stock_on_hand)) for item in query)
    return sorted(rows, key=lambda row: (row[1] / row[0].reorder_point, str(row[0])))
