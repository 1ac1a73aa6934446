"""Prior authorization: started from a 75 reject (Prior Authorization Required).

The pharmacy asks the prescriber to request the PA from the plan; staff track when it was
asked, who at the prescriber's office was contacted and how, the plan's decision, the PA
number to send on the resubmitted claim, and the dates it is good for.
"""

from __future__ import annotations

from datetime import date

from peewee import CharField, DateField, DateTimeField, ForeignKeyField, TextField

from portal.audit import log as audit
from portal.audit import transitions
from portal.auth.models import User
from portal.claims.claims.models import Claim, ClaimError, ClaimEvent
from portal.claims.prior_auth.rules import (
    PA_MOVES,
    PA_STATUS_LABELS,
    PA_STATUSES,  # noqa: F401  (the claim forms read it here)
    PAStatus,
)
from portal.foundation.dates import utcnow
from portal.foundation.db import BaseModel, write_transaction
from portal.foundation.i18n import N_

# Reject codes whose usual next step includes a prior authorization (reject_codes.csv).
PA_REJECT_CODES = ("75", "70", "76", "MR")


class PriorAuthorization(BaseModel):
    claim = ForeignKeyField(Claim, backref="prior_authorizations", on_delete="CASCADE")
    status = CharField(max_length=10, default=PAStatus.REQUESTED)
    requested_on = DateField()
    prescriber_contacted = CharField(max_length=200)  # who, and how: "Dr. Ortiz's office, fax"
    pa_number = CharField(max_length=40, default="")
    approved_on = DateField(null=True)
    expires_on = DateField(null=True)
    notes = TextField(default="")
    created_by = ForeignKeyField(User, backref="+")
    created_at = DateTimeField(default=utcnow)
    updated_at = DateTimeField(default=utcnow)

    def save(self, *args, **kwargs):
        self.updated_at = utcnow()
        return super().save(*args, **kwargs)

    def status_on(self, today: date) -> str:
        """The status as of today: an approval past its expiry date reads "expired"."""
        if self.status == PAStatus.APPROVED and self.expires_on and self.expires_on < today:
            return PAStatus.EXPIRED
        return self.status

    def status_label_on(self, today: date) -> str:
        return PA_STATUS_LABELS[self.status_on(today)]

    @classmethod
    def for_claim(cls, claim: Claim):
        return (
            cls.select().where(cls.claim == claim).order_by(cls.requested_on.desc(), cls.id.desc())
        )

    @classmethod
    def start(
        cls,
        claim: Claim,
        user: User,
        *,
        requested_on: date,
        prescriber_contacted: str,
        notes: str = "",
        follow_up_on: date | None = None,
    ) -> PriorAuthorization:
        """Start tracking a PA for a rejected claim; the claim's follow-up date moves with it."""
        if not claim.times_rejected:
            raise ClaimError(N_("A prior authorization starts from a rejection (reject code 75)."))
        with write_transaction():
            pa = cls.create(
                claim=claim,
                requested_on=requested_on,
                prescriber_contacted=prescriber_contacted.strip(),
                notes=notes.strip(),
                created_by=user,
            )
            audit.record(
                "create",
                "prior_authorization",
                pa.id,
                after=audit.snapshot(pa),
                patient_id=claim.patient_id,
                user=user,
            )
            before = audit.snapshot(claim)
            if follow_up_on:
                claim.follow_up_on = follow_up_on
            words = (
                f"prior authorization requested {requested_on:%m/%d/%Y} "
                f"via {pa.prescriber_contacted}"
            )
            claim.note_event("pa", user, words, before=before)
        return pa

    def revise(self, user: User, **values) -> ClaimEvent:
        """Record the plan's decision or new details (status, pa_number, dates, notes).

        A new status is a move of the PA's life cycle (portal.audit.transitions); details
        alone are an update. Either way the claim's history says what changed.
        """
        status = values.pop("status", self.status)
        if status not in PA_STATUS_LABELS:
            raise ClaimError(f"{status!r} is not a status of a prior authorization.")
        if status == PAStatus.APPROVED and not (values.get("pa_number") or self.pa_number).strip():
            raise ClaimError(
                N_("An approved prior authorization needs the PA number from the plan.")
            )
        approved_on = values.get("approved_on", self.approved_on)
        expires_on = values.get("expires_on", self.expires_on)
        if approved_on and expires_on and expires_on < approved_on:
            raise ClaimError(N_("The PA cannot expire before it was approved; check the dates."))
        values = {
            name: value.strip() if isinstance(value, str) else value
            for name, value in values.items()
        }
        with write_transaction():
            if status != self.status:
                return self._move(PAStatus(status), user, values)
            before = audit.snapshot(self)
            values["updated_at"] = utcnow()
            # Only the details asked for, and only while the status is the one this page
            # showed: a stale page must not put back a status the plan has since changed.
            model = PriorAuthorization
            updated = (
                model.update(**values)
                .where((model.id == self.id) & (model.status == self.status))
                .execute()
            )
            if updated != 1:
                raise ClaimError(
                    N_("Someone else changed this prior authorization just now; reload the page.")
                )
            for name, value in values.items():
                setattr(self, name, value)
            audit.record(
                "update",
                "prior_authorization",
                self.id,
                before=before,
                after=audit.snapshot(self),
                patient_id=self.claim.patient_id,
                user=user,
            )
            return self.claim.note_event("pa", user, self._in_words())

    def _move(self, status: PAStatus, user: User, values: dict) -> ClaimEvent:
        """The plan's decision changes the status: the one transition, with the claim's
        history as the event; a refusal comes back as ClaimError in words."""

        def claim_event(from_status: str, to_status: str) -> ClaimEvent:
            return self.claim.note_event("pa", user, self._in_words())

        try:
            return transitions.move(
                self,
                status,
                moves=PA_MOVES,
                user=user,
                entity="prior_authorization",
                event=claim_event,
                changes={**values, "updated_at": utcnow()},
                patient_id=self.claim.patient_id,
                what="prior authorization",
            )
        except transitions.IllegalMove as refused:
            raise ClaimError(str(refused)) from refused

    def _in_words(self) -> str:
        words = f"prior authorization {PA_STATUS_LABELS[self.status].lower()}"
        if self.pa_number:
            words += f", PA number {self.pa_number}"
        if self.expires_on:
            words += f", good until {self.expires_on:%m/%d/%Y}"
        return words
