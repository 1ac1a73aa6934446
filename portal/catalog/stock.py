"""Moving stock in and out of lots: the operations other areas call.

Mixed into ``Lot`` (stock_models.py), so they read as ``lot.withdraw(...)``:

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
from typing import TYPE_CHECKING

from portal.audit import log as audit
from portal.catalog.models import Ingredient, Product
from portal.catalog.stock_rules import (
    NOTE_REQUIRED,
    QUANTITY_PLACES,
    REASONS,
    plain_quantity,
    reason_label,
    signed_delta,
)
from portal.db import is_sqlite, write_transaction
from portal.timeutil import utcnow

if TYPE_CHECKING:
    from portal.auth.models import User
    from portal.catalog.stock_models import Lot, StockMovement

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
            raise StockError("The quantity received must be more than zero")
        with write_transaction():
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
                    received_on=received_on or utcnow().date(),
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
        BEGIN IMMEDIATE already holds the database's only write lock."""
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
            raise StockError("The quantity to take out must be more than zero")
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
            raise StockError("The quantity to put back must be more than zero")
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
            raise StockError("An adjustment of zero changes nothing")
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
                raise StockError("Say why stock may go below zero: an override needs a reason")
            if user is None or not user.has_any_role(OVERRIDE_ROLES):
                raise StockError("Only a pharmacist or manager may let stock go below zero")
        with write_transaction():
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
            from portal.catalog.stock_models import StockMovement  # defined after this mixin

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
