"""Fills (each dispensing of a prescription), their workflow events, pharmacist
verifications and prescriber clarifications.

Every status change goes through `Fill.move_to`, which refuses what the workflow
(workflow.py) or the duties (policy.duty_problem) do not allow, writes a FillEvent and an
audit event, and keeps the step columns (who entered, verified, filled... and when).
Other areas read a fill's columns directly: labels and claims use fill_number (0 is the
original), quantity, days_supply, filled_on, dispensed_ndc / dispensed_lot,
refills_remaining and the step users.
"""

from __future__ import annotations

import json
from datetime import date

from peewee import (
    JOIN,
    SQL,
    BooleanField,
    CharField,
    DateField,
    DateTimeField,
    ForeignKeyField,
    IntegerField,
    SmallIntegerField,
    TextField,
)

from portal.audit import log as audit
from portal.audit import transitions
from portal.auth.models import User
from portal.catalog.models import QuantityField
from portal.catalog.stock.models import Lot
from portal.foundation import dates
from portal.foundation.dates import utcnow
from portal.foundation.db import BaseModel, write_transaction
from portal.foundation.i18n import translated
from portal.patients.models import Patient
from portal.prescriptions import policy
from portal.prescriptions.fills import workflow
from portal.prescriptions.fills.workflow import FillStatus
from portal.prescriptions.models import Prescription, plain_quantity


class WorkflowError(ValueError):
    """A fill change refused for a reason in words (besides an illegal transition)."""


class NotAllowed(WorkflowError):
    """The user may not make this move (a technician verifying, a pharmacist's own entry)."""


class ScanMismatch(WorkflowError):
    """A scan at final verification that is not what the label says: blocked and audited."""


# What views catch to show the reason instead of an error page.
FILL_PROBLEMS = (workflow.IllegalTransition, transitions.IllegalMove, WorkflowError)


class Fill(BaseModel):
    """One dispensing of a prescription: the original (fill_number 0) or a refill."""

    prescription = ForeignKeyField(Prescription, backref="fills", on_delete="RESTRICT")
    # Copied from the prescription (never changes): queues and checks filter by patient.
    patient = ForeignKeyField(Patient, backref="fills", on_delete="RESTRICT")
    fill_number = IntegerField(default=0)  # 0 original, 1 first refill... (NCPDP 403-D3)
    status = CharField(max_length=16, default=FillStatus.INTAKE)  # FillStatus
    held_from = CharField(max_length=16, null=True)  # the state an on_hold fill resumes to
    hold_reason = TextField(default="")
    priority = CharField(max_length=10, default="today")  # policy.PRIORITIES
    # Order within a queue: 0 returned by a pharmacist, else the priority's rank.
    queue_rank = SmallIntegerField(default=2)
    return_reason = TextField(default="")  # the pharmacist's last reason for returning it
    quantity = QuantityField(default=0)  # to dispense, in the prescription's unit
    days_supply = IntegerField(default=0)
    refills_remaining = IntegerField(default=0)  # after this fill
    filled_on = DateField(null=True)  # date of filling (the claim's date of service)
    dispensed_ndc = CharField(max_length=13, default="")  # scanned at filling
    dispensed_lot = ForeignKeyField(Lot, null=True, backref="+", on_delete="RESTRICT")
    # Steps: who and when.
    created_by = ForeignKeyField(User, backref="+", on_delete="RESTRICT")
    created_at = DateTimeField(default=utcnow)  # received: "oldest first" in every queue
    entered_by = ForeignKeyField(User, null=True, backref="+", on_delete="RESTRICT")
    entered_at = DateTimeField(null=True)
    data_verified_by = ForeignKeyField(User, null=True, backref="+", on_delete="RESTRICT")
    data_verified_at = DateTimeField(null=True)
    filled_by = ForeignKeyField(User, null=True, backref="+", on_delete="RESTRICT")
    filled_at = DateTimeField(null=True)
    final_verified_by = ForeignKeyField(User, null=True, backref="+", on_delete="RESTRICT")
    final_verified_at = DateTimeField(null=True)
    handed_out_by = ForeignKeyField(User, null=True, backref="+", on_delete="RESTRICT")
    picked_up_at = DateTimeField(null=True)
    # Pickup: who collected it and whether counselling was offered and accepted.
    picked_up_by = CharField(max_length=120, default="")  # "" until picked up
    picked_up_relationship = CharField(max_length=40, default="")  # "patient", "spouse"...
    counseling_offered = BooleanField(null=True)
    counseling_accepted = BooleanField(null=True)
    # The ID shown at pickup of a C-II (policy.PICKUP_ID_TYPES); "" for other fills.
    picked_up_id_type = CharField(max_length=20, default="")
    picked_up_id_number = CharField(max_length=30, default="")
    # The state that issued that ID, two letters (ASAP AIR03; migration 0118); "" if none.
    picked_up_id_state = CharField(max_length=2, default="")
    # Who collected a controlled fill, as the PMP report carries it (ASAP AIR06-AIR08): last
    # and first name, and "patient" or policy.PICKUP_RELATIONSHIPS; "" for other fills.
    picked_up_last_name = CharField(max_length=80, default="")
    picked_up_first_name = CharField(max_length=80, default="")
    picked_up_relationship_code = CharField(max_length=12, default="")
    # Partial fill (controlled.md; 21 CFR 1306.13, 1306.23): why less than the prescribed
    # quantity is dispensed. The remainder is a follow-on fill of the same prescription
    # (remainder_of the first partial), not a refill; when its window lapses the first
    # partial's remainder is voided.
    partial_reason = CharField(max_length=16, default="")
    remainder_of = ForeignKeyField("self", null=True, backref="remainders", on_delete="RESTRICT")
    remainder_voided_at = DateTimeField(null=True)
    status_changed_at = DateTimeField(default=utcnow)
    updated_at = DateTimeField(default=utcnow)

    class Meta:
        table_name = "fill"
        indexes = (
            (("prescription", "fill_number"), True),
            # Each queue tab: status, then returned/priority, then oldest first (keyset).
            (("status", "queue_rank", "created_at", "id"), False),
            (("patient", "status"), False),
            (("entered_by", "status"), False),
            # Reports over a period (migration 0151): the date first, then what is counted.
            (("filled_on", "status"), False),
            (("entered_at", "entered_by"), False),
            (("filled_at", "filled_by"), False),
            (("picked_up_at", "handed_out_by"), False),
        )

    # ---- reading -------------------------------------------------------------------------

    @property
    def is_open(self) -> bool:
        return self.status in workflow.OPEN_STATES

    @property
    def status_label(self) -> str:
        return workflow.PLAIN_STATUS.get(self.status, self.status)

    @property
    def picked_up_id_label(self) -> str:
        return translated(policy.label(policy.PICKUP_ID_TYPES, self.picked_up_id_type))

    @property
    def priority_label(self) -> str:
        return translated(policy.label(policy.PRIORITIES, self.priority))

    @property
    def fill_label(self) -> str:
        if self.remainder_of_id:
            return f"Remainder of partial fill (fill {self.fill_number})"
        return "Original fill" if self.fill_number == 0 else f"Refill {self.fill_number}"

    @property
    def is_partial(self) -> bool:
        return bool(self.partial_reason)

    @property
    def partial_text(self) -> str:
        """ "partial fill: 10 of 30" for a partial fill or its remainder, else "" (the label
        and the record show it)."""
        if not self.partial_reason:
            return ""
        prescribed = plain_quantity(self.prescription.quantity)
        return f"partial fill: {plain_quantity(self.quantity)} of {prescribed}"

    @property
    def was_returned(self) -> bool:
        return self.queue_rank == policy.RETURNED_RANK and self.status in (
            FillStatus.DATA_ENTRY,
            FillStatus.FILL,
            FillStatus.COMPOUND,
        )

    @property
    def rx_fill(self) -> str:
        """ "100234-0": the Rx and fill number, as printed and scanned."""
        return f"{self.prescription.rx_number}-{self.fill_number}"

    def next_states(self) -> frozenset[str]:
        return workflow.next_states(self.status, self.held_from)

    def events(self):
        return (
            FillEvent.select(FillEvent, User)
            .join(User, JOIN.LEFT_OUTER, on=(FillEvent.user == User.id))
            .where(FillEvent.fill == self)
            .order_by(FillEvent.at, FillEvent.id)
        )

    def verifications(self):
        """The pharmacists' decisions, newest first, each with its pharmacist's name (read
        one by one for the page, each was a statement)."""
        return (
            Verification.select(Verification, User.id, User.full_name)
            .join(User, on=(Verification.pharmacist == User.id))
            .where(Verification.fill == self.id)
            .order_by(Verification.at.desc(), Verification.id.desc())
        )

    # ---- creating ------------------------------------------------------------------------

    @classmethod
    def open(
        cls,
        prescription: Prescription,
        user: User,
        *,
        priority: str = "today",
        quantity=None,
        days_supply: int | None = None,
        cosign_note: str = "",
    ) -> Fill:
        """A new fill of the prescription, received (intake). Numbers are never reused.

        `cosign_note` says who co-signed at whose terminal, for the fill's history."""
        if priority not in policy.PRIORITY_RANK:
            raise WorkflowError(f"{priority!r} is not a priority.")
        with write_transaction():
            last = (
                cls.select(cls.fill_number)
                .where(cls.prescription == prescription)
                .order_by(cls.fill_number.desc())
                .first()
            )
            made = (
                cls.select().where(
                    (cls.prescription == prescription)
                    & (cls.status != FillStatus.CANCELLED)
                    & cls.remainder_of.is_null()  # a partial's remainder is not a refill
                )
            ).count()
            fill = cls.create(
                prescription=prescription,
                patient=prescription.patient_id,
                fill_number=0 if last is None else last.fill_number + 1,
                priority=priority,
                queue_rank=policy.PRIORITY_RANK[priority],
                quantity=prescription.quantity if quantity is None else quantity,
                days_supply=prescription.days_supply if days_supply is None else days_supply,
                refills_remaining=policy.refills_left(prescription.refills_authorized, made + 1),
                created_by=user,
            )
            FillEvent.create(
                fill=fill,
                from_status="",
                to_status=FillStatus.INTAKE,
                user=user,
                note=cosign_note,
            )
            audit.record(
                "create",
                "fill",
                fill.id,
                after=audit.snapshot(fill),
                patient_id=fill.patient_id,
                user=user,
            )
        return fill

    # ---- moving --------------------------------------------------------------------------

    def move_to(
        self,
        to_state: FillStatus | str,
        user: User | None,
        reason: str | None = None,
        *,
        own_entry_reason: str = "",
        fields: dict | None = None,
        today: date | None = None,
        cosign_note: str = "",
    ) -> FillEvent:
        """Move the fill to another state, or raise IllegalTransition / NotAllowed in words.

        The one transition helper (portal.audit.transitions) checks the workflow from the
        stored state, not a stale copy, and guards the update on it; here are the fill's own
        checks (a reason where one is needed, who may do it: policy.duty_problem) and the step
        columns. `fields` are other columns changed with the move (pickup details, what was
        dispensed). `cosign_note` says who co-signed at whose terminal, for the fill's
        history. Runs in the caller's write_transaction, or its own. ``user`` None is the
        portal itself, which may only cancel (a lapsed remainder: controlled.partial).
        """
        to_state = _fill_status(to_state)
        reason = (reason or "").strip()
        own_entry_reason = (own_entry_reason or "").strip()
        stored_before: list[Fill] = []

        def check_stored(stored: Fill) -> None:
            stored_before.append(stored)
            from_state = stored.status
            workflow.check_move(from_state, to_state, stored.held_from)
            if workflow.needs_reason(from_state, to_state) and not reason:
                raise WorkflowError(
                    f"Say why the fill goes from {_words(from_state)} to {_words(to_state)}."
                )
            if user is None:
                # The portal itself (no person) only cancels: a lapsed remainder's fill.
                if to_state != FillStatus.CANCELLED:
                    raise NotAllowed("Only a person can move a fill there.")
                return
            problem = policy.duty_problem(
                from_state,
                to_state,
                roles=user.role_set,
                user_id=user.id,
                entered_by_id=stored.entered_by_id,
                own_entry_reason=own_entry_reason,
            )
            if problem:
                raise NotAllowed(problem)

        def changes(stored: Fill) -> dict:
            made = self._step_changes(stored, to_state, user, reason, today)
            made.update(_plain_fields(fields))
            return made

        def event(from_state: str, moved_to: str) -> FillEvent:
            return FillEvent.create(
                fill=self,
                from_status=from_state,
                to_status=moved_to,
                user=user,
                reason=reason,
                note=cosign_note,
            )

        with write_transaction():
            made = transitions.move(
                self,
                to_state,
                moves=workflow.MOVES,
                user=user,
                entity="fill",
                event=event,
                changes=changes,
                check_stored=check_stored,
                note=reason,
                patient_id=self.patient_id,
            )
            for name, value in (fields or {}).items():
                setattr(self, name, value)  # the model instance, not only its id
            stored = stored_before[0]
            approving_own = (stored.status, to_state) in policy.DATA_APPROVALS
            if (
                own_entry_reason
                and approving_own
                and user is not None
                and stored.entered_by_id == user.id
            ):
                audit.record(
                    "override",
                    "fill",
                    self.id,
                    patient_id=self.patient_id,
                    note=f"pharmacist verified their own data entry: {own_entry_reason}",
                    user=user,
                )
        return made

    def _step_changes(self, stored, to_state, user, reason, today) -> dict:
        """The columns a move sets besides the status: step users and times, hold, return."""
        now = utcnow()
        from_state = stored.status
        changes = {"status": to_state, "status_changed_at": now, "updated_at": now}
        forward_rank = policy.PRIORITY_RANK.get(stored.priority, 2)
        if to_state == FillStatus.ON_HOLD:
            changes.update(held_from=from_state, hold_reason=reason)
        elif from_state == FillStatus.ON_HOLD:
            changes.update(held_from=None, hold_reason="")
        if (from_state, to_state) in policy.RETURN_MOVES:
            changes.update(queue_rank=policy.RETURNED_RANK, return_reason=reason)
        elif (
            to_state not in (FillStatus.ON_HOLD, FillStatus.CANCELLED)
            and from_state != FillStatus.ON_HOLD
        ):
            changes["queue_rank"] = forward_rank
        if from_state == FillStatus.DATA_ENTRY and to_state == FillStatus.DATA_VERIFY:
            changes.update(entered_by=user.id, entered_at=now)
        elif from_state == FillStatus.DATA_VERIFY and to_state in (
            FillStatus.FILL,
            FillStatus.COMPOUND,
        ):
            changes.update(data_verified_by=user.id, data_verified_at=now)
        elif (
            from_state in (FillStatus.FILL, FillStatus.COMPOUND)
            and to_state == FillStatus.FINAL_VERIFY
        ):
            changes.update(filled_by=user.id, filled_at=now, filled_on=today or dates.today())
        elif from_state == FillStatus.FINAL_VERIFY and to_state == FillStatus.READY:
            changes.update(final_verified_by=user.id, final_verified_at=now)
        elif to_state == FillStatus.PICKED_UP:
            changes.update(handed_out_by=user.id, picked_up_at=now)
        return changes

    def __str__(self) -> str:
        return f"Rx {self.prescription.rx_number} {self.fill_label.lower()}"


def _words(state: str) -> str:
    return workflow.PLAIN_STATUS.get(state, state).lower()


def _fill_status(state: FillStatus | str) -> FillStatus:
    """The FillStatus named by ``state``; an unknown name is refused in words."""
    try:
        return FillStatus(state)
    except ValueError:
        raise workflow.IllegalTransition(
            "", str(state), f"{state!r} is not a fill state."
        ) from None


def _plain_fields(fields: dict | None) -> dict:
    return {
        key: (value.id if isinstance(value, BaseModel) else value)
        for key, value in (fields or {}).items()
    }


# Partial fills are rare: the start page finds the ones whose remainder may have lapsed from
# an index of them alone, not by reading every fill (migration 0157). The condition is
# written the same way in the query (PARTIAL) so both databases see it implies this one.
PARTIAL = Fill.partial_reason != SQL("''")
Fill.add_index(Fill.index(Fill.status, where=PARTIAL, name="fill_partial_status"))


class FillCount(BaseModel):
    """How many fills are in each (status, queue_rank): the queue tabs' and the start page's
    numbers without counting the fill table. Kept by triggers on fill in the same statement
    as every insert, move or delete (migration 0159), so never written from Python."""

    status = CharField(max_length=16)
    queue_rank = SmallIntegerField()
    fills = IntegerField(default=0)

    class Meta:
        table_name = "fill_count"
        indexes = ((("status", "queue_rank"), True),)


class FillEvent(BaseModel):
    """One move of a fill: from, to, who, when and why. Never edited or deleted."""

    fill = ForeignKeyField(Fill, backref="event_rows", on_delete="CASCADE")
    from_status = CharField(max_length=16, default="")  # "" when the fill was created
    to_status = CharField(max_length=16)
    # None: the portal itself (a lapsed remainder cancelled by the hourly job; migration 0117).
    user = ForeignKeyField(User, null=True, backref="+", on_delete="RESTRICT")
    at = DateTimeField(default=utcnow)
    reason = TextField(default="")
    note = TextField(default="")  # e.g. "co-signed by ... at ...'s terminal"

    class Meta:
        table_name = "fill_event"
        indexes = ((("fill", "at"), False),)

    @property
    def to_label(self) -> str:
        return workflow.PLAIN_STATUS.get(self.to_status, self.to_status)

    @property
    def action_label(self) -> str:
        return workflow.action_label(self.from_status, self.to_status)


class Verification(BaseModel):
    """A pharmacist's decision at data or final verification, with what the checks said."""

    fill = ForeignKeyField(Fill, backref="verification_rows", on_delete="CASCADE")
    stage = CharField(max_length=8)  # "data" | "final"
    pharmacist = ForeignKeyField(User, backref="+", on_delete="RESTRICT")
    outcome = CharField(max_length=10)  # "approved" | "returned"
    reason = TextField(default="")  # why returned or sent back
    checks = TextField(default="")  # JSON list of {check, status, message} seen
    block_override_reason = TextField(default="")
    own_entry_reason = TextField(default="")
    note = TextField(default="")
    at = DateTimeField(default=utcnow)

    class Meta:
        table_name = "verification"
        # Staff activity over a period (migration 0151).
        indexes = ((("at", "stage", "outcome", "pharmacist"), False),)

    def check_list(self) -> list[dict]:
        return json.loads(self.checks) if self.checks else []


class Clarification(BaseModel):
    """A question to the prescriber about a prescription, and the answer when it comes."""

    prescription = ForeignKeyField(Prescription, backref="clarifications", on_delete="CASCADE")
    fill = ForeignKeyField(Fill, null=True, backref="clarifications", on_delete="SET NULL")
    question = TextField()
    # None: written by the portal itself (a lapsed remainder's notice, voided unattended).
    asked_by = ForeignKeyField(User, null=True, backref="+", on_delete="RESTRICT")
    asked_at = DateTimeField(default=utcnow)
    answer = TextField(default="")
    answered_by_name = CharField(max_length=120, default="")  # who at the office answered
    answer_recorded_by = ForeignKeyField(User, null=True, backref="+", on_delete="RESTRICT")
    answered_at = DateTimeField(null=True)

    class Meta:
        table_name = "clarification"

    @property
    def is_open(self) -> bool:
        return self.answered_at is None
