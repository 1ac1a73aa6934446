"""Controlled-substance records of the stock (rules.py cites the regulations):

- CountCheck: a physical count compared with the perpetual inventory, and the
  pharmacist's explanation of any discrepancy;
- ControlledOrder / ControlledOrderLine: a C-II order on DEA Form 222 or CSOS, and what
  was received on each line, when and into which lot;
- LossReport: a theft or loss (DEA Form 106 data) or a destruction (DEA Form 41 data).
"""

from __future__ import annotations

from peewee import (
    CharField,
    DateField,
    DateTimeField,
    ForeignKeyField,
    IntegerField,
    TextField,
)

from portal.auth.models import User
from portal.catalog.controlled import rules
from portal.catalog.models import Ingredient, Product, QuantityField
from portal.catalog.stock.models import Lot
from portal.foundation.dates import utcnow
from portal.foundation.db import BaseModel


class CountCheck(BaseModel):
    """A lot counted against the perpetual inventory; any difference became an adjustment."""

    lot = ForeignKeyField(Lot, backref="count_checks", on_delete="RESTRICT")
    expected = QuantityField()  # the perpetual inventory's balance at the count
    counted = QuantityField()
    explanation = TextField(default="")  # a pharmacist's, when they differ
    counted_by = ForeignKeyField(User, backref="+", on_delete="RESTRICT")
    at = DateTimeField(default=utcnow)
    movement_id = IntegerField(null=True)  # the adjustment it made, if any

    class Meta:
        table_name = "controlled_count_check"
        indexes = ((("lot", "at"), False),)

    @property
    def difference(self):
        return self.counted - self.expected


class ControlledOrder(BaseModel):
    """A C-II order: the order form, the supplier and its DEA registration."""

    order_form = CharField(max_length=4)  # rules.ORDER_FORMS
    order_number = CharField(max_length=20, unique=True)
    supplier = CharField(max_length=120)
    supplier_dea = CharField(max_length=9)
    ordered_on = DateField()
    created_by = ForeignKeyField(User, backref="+", on_delete="RESTRICT")
    created_at = DateTimeField(default=utcnow)

    class Meta:
        table_name = "controlled_order"

    @property
    def form_label(self) -> str:
        return dict(rules.ORDER_FORMS).get(self.order_form, self.order_form)

    @property
    def document(self) -> str:
        """How the stock movements name it: "DEA Form 222 #190123456"."""
        name = "DEA Form 222" if self.order_form == "222" else "CSOS order"
        return f"{name} #{self.order_number}"


class ControlledOrderLine(BaseModel):
    """One product on the order: the quantity ordered and what has been received of it."""

    order = ForeignKeyField(ControlledOrder, backref="lines", on_delete="CASCADE")
    line_number = IntegerField()
    product = ForeignKeyField(Product, backref="+", on_delete="RESTRICT")
    quantity_ordered = QuantityField()  # in the product's stock unit
    quantity_received = QuantityField(default=0)
    received_on = DateField(null=True)  # the last receipt on this line
    received_by = ForeignKeyField(User, null=True, backref="+", on_delete="RESTRICT")

    class Meta:
        table_name = "controlled_order_line"
        indexes = ((("order", "line_number"), True),)


class LossReport(BaseModel):
    """Stock lost, stolen or destroyed, with what DEA Form 106 or Form 41 asks for; the
    pharmacy files the form itself. The quantity leaves the lot in the same transaction."""

    kind = CharField(max_length=12)  # "theft_loss" (Form 106) | "destruction" (Form 41)
    lot = ForeignKeyField(Lot, backref="+", on_delete="RESTRICT")
    product = ForeignKeyField(Product, null=True, backref="+", on_delete="RESTRICT")
    ingredient = ForeignKeyField(Ingredient, null=True, backref="+", on_delete="RESTRICT")
    quantity = QuantityField()
    happened_on = DateField()  # discovered (106) or destroyed (41)
    loss_kind = CharField(max_length=20, default="")  # rules.LOSS_KINDS (106)
    police_report = CharField(max_length=40, default="")  # police notified: report number (106)
    method = CharField(max_length=20, default="")  # rules.DESTRUCTION_METHODS (41)
    witnesses = CharField(max_length=200, default="")  # two employees who witnessed it (41)
    circumstances = TextField()
    recorded_by = ForeignKeyField(User, backref="+", on_delete="RESTRICT")
    recorded_at = DateTimeField(default=utcnow)
    movement_id = IntegerField(null=True)

    class Meta:
        table_name = "controlled_loss_report"

    @property
    def form_name(self) -> str:
        return "DEA Form 106" if self.kind == "theft_loss" else "DEA Form 41"
