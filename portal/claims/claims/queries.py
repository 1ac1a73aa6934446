"""Claim lists: the technicians' work queue and the filtered list behind the CSV export."""

from __future__ import annotations

import heapq
from dataclasses import dataclass, fields, replace
from datetime import date

from peewee import JOIN, Case, fn

from portal.auth.models import User
from portal.claims.claims.aging import AGING_BUCKETS, service_date_ranges
from portal.claims.claims.lifecycle import OUTSTANDING_STATES, ClaimState
from portal.claims.claims.models import ACTION_STATES, WAITING_STATES, Claim, ClaimCount
from portal.foundation.digits import as_id
from portal.foundation.exports import csv_text
from portal.foundation.i18n import N_
from portal.patients.models import Patient, Payer

QUEUE_VIEWS = (
    ("action", N_("Needs action")),
    ("waiting", N_("Waiting on the payer")),
    ("mine", N_("Assigned to me")),
    ("overdue", N_("Overdue")),
)
STATE_FILTERS = (
    ("", N_("Any state")),
    ("outstanding", N_("Outstanding (money still expected)")),
    *((state.value, state.label) for state in ClaimState),
)


def _needs_action(today: date):
    return Claim.status.in_([s.value for s in ACTION_STATES]) | (
        Claim.status.in_([s.value for s in WAITING_STATES]) & (Claim.follow_up_on <= today)
    )


def _open():
    return Claim.status.in_([s.value for s in ACTION_STATES + WAITING_STATES])


def _with_people(query):
    """The claims with their patient, payer and assignee. Outer joins (every claim has a
    patient and a payer, so the rows are the same) keep the claims the outer loop: with inner
    joins SQLite started from the payers and sorted every claim for a page of 50."""
    assigned = User.alias("assigned")
    # Only what a list shows of each: a whole patient, payer and user per row was most of
    # the time spent turning rows into objects.
    return (
        query.select_extend(
            Patient.id,
            Patient.last_name,
            Patient.first_name,
            Patient.middle_name,
            Payer.id,
            Payer.name,
            assigned.id,
            assigned.full_name,
        )
        .join_from(Claim, Patient, JOIN.LEFT_OUTER)
        .join_from(Claim, Payer, JOIN.LEFT_OUTER)
        .join_from(
            Claim,
            assigned,
            JOIN.LEFT_OUTER,
            on=(Claim.assigned_to == assigned.id),
            attr="assigned_to",
        )
    )


def _view_parts(view: str, today: date, user: User) -> list:
    """The view's condition as parts that share no claim, each one an index can answer
    alone. Needs action is two: an OR of them had SQLite merge row ids and read the table."""
    if view == "waiting":
        return [
            Claim.status.in_([s.value for s in WAITING_STATES])
            & (Claim.follow_up_on.is_null() | (Claim.follow_up_on > today))
        ]
    if view == "mine":
        return [_open() & (Claim.assigned_to == user)]
    if view == "overdue":
        return [_open() & (Claim.follow_up_on < today)]
    return [
        Claim.status.in_([s.value for s in ACTION_STATES]),
        Claim.status.in_([s.value for s in WAITING_STATES]) & (Claim.follow_up_on <= today),
    ]


def _in_view(query, view: str, today: date, user: User, payer_id: int | None = None):
    parts = _view_parts(view, today, user)
    query = query.where(parts[0] if len(parts) == 1 else _needs_action(today))
    if payer_id:
        query = query.where(Claim.payer == payer_id)
    return query


QUEUE_PAGE = 50


def _balance_cents():
    """The sort's balance in whole cents: the same on both databases, and exact to compare
    (SQLite does its arithmetic on floats, so 20.10 - 5.05 is not equal to 15.05)."""
    return fn.ROUND(Claim.balance_sql() * 100).cast("INTEGER")


@dataclass(frozen=True)
class QueueCursor:
    """Where a queue page ends: its last claim's follow-up date, balance in cents and id."""

    follow_up_on: date | None
    cents: int
    claim_id: int

    def encode(self) -> str:
        day = self.follow_up_on.isoformat() if self.follow_up_on else "none"
        return f"{day}.{self.cents}.{self.claim_id}"

    @classmethod
    def decode(cls, text: str | None) -> QueueCursor | None:
        """A cursor from the query string; None (the first page) for anything unreadable."""
        try:
            day, cents, claim_id = (text or "").split(".")
            follow_up_on = None if day == "none" else date.fromisoformat(day)
            return cls(follow_up_on, int(cents), int(claim_id))
        except ValueError:
            return None

    def after(self):
        """The claims that sort after this one: later follow-up (none last), then smaller
        balance, then larger id."""
        cents = _balance_cents()
        later_same_day = (cents < self.cents) | ((cents == self.cents) & (Claim.id > self.claim_id))
        if self.follow_up_on is None:
            return Claim.follow_up_on.is_null() & later_same_day
        return (
            (Claim.follow_up_on > self.follow_up_on)
            | Claim.follow_up_on.is_null()
            | ((Claim.follow_up_on == self.follow_up_on) & later_same_day)
        )


def work_queue(
    view: str,
    today: date,
    user: User,
    payer_id: int | None = None,
    limit: int = QUEUE_PAGE,
    after: QueueCursor | None = None,
) -> list[Claim]:
    """Claims to work, by follow-up date (earliest first, none last) then largest balance,
    the limit after the cursor.

    A view of two parts (needs action) reads each part's first `limit` sort keys and merges
    them: the parts share no claim, so the merged first `limit` are the view's own. Only
    those claims are then read with their people, in one statement (reading each part's
    rows whole and dropping half of them after the merge was a third of the page's time).
    """
    parts = [_part_keys(part, payer_id, limit, after) for part in _view_parts(view, today, user)]
    keys = parts[0] if len(parts) == 1 else list(heapq.merge(*parts, key=_queue_order))[:limit]
    if not keys:
        return []
    cents = _balance_cents()
    order = (Claim.follow_up_on.asc(nulls="LAST"), cents.desc(), Claim.id)
    ids = [claim_id for _, _, claim_id in keys]
    return list(
        _with_people(
            Claim.select(*QUEUE_COLUMNS, cents.alias("queue_cents")).where(Claim.id.in_(ids))
        ).order_by(*order)
    )


def _queue_order(key: tuple) -> tuple:
    """The queue's ORDER BY in Python on (follow-up date, balance in cents, id): follow-up
    date (none last), balance down, id up."""
    day, cents, claim_id = key
    return (day is None, day or date.min, -cents, claim_id)


def _part_keys(part, payer_id: int | None, limit: int, after: QueueCursor | None) -> list:
    """One part of a view, the limit after the cursor, in the queue's order: the sort keys
    (follow-up date, balance in cents, id) of its claims.

    Only claims up to the limit-th follow-up date can make the page, so that date is found
    first from the index alone and only those rows are read: at 200k claims a queue holds
    tens of thousands, and reading and sorting them all for 200 took a second.
    """
    narrowed = [part]
    if payer_id:
        narrowed.append(Claim.payer == payer_id)
    if after is not None:
        narrowed.append(after.after())
    cutoff = None
    if after is None or after.follow_up_on is not None:
        cutoff = (
            Claim.select(Claim.follow_up_on)
            .where(*narrowed, Claim.follow_up_on.is_null(False))
            .order_by(Claim.follow_up_on)
            .limit(1)
            .offset(limit - 1)
            .scalar()
        )
    # else fewer than limit have a date: every row may show. The cut-off is written first:
    # SQLite bounds its index range by the first upper bound it meets on follow_up_on, and
    # the overdue view's own "before today" bound covered every overdue claim (5.7 ms vs 2.4).
    query = Claim.select().where(*([Claim.follow_up_on <= cutoff] if cutoff else []), *narrowed)
    # Only (follow-up, balance, id) of the candidates are sorted (a busy follow-up date ties
    # a thousand at 200k claims); the page's rows are read afterwards, by id.
    cents = _balance_cents()
    order = (Claim.follow_up_on.asc(nulls="LAST"), cents.desc(), Claim.id)
    return list(
        query.select(Claim.follow_up_on, cents, Claim.id).order_by(*order).limit(limit).tuples()
    )


# What a work-queue row shows of a claim (claims/_queue_page.html: follow-up, reference,
# state, date of service, the balance's parts, who and whom): the whole claim, 42 columns with
# a dozen amounts, made turning rows into objects most of the rows' time.
QUEUE_COLUMNS = (
    Claim.id,
    Claim.claim_reference,
    Claim.status,
    Claim.patient,
    Claim.payer,
    Claim.assigned_to,
    Claim.date_of_service,
    Claim.follow_up_on,
    Claim.billed,
    Claim.other_payer_paid,
    Claim.adjudicated,
    Claim.paid,
    Claim.written_off,
)


@dataclass
class QueuePage:
    claims: list[Claim]
    next_cursor: QueueCursor | None


def queue_page(
    view: str,
    today: date,
    user: User,
    payer_id: int | None = None,
    after: QueueCursor | None = None,
    size: int | None = None,
) -> QueuePage:
    """One page of the work queue and the cursor of the next (None at the end): a queue of
    thousands comes 50 at a time, each page as quick as the first (no OFFSET)."""
    size = size or QUEUE_PAGE
    rows = work_queue(view, today, user, payer_id, limit=size + 1, after=after)
    if len(rows) <= size:
        return QueuePage(rows, None)
    last = rows[size - 1]
    return QueuePage(rows[:size], QueueCursor(last.follow_up_on, last.queue_cents, last.id))


def queue_counts(today: date, user: User, views=None) -> dict[str, int]:
    """How many claims each view holds (only `views`, when given: the start page shows three).

    From the kept counts per (status, follow-up date, assignee) of the open states (ClaimCount,
    kept by triggers on claim, migration 0159): one statement over at most states x follow-up
    dates x assignees rows, the same at 2k claims or 200k, where counting the claims read
    every open claim's index entry (426 ms at 200k claims before the right index). A claim
    with no follow-up date is kept under NO_FOLLOW_UP, after every date, which is where each
    view already puts it: never due, never overdue, waiting."""
    action = [s.value for s in ACTION_STATES]
    waiting = [s.value for s in WAITING_STATES]
    kept = ClaimCount
    conditions = {
        "action": kept.status.in_(action)
        | (kept.status.in_(waiting) & (kept.follow_up_on <= today)),
        "waiting": kept.status.in_(waiting) & (kept.follow_up_on > today),
        "mine": kept.assignee == user.id,
        "overdue": kept.follow_up_on < today,
    }
    wanted = [view for view, _ in QUEUE_VIEWS if views is None or view in views]
    sums = [fn.SUM(Case(None, [(conditions[view], kept.claims)], 0)) for view in wanted]
    # Sums over no rows are NULL: an empty queue counts 0.
    row = kept.select(*sums).where(kept.status.in_(action + waiting)).tuples().get()
    return {view: int(number or 0) for view, number in zip(wanted, row, strict=True)}


@dataclass(frozen=True)
class ClaimFilters:
    """What a claim list is narrowed to; the same filters drive the page and its CSV."""

    state: str = ""
    payer: int | None = None
    date_from: date | None = None  # date of service
    date_to: date | None = None
    bucket: str = ""  # aging bucket key: outstanding claims of that age
    overdue: bool = False
    q: str = ""  # claim reference, Rx number or patient last name

    @classmethod
    def from_args(cls, args) -> tuple[ClaimFilters, list[str]]:
        """Filters from a query string; problems are returned in words, the filter dropped."""
        problems = []

        def day(name, label):
            text = (args.get(name) or "").strip()
            if not text:
                return None
            try:
                return date.fromisoformat(text)
            except ValueError:
                problems.append(f"{label} “{text}” is not a date (use the date picker).")
                return None

        payer = (args.get("payer") or "").strip()
        state = (args.get("state") or "").strip()
        bucket = (args.get("bucket") or "").strip()
        filters = cls(
            state=state if state in dict(STATE_FILTERS) else "",
            payer=as_id(payer),
            date_from=day("from", N_("From")),
            date_to=day("to", N_("To")),
            bucket=bucket if bucket in {b.key for b in AGING_BUCKETS} else "",
            overdue=args.get("overdue") in ("1", "on", "true"),
            q=(args.get("q") or "").strip()[:60],
        )
        if filters.date_from and filters.date_to and filters.date_from > filters.date_to:
            problems.append(N_("The From date is after the To date; the dates were swapped."))
            filters = replace(filters, date_from=filters.date_to, date_to=filters.date_from)
        return filters, problems

    def as_args(self) -> dict[str, str]:
        """The filters as query-string arguments (for links and the CSV export)."""
        args = {}
        for item in fields(self):
            value = getattr(self, item.name)
            name = {"date_from": "from", "date_to": "to"}.get(item.name, item.name)
            if value in (None, "", False):
                continue
            if value is True:
                value = "1"
            args[name] = value.isoformat() if isinstance(value, date) else str(value)
        return args


def filtered_claims(filters: ClaimFilters, today: date):
    """Claims matching the filters, newest date of service first."""
    query = Claim.select()
    if filters.state == "outstanding":
        query = query.where(Claim.status.in_([s.value for s in OUTSTANDING_STATES]))
    elif filters.state:
        query = query.where(Claim.status == filters.state)
    if filters.payer:
        query = query.where(Claim.payer == filters.payer)
    if filters.date_from:
        query = query.where(Claim.date_of_service >= filters.date_from)
    if filters.date_to:
        query = query.where(Claim.date_of_service <= filters.date_to)
    if filters.bucket:
        span = next(r for r in service_date_ranges(today) if r.key == filters.bucket)
        query = query.where(
            Claim.status.in_([s.value for s in OUTSTANDING_STATES])
            & (Claim.date_of_service <= span.latest)
        )
        if span.earliest:
            query = query.where(Claim.date_of_service >= span.earliest)
    if filters.overdue:
        query = query.where(_open() & (Claim.follow_up_on < today))
    if filters.q:
        text = filters.q
        query = query.where(
            (Claim.claim_reference == text.upper())
            | (Claim.rx_number == text)
            | Patient.last_name_key.startswith(text.lower())
        )
    return _with_people(query).order_by(Claim.date_of_service.desc(), Claim.id.desc())


LIST_PAGE = 50


def list_page(filters: ClaimFilters, today: date, after: str = "") -> tuple[list, str]:
    """One page of the filtered list, newest first, and the cursor of the next ("" at the end).

    Keyset pages (the claims after the last one shown) rather than numbered ones: a numbered
    page counts every match and sorts them all to skip to it, 3.7 s at 200k claims.
    """
    query = filtered_claims(filters, today)
    cursor = _read_cursor(after)
    if cursor:
        served, claim_id = cursor
        query = query.where(
            (Claim.date_of_service < served)
            | ((Claim.date_of_service == served) & (Claim.id < claim_id))
        )
    rows = list(query.limit(LIST_PAGE + 1))
    if len(rows) <= LIST_PAGE:
        return rows, ""
    last = rows[LIST_PAGE - 1]
    return rows[:LIST_PAGE], f"{last.date_of_service.isoformat()}.{last.id}"


def _read_cursor(text: str) -> tuple[date, int] | None:
    """ "2026-03-01.1234" -> (date, id); anything else is the first page."""
    served, _, claim_id = (text or "").partition(".")
    try:
        return date.fromisoformat(served), int(as_id(claim_id))
    except (TypeError, ValueError):
        return None


CSV_COLUMNS = (
    "claim_reference",
    "status",
    "patient",
    "payer",
    "rx_number",
    "fill_number",
    "date_of_service",
    "billed",
    "ingredient_cost",
    "dispensing_fee",
    "compounding_fee",
    "allowed",
    "paid",
    "patient_pay",
    "adjustments",
    "written_off",
    "balance",
    "times_rejected",
    "follow_up_on",
    "assigned_to",
    "days_to_payment",
)


def claims_csv(query) -> str:
    """The claims as CSV: one row per claim, money as plain 12.50, dates as YYYY-MM-DD."""
    return csv_text(CSV_COLUMNS, (_csv_row(claim) for claim in query.iterator()))


def _csv_row(claim) -> list:
    return [
        claim.claim_reference,
        claim.status,
        claim.patient.sort_name,
        claim.payer.name,
        claim.rx_number,
        claim.fill_number,
        claim.date_of_service.isoformat(),
        claim.billed,
        claim.ingredient_cost,
        claim.dispensing_fee,
        claim.compounding_fee,
        "" if claim.allowed is None else claim.allowed,
        claim.paid,
        claim.patient_pay,
        claim.adjustments,
        claim.written_off,
        claim.balance,
        claim.times_rejected,
        claim.follow_up_on.isoformat() if claim.follow_up_on else "",
        claim.assigned_to.full_name if claim.assigned_to_id else "",
        "" if claim.days_to_payment is None else claim.days_to_payment,
    ]


def latest_reject_codes(claim_ids: list[int]) -> dict[int, list[str]]:
    """Each claim's codes of its latest rejection, in one query (for lists)."""
    from portal.claims.claims.models import ClaimReject

    found: dict[int, tuple[int, list[str]]] = {}
    if not claim_ids:
        return {}
    rows = (
        ClaimReject.select(ClaimReject.claim, ClaimReject.event, ClaimReject.code)
        .where(ClaimReject.claim.in_(claim_ids))
        .order_by(ClaimReject.event.desc(), ClaimReject.position)
        .tuples()
    )
    for claim_id, event_id, code in rows:
        latest_event, codes = found.setdefault(claim_id, (event_id, []))
        if event_id == latest_event:
            codes.append(code)
    return {claim_id: codes for claim_id, (_, codes) in found.items()}
