"""Lots on the shelf and every movement of stock in or out of them.

A lot's quantity on hand is the sum of its movements. ``Lot.quantity_on_hand`` caches
that sum; it changes only in LotStock's operations below, by one guarded UPDATE in the same
transaction as the movement row, so the two never disagree (``Lot.out_of_step()`` proves
it, and a test checks it). The queries (usable_for, expiring_within, expired_on_hand,
on_hand_by_item, low_stock) are on Lot.

The operations other areas call, on LotStock (mixed into Lot):

They read as ``lot.withdraw(...)``:

    Lot.receive(item, lot_number=..., expires_on=..., quantity=..., user=...) -> Lot
        Stock arriving; creates the lot on first receipt, adds to it after (same expiry).
    lot.withdraw(quantity, reason, *, user, note, fill_id, compounding_record_id,
                 allow_negative=False, override_reason=None) -> StockMovement
        reason: dispensed | compounded | expired | destroyed. Raises InsufficientStock
        ("Lot ABC123 has 40 g on hand; 50 g were asked for") unless allow_negative with an
        override_reason by a pharmacist or manager (audited as "override").
    lot.add_back(quantity, "returned", *, user, note, fill_id) -> StockMovement
    lot.adjust(delta, note, *, user) -> StockMovement          (a correction by delta)
    lot.record_count(counted, note, *, user) -> StockMovement | None
        A physical count; the difference from the locked lot, None when it matches.
    lot.remove_all(reason, note, *, user) -> StockMovement     (expired / destroyed)

Each opens its own write transaction, or joins the caller's (a savepoint), so a fill or
compounding record and its stock movements commit or roll back together. Every movement
is audited in the same transaction. Quantities are Decimals in the lot's unit.
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

from portal.audit import log as audit
from portal.auth.models import User
from portal.catalog.models import Ingredient, Product, QuantityField, from_stored_quantity
from portal.catalog.stock.rules import (
    NOTE_REQUIRED,
    QUANTITY_PLACES,
    REASONS,
    plain_quantity,
    reason_label,
    signed_delta,
)
from portal.foundation import locks
from portal.foundation.dates import today as pharmacy_today
from portal.foundation.dates import utcnow
from portal.foundation.db import BaseModel, is_sqlite, write_transaction
from portal.foundation.i18n import N_

__all__ = [
    "OVERRIDE_ROLES",
    "InsufficientStock",
    "Lot",
    "StockError",
    "StockMovement",
    "low_stock",
]


OVERRIDE_ROLES = ("pharmacist", "manager")


class StockError(ValueError):
    """A stock movement that cannot be made; the message says why in words."""


class InsufficientStock(StockError):
    """A withdrawal larger than what the lot holds."""

    def __init__(self, lot: Lot, asked: Decimal):
        self.lot, self.asked = lot, asked
        super().__init__(
            f"Lot {lot.lot_number} has {plain_quantity(lot.quantity_on_hand, lot.unit)} on hand; "
            f"{plain_quantity(asked, lot.unit)} "
            f"{'was' if asked == 1 else 'were'} asked for"
        )


class LotStock:
    """Stock operations of a Lot (a mixin: Lot declares the columns)."""

    @classmethod
    def receive(
        cls,
        item,
        *,
        lot_number: str,
        expires_on: date,
        quantity: Decimal,
        received_on: date | None = None,
        supplier: str = "",
        user: User | None = None,
        note: str = "",
    ) -> Lot:
        """Receive stock of an item into its lot (created on first receipt) and audit it.

        Receiving more of a lot already on file adds to it; the expiry must then match.
        """
        lot_number = lot_number.strip()
        quantity = Decimal(quantity)
        if quantity <= 0:
            raise StockError(N_("The quantity received must be more than zero"))
        with write_transaction():
            locks.hold_for_transaction(locks.AUDIT_CHAIN)  # before the lot's row: see _move
            # Insert-if-absent, then lock the row: two terminals receiving the first boxes of
            # a new lot at once both add to one lot (a read-then-create would make the second
            # fail on the unique lot number, or on PostgreSQL abort its transaction).
            created = (
                cls.insert(
                    product=item.id if isinstance(item, Product) else None,
                    ingredient=item.id if isinstance(item, Ingredient) else None,
                    lot_number=lot_number,
                    supplier=supplier.strip(),
                    expires_on=expires_on,
                    received_on=received_on or pharmacy_today(),
                    unit=item.stock_unit,
                )
                .on_conflict(
                    conflict_target=[cls.item_column(item), cls.lot_number], action="NOTHING"
                )
                .as_rowcount()
                .execute()
            )
            lot = cls._locked(cls.item_condition(item) & (cls.lot_number == lot_number))
            if created:
                audit.record("create", "lot", lot.id, after=audit.snapshot(lot), user=user)
            elif lot.expires_on != expires_on:
                raise StockError(
                    f"Lot {lot_number} is already on file expiring {lot.expires_on:%m/%d/%Y}; "
                    "check the expiration date on the package"
                )
            lot._move(quantity, "received", user=user, note=note)
        return lot

    @classmethod
    def _locked(cls, condition) -> Lot:
        """The lot as it stands now, held until the transaction ends (call inside a write
        transaction): SELECT ... FOR UPDATE on PostgreSQL; on SQLite, write_transaction's
        BEGIN IMMEDIATE already holds the database's only write lock. The audit chain's
        lock is taken first, as _move takes it."""
        locks.hold_for_transaction(locks.AUDIT_CHAIN)
        query = cls.select().where(condition)
        if not is_sqlite():
            query = query.for_update()
        return query.get()

    def withdraw(
        self,
        quantity: Decimal,
        reason: str = "dispensed",
        *,
        user: User | None = None,
        note: str = "",
        fill_id: int | None = None,
        compounding_record_id: int | None = None,
        allow_negative: bool = False,
        override_reason: str | None = None,
    ) -> StockMovement:
        """Take stock out of the lot (dispensed, compounded, expired, destroyed).

        Raises InsufficientStock when the lot holds less than asked, unless
        allow_negative with an override_reason by a pharmacist or manager (audited).
        """
        if reason not in REASONS or REASONS[reason][1] != -1:
            raise StockError(f"{reason_label(reason)} does not take stock out of a lot")
        quantity = Decimal(quantity)
        if quantity <= 0:
            raise StockError(N_("The quantity to take out must be more than zero"))
        return self._move(
            -quantity,
            reason,
            user=user,
            note=note,
            fill_id=fill_id,
            compounding_record_id=compounding_record_id,
            allow_negative=allow_negative,
            override_reason=override_reason,
        )

    def add_back(
        self, quantity: Decimal, reason: str = "returned", *, user=None, note="", fill_id=None
    ):
        """Put stock back into the lot (returned to stock)."""
        if reason not in REASONS or REASONS[reason][1] != 1:
            raise StockError(f"{reason_label(reason)} does not add stock to a lot")
        quantity = Decimal(quantity)
        if quantity <= 0:
            raise StockError(N_("The quantity to put back must be more than zero"))
        return self._move(quantity, reason, user=user, note=note, fill_id=fill_id)

    def adjust(
        self,
        delta: Decimal,
        note: str,
        *,
        user: User | None = None,
        allow_negative: bool = False,
        override_reason: str | None = None,
    ) -> StockMovement:
        """Correct the count by delta (signed) after a physical count; the note says why."""
        delta = Decimal(delta)
        if delta == 0:
            raise StockError(N_("An adjustment of zero changes nothing"))
        return self._move(
            delta,
            "adjusted",
            user=user,
            note=note,
            allow_negative=allow_negative,
            override_reason=override_reason,
        )

    def record_count(
        self, counted: Decimal, note: str, *, user: User | None = None
    ) -> StockMovement | None:
        """A physical count of the shelf: the difference from the lot as it stands inside
        the transaction (row locked) is recorded as an adjustment; None when it matches.

        Worked out from the lot read before the transaction, ten terminals entering the
        same count at once would each record the whole difference again."""
        counted = Decimal(counted)
        with write_transaction():
            current = self._locked(type(self).id == self.id)
            self.quantity_on_hand = current.quantity_on_hand
            difference = counted - current.quantity_on_hand
            if difference == 0:
                return None
            return self.adjust(difference, note, user=user)

    def remove_all(self, reason: str, note: str, *, user: User | None = None) -> StockMovement:
        """Take everything left out of the lot (expired or destroyed)."""
        with write_transaction():
            fresh = self._locked(type(self).id == self.id)
            if fresh.quantity_on_hand <= 0:
                raise StockError(f"Lot {self.lot_number} has nothing on hand to remove")
            return self.withdraw(fresh.quantity_on_hand, reason, user=user, note=note)

    def _move(
        self,
        delta: Decimal,
        reason: str,
        *,
        user: User | None = None,
        note: str = "",
        fill_id: int | None = None,
        compounding_record_id: int | None = None,
        allow_negative: bool = False,
        override_reason: str | None = None,
    ) -> StockMovement:
        delta = signed_delta(reason, Decimal(delta)).quantize(QUANTITY_PLACES)
        note = (note or "").strip()
        override_reason = (override_reason or "").strip()
        if reason in NOTE_REQUIRED and not note:
            raise StockError(f"Say why: a note is required when stock is {reason}")
        if allow_negative:
            if not override_reason:
                raise StockError(N_("Say why stock may go below zero: an override needs a reason"))
            if user is None or not user.has_any_role(OVERRIDE_ROLES):
                raise StockError(N_("Only a pharmacist or manager may let stock go below zero"))
        with write_transaction():
            # The audit chain's lock before the lot's row, as every move of a fill takes them
            # (portal.audit.transitions): the movement is audited anyway, and the other order
            # deadlocks on PostgreSQL with a transaction that holds the chain and then returns
            # stock to this lot (the hourly job cancelling a lapsed remainder, while the
            # pharmacist sends the same fill back at final verification).
            locks.hold_for_transaction(locks.AUDIT_CHAIN)
            # One guarded UPDATE: two terminals taking the last tablets cannot both succeed.
            guarded = (
                type(self)
                .update(quantity_on_hand=type(self).quantity_on_hand + delta)
                .where(type(self).id == self.id)
            )
            if delta < 0 and not allow_negative:
                guarded = guarded.where(type(self).quantity_on_hand + delta >= 0)
            if guarded.execute() == 0:
                current = type(self).get_by_id(self.id)
                raise InsufficientStock(current, -delta)
            fresh = type(self).get_by_id(self.id)
            self.quantity_on_hand = fresh.quantity_on_hand
            went_negative = fresh.quantity_on_hand < 0 and delta < 0
            if went_negative and override_reason:
                note = f"{note} (override: {override_reason})".strip()
            movement = StockMovement.create(
                lot=self.id,
                delta=delta,
                reason=reason,
                note=note,
                user=user,
                balance_after=fresh.quantity_on_hand,
                override=went_negative,
                fill_id=fill_id,
                compounding_record_id=compounding_record_id,
            )
            audit.record(
                "create", "stock_movement", movement.id, after=audit.snapshot(movement), user=user
            )
            if went_negative:
                audit.record(
                    "override",
                    "lot",
                    self.id,
                    note=f"Stock of lot {self.lot_number} allowed below zero: {override_reason}",
                    after={"quantity_on_hand": fresh.quantity_on_hand},
                    user=user,
                )
        return movement


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
        # The perpetual inventory reads an item's newest movements by lot (migration 0111).
        indexes = ((("lot", "id"), False),)

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
