"""Imported 835 remittances and their claim lines (posted, or waiting for a manual match).

A payment is named by its payer (TRN03) and trace number (TRN02, the check or EFT number):
the pair is unique, so importing the same file twice posts nothing the second time.
"""

from __future__ import annotations

import json
from decimal import Decimal

from peewee import (
    JOIN,
    CharField,
    DateField,
    DateTimeField,
    ForeignKeyField,
    IntegerField,
    TextField,
)

from portal.auth.models import User
from portal.claims.claims.fields import MoneyField
from portal.claims.claims.models import Claim, ClaimEvent
from portal.claims.remittance import codes
from portal.foundation.dates import utcnow
from portal.foundation.db import BaseModel

LINE_OUTCOMES = {
    "posted": "Posted",
    "unmatched": "No matching claim",
    "not_posted": "Not posted",
    "matched": "Matched by hand and posted",
    "no_change": "Nothing to post",
}


class Remittance(BaseModel):
    payer_id = CharField(max_length=50, default="")  # TRN03
    trace_number = CharField(max_length=50)  # TRN02
    payer_name = CharField(max_length=120, default="")
    payee_name = CharField(max_length=120, default="")
    payment_amount = MoneyField()
    payment_date = DateField()
    payment_method = CharField(max_length=3, default="")
    provider_adjustments = MoneyField(default=0)  # PLB total: positive takes money back
    file_name = CharField(max_length=200, default="")
    raw_text = TextField()
    imported_by = ForeignKeyField(User, backref="+")
    imported_at = DateTimeField(default=utcnow)

    class Meta:
        indexes = ((("payer_id", "trace_number"), True),)

    @property
    def payment_method_label(self) -> str:
        return codes.PAYMENT_METHODS.get(self.payment_method, self.payment_method)

    @classmethod
    def find(cls, payer_id: str, trace_number: str):
        return cls.get_or_none((cls.payer_id == payer_id) & (cls.trace_number == trace_number))

    @classmethod
    def recent(cls, limit: int = 50):
        return cls.select(cls, User).join(User).order_by(cls.imported_at.desc()).limit(limit)

    def line_rows(self):
        return (
            RemittanceLine.select(RemittanceLine, Claim)
            .join(Claim, join_type=JOIN.LEFT_OUTER)
            .where(RemittanceLine.remittance == self)
            .order_by(RemittanceLine.position)
        )

    def unmatched_count(self) -> int:
        return self.lines.where(RemittanceLine.outcome == "unmatched").count()


class RemittanceLine(BaseModel):
    """One CLP claim payment of an imported 835."""

    remittance = ForeignKeyField(Remittance, backref="lines", on_delete="CASCADE")
    position = IntegerField()
    claim = ForeignKeyField(Claim, null=True, backref="remittance_lines")
    claim_reference = CharField(max_length=38)  # CLP01 as the payer sent it
    status_code = CharField(max_length=2)
    charge = MoneyField()
    paid = MoneyField()
    patient_responsibility = MoneyField()
    adjustments = TextField(default="[]")  # JSON: [{"group", "reason", "amount"}]
    payer_claim_number = CharField(max_length=50, default="")
    patient_name = CharField(max_length=120, default="")
    service_date = DateField(null=True)
    outcome = CharField(max_length=12, default="unmatched", index=True)
    outcome_note = TextField(default="")
    event = ForeignKeyField(ClaimEvent, null=True, backref="+", on_delete="SET NULL")
    matched_by = ForeignKeyField(User, null=True, backref="+")
    matched_at = DateTimeField(null=True)

    @property
    def status_label(self) -> str:
        return codes.CLAIM_STATUSES.get(self.status_code, self.status_code)

    @property
    def outcome_label(self) -> str:
        return LINE_OUTCOMES.get(self.outcome, self.outcome)

    def adjustment_list(self) -> list[dict]:
        return [
            {
                **row,
                "amount": Decimal(row["amount"]),
                "reason_label": codes.reason_label(row["reason"]),
            }
            for row in json.loads(self.adjustments or "[]")
        ]

    @classmethod
    def waiting(cls):
        """Lines no claim was found for, oldest import first (for manual matching)."""
        return (
            cls.select(cls, Remittance)
            .join(Remittance)
            .where(cls.outcome == "unmatched")
            .order_by(Remittance.imported_at, cls.position)
        )
