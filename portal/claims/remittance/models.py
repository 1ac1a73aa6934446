"""Imported 835 remittances, their claim lines and provider-level adjustments.

A payment is named by its payer (TRN03) and trace number (TRN02, the check or EFT number):
importing the same payment twice posts nothing the second time, and a payment that reuses a
known trace number with another amount, date or payer is kept "held" for a person.
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
    fn,
)

from portal.auth.models import User
from portal.claims.claims.fields import MoneyField, cents_to_money
from portal.claims.claims.models import Claim, ClaimEvent
from portal.claims.remittance import codes
from portal.foundation.dates import utcnow
from portal.foundation.db import BaseModel
from portal.foundation.i18n import N_

LINE_OUTCOMES = {
    "posted": N_("Posted"),
    "unmatched": N_("No matching claim"),
    "not_posted": N_("Not posted"),
    "matched": N_("Matched by hand and posted"),
    "no_change": N_("Nothing to post"),
    "ambiguous": N_("Fits several claims"),
    "held": N_("Held for a person"),
    "confirmed": N_("Confirmed by hand and posted"),
}
# Lines a person must look at: nothing the payer paid may vanish from view.
WAITING_OUTCOMES = ("unmatched", "ambiguous", "held", "not_posted")


class Remittance(BaseModel):
    payer_id = CharField(max_length=50, default="")  # TRN03
    trace_number = CharField(max_length=50)  # TRN02
    payer_name = CharField(max_length=120, default="")
    payee_name = CharField(max_length=120, default="")
    payment_amount = MoneyField()
    payment_date = DateField()
    payment_method = CharField(max_length=3, default="")
    provider_adjustments = MoneyField(default=0)  # PLB total: positive takes money back
    status = CharField(max_length=8, default="posted")  # posted | held
    held_reason = TextField(default="")
    file_name = CharField(max_length=200, default="")
    raw_text = TextField()
    imported_by = ForeignKeyField(User, backref="+")
    imported_at = DateTimeField(default=utcnow)

    class Meta:
        indexes = ((("payer_id", "trace_number"), False),)

    @property
    def is_held(self) -> bool:
        return self.status == "held"

    @property
    def payment_method_label(self) -> str:
        return codes.PAYMENT_METHODS.get(self.payment_method, self.payment_method)

    @classmethod
    def find(cls, payer_id: str, trace_number: str):
        """The payment imported first with this payer and trace number (None if none)."""
        return (
            cls.select()
            .where((cls.payer_id == payer_id) & (cls.trace_number == trace_number))
            .order_by(cls.id)
            .first()
        )

    def same_trace(self):
        """Every payment imported with this payer and trace number, first first."""
        return (
            Remittance.select()
            .where(
                (Remittance.payer_id == self.payer_id)
                & (Remittance.trace_number == self.trace_number)
            )
            .order_by(Remittance.id)
        )

    def plb_rows(self):
        return (
            RemittanceAdjustment.select(RemittanceAdjustment, Claim)
            .join(Claim, join_type=JOIN.LEFT_OUTER)
            .where(RemittanceAdjustment.remittance == self)
            .order_by(RemittanceAdjustment.position)
        )

    @classmethod
    def recent(cls, limit: int = 50):
        return cls.select(cls, User).join(User).order_by(cls.imported_at.desc()).limit(limit)

    def line_rows(self):
        """The lines in file order, each with its claim's id and reference (all a list
        needs: a PBM's 835 can carry thousands of lines)."""
        return (
            RemittanceLine.select(RemittanceLine, Claim.id, Claim.claim_reference)
            .join(Claim, join_type=JOIN.LEFT_OUTER)
            .where(RemittanceLine.remittance == self)
            .order_by(RemittanceLine.position)
        )

    def unmatched_count(self) -> int:
        return self.lines.where(RemittanceLine.outcome.in_(WAITING_OUTCOMES)).count()

    def claims_paid(self) -> Decimal:
        """Sum of CLP04 over the payment's lines, in SQL."""
        total = self.lines.select(fn.COALESCE(fn.SUM(RemittanceLine.paid), 0)).scalar()
        return cents_to_money(total)


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
    candidates = TextField(default="")  # claim ids a person chooses from, "3,7"
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

    @property
    def candidate_ids(self) -> list[int]:
        return [int(part) for part in self.candidates.split(",") if part]

    @property
    def is_waiting(self) -> bool:
        return self.outcome in WAITING_OUTCOMES

    @classmethod
    def is_waiting_sql(cls):
        return cls.outcome.in_(WAITING_OUTCOMES)

    @classmethod
    def waiting(cls):
        """Lines a person must match, confirm or settle, oldest import first: unmatched,
        fitting several claims, held by a sanity check, or refused by the claim's state."""
        return (
            cls.select(cls, Remittance)
            .join(Remittance)
            .where(cls.outcome.in_(WAITING_OUTCOMES))
            .order_by(Remittance.imported_at, Remittance.id, cls.position)
        )


class RemittanceAdjustment(BaseModel):
    """One PLB provider-level adjustment (PLB03/05/... reason:reference, amount): positive
    takes money back (WO overpayment recovery), negative adds (L6 interest)."""

    remittance = ForeignKeyField(Remittance, backref="plb", on_delete="CASCADE")
    position = IntegerField()
    provider_id = CharField(max_length=50, default="")
    reason = CharField(max_length=3)
    reference = CharField(max_length=50, default="")
    amount = MoneyField()
    claim = ForeignKeyField(Claim, null=True, backref="+")  # the claim the reference names
    event = ForeignKeyField(ClaimEvent, null=True, backref="+", on_delete="SET NULL")

    @property
    def reason_label(self) -> str:
        return codes.provider_reason_label(self.reason)
