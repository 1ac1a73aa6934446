"""Every printed label, for the fill's print history and reprint control."""

from __future__ import annotations

from peewee import CharField, DateTimeField, ForeignKeyField, IntegerField, TextField, fn

from portal.auth.models import User
from portal.foundation.dates import utcnow
from portal.foundation.db import BaseModel
from portal.prescriptions.fills.models import Fill


class LabelPrint(BaseModel):
    """One print of one fill's label: who, when, how many copies, on which stock.

    Any print after the first for a fill is a reprint and carries its reason."""

    fill = ForeignKeyField(Fill, backref="label_prints", on_delete="CASCADE")
    printed_by = ForeignKeyField(User, backref="+", on_delete="RESTRICT")
    printed_at = DateTimeField(default=utcnow)
    copies = IntegerField(default=1)
    stock = CharField(max_length=40)
    reprint_reason = TextField(default="")

    class Meta:
        table_name = "label_print"
        indexes = (
            (("fill", "printed_at"), False),
            (("printed_at", "printed_by", "copies"), False),  # staff activity (migration 0151)
        )

    @property
    def is_reprint(self) -> bool:
        return bool(self.reprint_reason)

    @classmethod
    def history(cls, fill_id: int) -> list[LabelPrint]:
        return list(
            cls.select(cls, User)
            .join(User)
            .where(cls.fill == fill_id)
            .order_by(cls.printed_at, cls.id)
        )

    @classmethod
    def unprinted_count(cls, states) -> int:
        """How many fills in ``states`` have never had a label printed."""
        printed = cls.select().where(cls.fill == Fill.id)
        return Fill.select().where(Fill.status.in_(states), ~fn.EXISTS(printed)).count()

    @classmethod
    def printed_fill_ids(cls, fill_ids) -> set[int]:
        """Which of ``fill_ids`` have been printed at least once."""
        ids = list(fill_ids)
        if not ids:
            return set()
        query = cls.select(cls.fill).where(cls.fill.in_(ids)).distinct()
        return {row.fill_id for row in query}
