"""What the pharmacist records about how a C-II arrived (21 CFR 1306.11): an emergency oral
order with its emergency quantity and the follow-up prescription due within 7 days, the
reason a fax serves as the original, and the signed original once it is in hand.

One row per prescription, made when the pharmacist first records something.
"""

from __future__ import annotations

from peewee import CharField, DateField, DateTimeField, ForeignKeyField, TextField

from portal.auth.models import User
from portal.catalog.models import QuantityField
from portal.foundation.dates import utcnow
from portal.foundation.db import BaseModel
from portal.foundation.i18n import translated
from portal.prescriptions.controlled import rules
from portal.prescriptions.models import Prescription


class ControlledOrigin(BaseModel):
    """The pharmacist's record of a C-II received by telephone or fax."""

    prescription = ForeignKeyField(
        Prescription, unique=True, backref="controlled_origins", on_delete="CASCADE"
    )
    # Emergency oral order (1306.11(d)): the quantity for the emergency period, reduced to
    # writing by the pharmacist at once.
    emergency_quantity = QuantityField(null=True)
    emergency_note = TextField(default="")
    emergency_recorded_by = ForeignKeyField(User, null=True, backref="+", on_delete="RESTRICT")
    emergency_recorded_at = DateTimeField(null=True)
    # Its follow-up: the prescriber's written or electronic prescription (1306.11(d)(4)).
    follow_up_due = DateField(null=True)
    follow_up_state = CharField(max_length=12, default="")  # "" | rules.FOLLOW_UP_*
    follow_up_on = DateField(null=True)  # the day it arrived, or the DEA was notified
    follow_up_by = ForeignKeyField(User, null=True, backref="+", on_delete="RESTRICT")
    # Fax as the original (1306.11(e)-(g)), printed on the prescription record.
    fax_reason = CharField(max_length=16, default="")
    fax_reason_by = ForeignKeyField(User, null=True, backref="+", on_delete="RESTRICT")
    # The signed original of a faxed C-II, checked before dispensing (1306.11(a)).
    original_received_on = DateField(null=True)
    original_received_by = ForeignKeyField(User, null=True, backref="+", on_delete="RESTRICT")
    updated_at = DateTimeField(default=utcnow)

    class Meta:
        table_name = "controlled_origin"
        indexes = ((("follow_up_state", "follow_up_due"), False),)

    @property
    def is_emergency_oral(self) -> bool:
        return self.emergency_quantity is not None

    @property
    def fax_reason_label(self) -> str:
        return translated(rules.reason_label(self.fax_reason))

    @property
    def follow_up_open(self) -> bool:
        return self.follow_up_state == rules.FOLLOW_UP_DUE

    @property
    def follow_up_words(self) -> str:
        if self.follow_up_state == rules.FOLLOW_UP_RECEIVED:
            return f"received {self.follow_up_on:%m/%d/%Y}"
        if self.follow_up_state == rules.FOLLOW_UP_DEA_NOTIFIED:
            return f"not received, DEA notified {self.follow_up_on:%m/%d/%Y}"
        if self.follow_up_open:
            return f"due by {self.follow_up_due:%m/%d/%Y}"
        return ""

    @classmethod
    def open_follow_ups(cls):
        """Emergency oral orders waiting for the prescriber's prescription, oldest due first."""
        return (
            cls.select(cls, Prescription)
            .join(Prescription)
            .where(cls.follow_up_state == rules.FOLLOW_UP_DUE)
            .order_by(cls.follow_up_due, cls.id)
        )
