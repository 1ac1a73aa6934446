"""Claims: one claim per fill per coverage, its events, reject codes and compound lines.

The life cycle (lifecycle.py) is enforced here: every change of state goes through
Claim.move(), which checks the move for the acting user's role, writes a ClaimEvent and
an audit event in the same transaction. Amounts are Decimal, stored as cents (fields.py).
Prior authorizations are in prior_auth/models.py, remittances (835 imports) in remittance/models.py;
what the claim pages ask of many claims at once is in queries.py.
"""

from __future__ import annotations

from contextlib import contextmanager
from contextvars import ContextVar
from datetime import date
from decimal import Decimal

from peewee import (
    JOIN,
    BooleanField,
    Case,
    CharField,
    DateField,
    DateTimeField,
    ForeignKeyField,
    IntegerField,
    TextField,
    fn,
)

from portal.audit import log as audit
from portal.audit import transitions
from portal.auth.models import User
from portal.catalog.models import QuantityField
from portal.claims.claims import lifecycle, rules
from portal.claims.claims.daw import DAW_CODES
from portal.claims.claims.fields import MoneyField
from portal.claims.claims.lifecycle import ClaimError, ClaimState, IllegalClaimTransition
from portal.claims.claims.references import claim_reference
from portal.foundation import locks
from portal.foundation.dates import utcnow
from portal.foundation.db import BaseModel, write_transaction
from portal.foundation.i18n import N_
from portal.foundation.money import ZERO, billed_amount, format_money
from portal.patients.models import Coverage, Patient, Payer
from portal.prescriptions.fills.models import Fill

# NCPDP D.0 308-C8 Other Coverage Code, the values a pharmacy uses.
OTHER_COVERAGE_CODES = {
    "": N_("Not sent"),
    "0": N_("Not specified"),
    "1": N_("No other coverage"),
    "2": N_("Other coverage exists, payment collected"),
    "3": N_("Other coverage billed, claim not covered"),
    "4": N_("Other coverage exists, payment not collected"),
    "8": N_("Claim is billing for patient financial responsibility only"),
}

# NCPDP D.0 420-DK Submission Clarification Code, the value Mortar sets: a compound resubmitted
# after reject 70 asks the plan to pay for its covered ingredients only.
COVERED_INGREDIENTS_ONLY = "8"
SUBMISSION_CLARIFICATION_CODES = {
    "": N_("Not sent"),
    COVERED_INGREDIENTS_ONLY: N_(
        "Process compound for approved ingredients (the plan pays for the covered ingredients only)"
    ),
}

# States where the claim waits on the pharmacy, not the payer (work queue "needs action").
ACTION_STATES = (ClaimState.DRAFT, ClaimState.REJECTED, ClaimState.PARTIALLY_PAID)
# States where the claim waits on the payer; they need action once the follow-up date comes.
WAITING_STATES = (ClaimState.SUBMITTED, ClaimState.APPEALED)


# While a bulk write runs (Claim.deferring_after_save), the claims saved by (date of service,
# payer), per thread of work: the listeners hear each once at the end, in the same transaction.
_DEFERRED: ContextVar[dict | None] = ContextVar("claims_saved_deferred", default=None)

# The columns the dashboard sums, carried in its covering indexes.
# The amounts a claim's balance is worked out from (Claim.balance_sql), carried in the
# work queue's sort index.
QUEUE_SORT_COLUMNS = ("billed", "other_payer_paid", "adjudicated", "paid", "written_off")
DASHBOARD_COLUMNS = (
    "status",
    "times_rejected",
    "primary_claim",
    "billed",
    "other_payer_paid",
    "paid",
    "written_off",
    "days_to_payment",
)


class Claim(BaseModel):
    """A fill billed to one coverage: what was billed, what the payer answered, what's next."""

    # references.claim_reference; unique among claims not reversed (claim_open_reference
    # below): after a B2 reversal the fill may be billed to the same payer again.
    claim_reference = CharField(max_length=38, index=True)
    patient = ForeignKeyField(Patient, backref="claims", on_delete="RESTRICT")
    coverage = ForeignKeyField(Coverage, backref="claims", on_delete="RESTRICT")
    # Denormalised from the coverage: the dashboard groups by payer without a join.
    payer = ForeignKeyField(Payer, backref="claims", on_delete="RESTRICT")
    primary_claim = ForeignKeyField("self", null=True, backref="secondary_claims")
    # The fill billed; None only for claims recorded without one (history brought over).
    fill = ForeignKeyField(Fill, null=True, backref="claims", on_delete="RESTRICT")
    # What was dispensed, as billed (NCPDP 402-D2, 403-D3, 407-D7, 442-E7, 405-D5).
    rx_number = CharField(max_length=12)
    fill_number = IntegerField(default=0)
    product_id = CharField(max_length=13, default="")  # NDC; "0" for a compound
    product_description = CharField(max_length=200, default="")
    quantity = QuantityField(default=0)
    quantity_unit = CharField(max_length=8, default="each")
    days_supply = IntegerField(default=0)
    is_compound = BooleanField(default=False)  # Compound Code 2 (406-D6)
    submission_clarification_code = CharField(max_length=2, default="")  # 420-DK
    daw = CharField(max_length=1, default="0")  # 408-D8
    date_of_service = DateField()
    # billed = ingredient cost + dispensing fee + compounding fee (kept so by save()).
    ingredient_cost = MoneyField(default=0)  # 409-D9
    dispensing_fee = MoneyField(default=0)  # 412-DC
    compounding_fee = MoneyField(default=0)
    billed = MoneyField(default=0)
    other_coverage_code = CharField(max_length=1, default="")  # 308-C8
    other_payer_paid = MoneyField(default=0)  # 431-DV: what the primary paid
    # The payer's answer (rules.py says what each means for the balance).
    allowed = MoneyField(null=True)
    adjudicated = MoneyField(null=True)  # the plan amount the payer said it pays
    paid = MoneyField(default=0)  # what the plan has paid
    patient_pay = MoneyField(default=0)  # copay, coinsurance, deductible: the patient's
    contractual = MoneyField(default=0)  # CAS group CO: never collectable
    adjustments = MoneyField(default=0)  # other adjustments (OA, PI): the plan kept back
    written_off = MoneyField(default=0)
    payer_claim_number = CharField(max_length=50, default="")
    status = CharField(max_length=16, default=ClaimState.DRAFT.value)  # ClaimState
    times_rejected = IntegerField(default=0)
    # Follow-up.
    assigned_to = ForeignKeyField(User, null=True, backref="assigned_claims")
    follow_up_on = DateField(null=True)
    submitted_at = DateTimeField(null=True)
    responded_at = DateTimeField(null=True)
    paid_at = DateTimeField(null=True)
    days_to_payment = IntegerField(null=True)  # date of service to payment, whole days
    created_by = ForeignKeyField(User, backref="+")
    created_at = DateTimeField(default=utcnow)
    updated_at = DateTimeField(default=utcnow)

    class Meta:
        indexes = (
            (("status", "date_of_service"), False),
            # Covering index for summing one day's claims of one payer into ClaimDayTotal
            # (reports.claims.models.claim_sums) from the index alone.
            ((("date_of_service", "payer") + DASHBOARD_COLUMNS), False),
            (("payer", "status"), False),
            # The claims list's order, newest date first, ties by id (migration 0165).
            (("date_of_service", "id"), False),
            # Overdue follow-ups, and the work queue's sort (follow-up date, then balance)
            # from the index alone (migration 0160).
            (("follow_up_on", "status", "payer", *QUEUE_SORT_COLUMNS), False),
            # The work queue's tabs and counts: status first (migration 0150).
            (("status", "follow_up_on", "payer"), False),
            (("assigned_to", "status"), False),
            (("rx_number", "fill_number"), False),
        )

    # Called with each saved claim in the same transaction: the reports area keeps the
    # dashboard's day totals in step this way (a claim's date of service and payer never
    # change once opened).
    after_save: list = []

    @classmethod
    def _saved(cls, claim: Claim) -> None:
        deferred = _DEFERRED.get()
        if deferred is not None:
            deferred[(claim.date_of_service, claim.payer_id)] = claim
            return
        for listener in cls.after_save:
            listener(claim)

    @classmethod
    @contextmanager
    def deferring_after_save(cls):
        """Tell the after_save listeners once per (date of service, payer) when the block
        ends, not once per claim: an 835 posting thousands of claims recomputes each day's
        dashboard totals once. Call inside the write transaction."""
        if _DEFERRED.get() is not None:
            yield
            return
        token = _DEFERRED.set({})
        try:
            yield
            saved = list(_DEFERRED.get().values())
        finally:
            _DEFERRED.reset(token)
        for claim in saved:
            cls._saved(claim)

    def save(self, *args, **kwargs):
        """Save, keeping billed the sum of its parts; then every after_save listener hears."""
        self.billed = billed_amount(self.ingredient_cost, self.dispensing_fee, self.compounding_fee)
        self.updated_at = utcnow()
        with write_transaction():
            # The audit chain's lock before the row's, as every claim write audits (see
            # transitions._chain_first): no deadlock with an 835 import holding the chain.
            locks.hold_for_transaction(locks.AUDIT_CHAIN)
            saved = super().save(*args, **kwargs)
            Claim._saved(self)
        return saved

    # ---- what staff read ----

    @property
    def claim_state(self) -> ClaimState:
        return ClaimState(self.status)

    @property
    def status_label(self) -> str:
        return self.claim_state.label

    @property
    def is_secondary(self) -> bool:
        return self.primary_claim_id is not None

    @property
    def is_outstanding(self) -> bool:
        return lifecycle.is_outstanding(self.status)

    @property
    def balance(self) -> Decimal:
        """What the payer still owes: its adjudicated plan amount (before it answers, billed
        less another payer's payment) less what it paid and what was written off."""
        return rules.outstanding(
            self.billed, self.other_payer_paid, self.adjudicated, self.paid, self.written_off
        )

    @classmethod
    def balance_sql(cls):
        """Claim.balance as SQL, so the queue, aging and dashboard sum the same thing."""
        expected = fn.COALESCE(cls.adjudicated, cls.billed - cls.other_payer_paid)
        owed = expected - cls.paid - cls.written_off
        return Case(None, [(owed > 0, owed)], 0)

    @property
    def quantity_text(self) -> str:
        """The quantity without trailing zeros: "30", "60.5"."""
        return f"{self.quantity.normalize():f}"

    @property
    def daw_label(self) -> str:
        return f"{self.daw} - {DAW_CODES.get(self.daw, 'unknown')}"

    @property
    def submission_clarification_label(self) -> str:
        code = self.submission_clarification_code
        return SUBMISSION_CLARIFICATION_CODES.get(code, code)

    @property
    def other_coverage_label(self) -> str:
        return OTHER_COVERAGE_CODES.get(self.other_coverage_code, self.other_coverage_code)

    def is_overdue(self, today: date) -> bool:
        return self.follow_up_on is not None and self.follow_up_on < today and self.needs_work

    @property
    def needs_work(self) -> bool:
        """Still in the pharmacy's hands or the payer's: not paid, reversed or closed."""
        return self.claim_state in ACTION_STATES + WAITING_STATES

    def history(self):
        return (
            ClaimEvent.select(ClaimEvent, User)
            .join(User, on=(ClaimEvent.user == User.id), join_type=JOIN.LEFT_OUTER)
            .where(ClaimEvent.claim == self)
            .order_by(ClaimEvent.at.desc(), ClaimEvent.id.desc())
        )

    def reject_codes(self) -> list[str]:
        """The codes of the latest rejection, in the order the payer sent them."""
        latest = (
            ClaimReject.select()
            .where(ClaimReject.claim == self)
            .order_by(ClaimReject.event.desc(), ClaimReject.position)
        )
        rows = list(latest)
        if not rows:
            return []
        last_event = rows[0].event_id
        return [row.code for row in rows if row.event_id == last_event]

    def compound_lines(self):
        return self.compound_line_rows.order_by(ClaimCompoundLine.position)

    # ---- opening a claim ----

    @classmethod
    def open(
        cls,
        coverage: Coverage,
        *,
        rx_number: str,
        fill_number: int,
        date_of_service: date,
        user: User,
        ingredient_cost: Decimal,
        dispensing_fee: Decimal,
        compounding_fee: Decimal = ZERO,
        product_id: str = "",
        product_description: str = "",
        quantity: Decimal = Decimal(0),
        quantity_unit: str = "each",
        days_supply: int = 0,
        daw: str = "0",
        compound_lines: list[dict] | None = None,
        primary_claim: Claim | None = None,
        other_coverage_code: str = "",
        note: str = "",
        fill: Fill | None = None,
    ) -> Claim:
        """A draft claim for one fill on one coverage; raise ClaimError if one exists.

        compound_lines: dicts of ingredient_name, ndc, quantity, unit, cost (NCPDP compound
        segment); when given, the ingredient cost billed is their sum.
        """
        payer = coverage.payer
        reference = claim_reference(rx_number, fill_number, payer.code)
        with write_transaction():
            if cls.open_with_reference(reference).exists():
                raise ClaimError(
                    f"Claim {reference} already exists: Rx {rx_number} fill {fill_number} is "
                    f"already billed to {payer.name}. Open that claim instead."
                )
            if compound_lines:
                ingredient_cost = sum((Decimal(line["cost"]) for line in compound_lines), ZERO)
            claim = cls(
                claim_reference=reference,
                patient=coverage.patient_id,
                coverage=coverage,
                payer=payer,
                primary_claim=primary_claim,
                fill=fill,
                rx_number=str(rx_number),
                fill_number=fill_number,
                product_id="0" if compound_lines else product_id,
                product_description=product_description,
                quantity=quantity,
                quantity_unit=quantity_unit,
                days_supply=days_supply,
                is_compound=bool(compound_lines),
                daw=daw,
                date_of_service=date_of_service,
                ingredient_cost=ingredient_cost,
                dispensing_fee=dispensing_fee,
                compounding_fee=compounding_fee,
                other_coverage_code=other_coverage_code,
                other_payer_paid=primary_claim.paid if primary_claim else ZERO,
                created_by=user,
            )
            claim.save(force_insert=True)
            claim.store_compound_lines(compound_lines or [])
            ClaimEvent.create(
                claim=claim,
                kind="open",
                to_state=claim.status,
                from_state="",
                user=user,
                note=note or f"claim opened: {format_money(claim.billed)} billed to {payer.name}",
            )
            audit.record(
                "create",
                "claim",
                claim.id,
                after=audit.snapshot(claim),
                patient_id=claim.patient_id,
                user=user,
            )
        return claim

    @classmethod
    def open_with_reference(cls, reference: str):
        """The claim with this reference that is not reversed (there is at most one)."""
        return cls.select().where(
            (cls.claim_reference == reference) & (cls.status != ClaimState.REVERSED.value)
        )

    @classmethod
    def open_for_fill(cls, fill: Fill, coverage: Coverage, *, user: User, **overrides) -> Claim:
        """A draft claim for a fill on a coverage: the billed split from billing (product
        acquisition cost or the compound's ingredients, fees from the settings); overrides
        replace any of Claim.open's values. Raises ClaimError if the fill is already billed
        to that payer."""
        from portal.claims.claims.billing import claim_values_for_fill

        values = claim_values_for_fill(fill)
        values.update(overrides)
        return cls.open(coverage, user=user, fill=fill, **values)

    @classmethod
    def for_fill(cls, fill: Fill):
        return cls.select().where(cls.fill == fill).order_by(cls.id)

    def store_compound_lines(self, lines: list[dict]) -> None:
        """Replace the compound segment with ``lines``; the ingredient cost billed becomes their
        sum. The caller saves the claim, in its transaction."""
        ClaimCompoundLine.delete().where(ClaimCompoundLine.claim == self).execute()
        for position, line in enumerate(lines, start=1):
            ClaimCompoundLine.create(claim=self, position=position, **line)
        if lines:
            self.ingredient_cost = sum((Decimal(line["cost"]) for line in lines), ZERO)

    # ---- changing state ----

    def move(
        self,
        to_state: ClaimState | str,
        user: User,
        note: str = "",
        *,
        kind: str = "transition",
        amounts: dict | None = None,
        cosign_note: str = "",
    ) -> ClaimEvent:
        """Move the claim to another state if the life cycle and the user's role allow it.

        Raises IllegalClaimTransition in words otherwise. The one transition helper
        (portal.audit.transitions) checks the move from the stored state, guards the update
        on it, and writes the ClaimEvent and the audit event in one transaction with the
        change. The columns the caller changed on this copy (amounts, follow-up) are saved
        with the move; amounts are recorded on the event. Under a co-sign (a manager's PIN
        at a technician's terminal) `user` is the signer and `cosign_note` says so on the
        event.
        """
        target = lifecycle.claim_state(to_state)
        checked: list[lifecycle.ClaimMove] = []

        def check_stored(stored: Claim) -> None:
            checked.append(lifecycle.check_move(stored.status, target, user.has_role("manager")))

        def changes(stored: Claim) -> dict:
            now = utcnow()
            # Only the columns changed on this copy: fewer to write (an 835 posts thousands)
            # and the audit event's "after" names exactly what changed.
            values = {
                field.name: self.__data__[field.name]
                for field in self.dirty_fields
                if field.name != "id" and field.name in self.__data__
            }
            values["billed"] = billed_amount(
                self.ingredient_cost, self.dispensing_fee, self.compounding_fee
            )
            values["updated_at"] = now
            if target is ClaimState.SUBMITTED:
                values["submitted_at"] = now
            values["status"] = target.value
            return values

        def event(from_state: str, moved_to: str) -> ClaimEvent:
            Claim._saved(self)
            return ClaimEvent.create(
                claim=self,
                kind=kind,
                from_state=from_state,
                to_state=moved_to,
                user=user,
                at=self.updated_at,
                note=_with_cosign(note.strip() or checked[0].note, cosign_note),
                **(amounts or {}),
            )

        try:
            with write_transaction():
                return transitions.move(
                    self,
                    target,
                    moves=lifecycle.MOVES,
                    user=user,
                    entity="claim",
                    event=event,
                    changes=changes,
                    check_stored=check_stored,
                    note=lambda stored: note.strip() or checked[0].note,
                    patient_id=self.patient_id,
                )
        except transitions.IllegalMove as raced:
            raise IllegalClaimTransition(str(raced)) from raced

    @classmethod
    def move_many(
        cls, steps: list[tuple[Claim, ClaimState, str, dict]], user: User, *, kind: str
    ) -> tuple[dict[int, ClaimEvent], list[tuple[Claim, str]]]:
        """Claim.move for many claims at once (an 835 posts thousands): each step is
        (claim, target state, note, amounts). The same checks from the stored state, guarded
        updates, events and audit as move(), in bulk (transitions.move_many). Returns
        ({claim id: its event}, [(claim, why it was not moved, in words)]): a claim another
        terminal changed meanwhile is refused, not skipped."""
        is_manager = user.has_role("manager")
        now = utcnow()
        by_row: dict[int, tuple[ClaimState, str, dict]] = {}
        plan: list[transitions.Step] = []
        for claim, target, note, amounts in steps:
            values = {
                field.name: claim.__data__[field.name]
                for field in claim.dirty_fields
                if field.name != "id" and field.name in claim.__data__
            }
            values["billed"] = billed_amount(
                claim.ingredient_cost, claim.dispensing_fee, claim.compounding_fee
            )
            values["updated_at"] = now
            if target is ClaimState.SUBMITTED:
                values["submitted_at"] = now
            by_row[id(claim)] = (target, note.strip(), amounts or {})
            plan.append(
                transitions.Step(claim, target.value, values, note.strip(), claim.patient_id)
            )

        def check_stored(step: transitions.Step, stored: str) -> str:
            target, note, _ = by_row[id(step.row)]
            try:
                move = lifecycle.check_move(stored, target, is_manager)
            except IllegalClaimTransition as refused:
                return str(refused)
            step.note = note or move.note
            return ""

        def events(moved: list[transitions.Step]) -> list[ClaimEvent]:
            rows = []
            for step in moved:
                Claim._saved(step.row)
                rows.append(
                    {
                        "claim": step.row.id,
                        "kind": kind,
                        "from_state": step.from_state,
                        "to_state": step.to_state,
                        "user": user.id,
                        "at": now,
                        "note": step.note,
                        **by_row[id(step.row)][2],
                    }
                )
            return ClaimEvent.insert_rows(rows)

        try:
            moved, refused = transitions.move_many(
                cls,
                plan,
                moves=lifecycle.MOVES,
                user=user,
                entity="claim",
                events=events,
                check_stored=check_stored,
            )
        except transitions.IllegalMove as raced:
            raise IllegalClaimTransition(str(raced)) from raced
        made = {step.row.id: event for step, event in moved}
        return made, [(r.step.row, r.why) for r in refused]

    def note_event(
        self,
        kind: str,
        user: User,
        note: str,
        before: dict | None = None,
        amounts: dict | None = None,
        cosign_note: str = "",
    ) -> ClaimEvent:
        """Record a change that keeps the state (note, assignment, follow-up, amounts)."""
        with write_transaction():
            self.save()
            event = ClaimEvent.create(
                claim=self,
                kind=kind,
                from_state=self.status,
                to_state=self.status,
                user=user,
                note=_with_cosign(note, cosign_note),
                **(amounts or {}),
            )
            audit.record(
                "update" if before is not None else "note",
                "claim",
                self.id,
                before=before,
                after=audit.snapshot(self) if before is not None else None,
                patient_id=self.patient_id,
                note=note,
                user=user,
            )
        return event

    def __str__(self) -> str:
        return self.claim_reference


def _with_cosign(note: str, cosign_note: str) -> str:
    """The event's note, saying who co-signed it at whose terminal when someone did
    (portal.auth.cosign): the claim's history then shows it without the audit trail."""
    if not cosign_note:
        return note
    return f"{note} ({cosign_note})" if note else cosign_note


# NCPDP D.0: a reversed (B2) claim must not block a new B1 for the same fill and payer.
Claim.add_index(
    Claim.index(
        Claim.claim_reference,
        unique=True,
        where=(Claim.status != ClaimState.REVERSED.value),
        name="claim_open_reference",
    )
)

# A fill's claims by id, from the claims that have a fill only (migration 0155).
Claim.add_index(
    Claim.index(Claim.fill, Claim.id, where=Claim.fill.is_null(False), name="claim_fill_present")
)

# A claim's secondary claims, from the few claims that have a primary (migration 0156).
Claim.add_index(
    Claim.index(
        Claim.primary_claim,
        where=Claim.primary_claim.is_null(False),
        name="claim_primary_present",
    )
)


# How a claim with no follow-up date is kept in ClaimCount (after every date: never due).
NO_FOLLOW_UP = date(9999, 12, 31)


class ClaimCount(BaseModel):
    """How many claims are in each (status, follow-up date, assignee, payer): the claims
    queue's view counts, the start page's claims card and the dashboard's overdue count
    without counting the claim table. Kept by triggers on claim in the same statement as
    every write (migration 0159), never from Python; no follow-up date is kept as
    NO_FOLLOW_UP and nobody assigned as assignee 0."""

    status = CharField(max_length=16)
    follow_up_on = DateField()
    assignee = IntegerField()  # the user's id, 0 for nobody
    payer = IntegerField()  # the payer's id
    claims = IntegerField(default=0)

    class Meta:
        table_name = "claim_count"
        indexes = ((("status", "follow_up_on", "assignee", "payer"), True),)


_INSERT_BATCH = 400  # rows per INSERT (11 columns: under SQLite's bound-parameter limit)


class ClaimEvent(BaseModel):
    """One thing that happened to a claim: a change of state, a response, a note."""

    claim = ForeignKeyField(Claim, backref="events", on_delete="CASCADE")
    # open | transition | response | remittance | note | assign | follow_up | pa
    kind = CharField(max_length=12, default="transition")
    from_state = CharField(max_length=16, default="")
    to_state = CharField(max_length=16, default="")
    user = ForeignKeyField(User, null=True, backref="+")
    at = DateTimeField(default=utcnow, index=True)
    note = TextField(default="")
    # Amounts posted by this event (a response or a remittance), when there were any.
    allowed = MoneyField(null=True)
    paid = MoneyField(null=True)
    patient_pay = MoneyField(null=True)
    adjustments = MoneyField(null=True)

    @classmethod
    def insert_rows(cls, rows: list[dict]) -> list[ClaimEvent]:
        """Insert one event for each of many claims (dicts of columns, one claim each) in a
        few statements; returns them, with their ids, in the order given. RETURNING's row
        order is not promised by SQLite or PostgreSQL, so ids are paired by claim."""
        if len({row["claim"] for row in rows}) != len(rows):
            raise ValueError("insert_rows takes one event per claim.")
        amounts = {"allowed": None, "paid": None, "patient_pay": None, "adjustments": None}
        rows = [{**amounts, **row} for row in rows]
        ids: dict[int, int] = {}
        for start in range(0, len(rows), _INSERT_BATCH):
            query = cls.insert_many(rows[start : start + _INSERT_BATCH])
            ids.update(
                (claim, new_id)
                for new_id, claim in query.returning(cls.id, cls.claim).tuples().execute()
            )
        return [cls(id=ids[row["claim"]], **row) for row in rows]

    @property
    def is_transition(self) -> bool:
        return self.from_state != self.to_state

    @property
    def from_label(self) -> str:
        return ClaimState(self.from_state).label if self.from_state else ""

    @property
    def to_label(self) -> str:
        return ClaimState(self.to_state).label if self.to_state else ""


class ClaimReject(BaseModel):
    """One NCPDP reject code of one rejection (a response carries up to 20).

    The claim's date of service and payer are copied here so the dashboard counts codes
    from this table's own index, without reading the claims."""

    claim = ForeignKeyField(Claim, backref="rejects", on_delete="CASCADE")
    event = ForeignKeyField(ClaimEvent, backref="rejects", on_delete="CASCADE")
    position = IntegerField(default=1)
    code = CharField(max_length=3)
    rejected_at = DateTimeField(default=utcnow)
    date_of_service = DateField(null=True)
    payer = ForeignKeyField(Payer, null=True, backref="+")

    class Meta:
        indexes = ((("date_of_service", "payer", "code"), False),)

    # Called with (date of service, payer id) once a rejection's codes are written, in the
    # same transaction: the reports area keeps its monthly code counts in step this way.
    after_record: list = []

    @classmethod
    def recorded(cls, date_of_service, payer_id) -> None:
        for listener in cls.after_record:
            listener(date_of_service, payer_id)


class ClaimCompoundLine(BaseModel):
    """One ingredient of a compound claim, as NCPDP's compound segment carries it
    (489-TE product id = NDC, 448-ED quantity, 449-EE cost; up to 25 lines)."""

    claim = ForeignKeyField(Claim, backref="compound_line_rows", on_delete="CASCADE")
    position = IntegerField()
    ingredient_name = CharField(max_length=120)
    ndc = CharField(max_length=13, default="")
    quantity = QuantityField()
    unit = CharField(max_length=8, default="g")
    cost = MoneyField()

    @property
    def quantity_text(self) -> str:
        return f"{self.quantity.normalize():f}"
