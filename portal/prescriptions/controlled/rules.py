"""How a C-II may arrive and how any controlled prescription may be partly filled, on plain
values (no Flask, no database).

Sources: 21 CFR 1306.11 (C-II origin: written or electronic; emergency oral orders;
fax as the original), 21 CFR 1306.13 and 21 USC 829(f) (C-II partial fills), 21 CFR
1306.23 (C-III to C-V partial fills). The pharmacy's limits (``OriginLimits``) may only
tighten the federal ones.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from portal.foundation.dates import add_months
from portal.foundation.i18n import N_
from portal.prescriptions.screening.facts import plain_date, plain_number

# 21 CFR 1306.11(d)(4): the prescriber delivers the written or electronic prescription
# for an emergency oral order within 7 days.
FOLLOW_UP_DAYS = 7

# 21 CFR 1306.11(e), (f), (g): the only cases in which a faxed C-II serves as the original.
FAX_AS_ORIGINAL_REASONS: tuple[tuple[str, str], ...] = (
    ("home_infusion", N_("Narcotic compounded for home infusion (21 CFR 1306.11(e))")),
    ("ltcf", N_("Resident of a long-term care facility (21 CFR 1306.11(f))")),
    ("hospice", N_("Hospice patient or terminally ill (21 CFR 1306.11(g))")),
)

# Why less than the prescribed quantity is dispensed; each sets the remainder's window.
PARTIAL_REASONS: tuple[tuple[str, str], ...] = (
    ("out_of_stock", N_("Pharmacy cannot supply the full quantity")),
    ("request", N_("Patient's or prescriber's request")),
    ("ltcf_terminal", N_("Long-term care or terminally ill patient")),
)

# Follow-up of an emergency oral order.
FOLLOW_UP_DUE = "due"
FOLLOW_UP_RECEIVED = "received"
FOLLOW_UP_DEA_NOTIFIED = "dea_notified"


@dataclass(frozen=True, kw_only=True)
class OriginLimits:
    """The pharmacy's C-II limits; the defaults are the federal ones."""

    follow_up_days: int = FOLLOW_UP_DAYS
    out_of_stock_hours: int = 72  # 21 CFR 1306.13(a)
    request_days: int = 30  # 21 USC 829(f)(2), 21 CFR 1306.13(c)
    emergency_request_hours: int = 72  # 21 USC 829(f)(2)(B): emergency oral order
    ltcf_days: int = 60  # 21 CFR 1306.13(b)
    months_c3_to_c5: int = 6  # 21 CFR 1306.23

    def __post_init__(self) -> None:
        if not 1 <= self.follow_up_days <= FOLLOW_UP_DAYS:
            raise ValueError(
                N_("The emergency follow-up is due within 1 to 7 days (1306.11(d)(4))")
            )
        if not 1 <= self.out_of_stock_hours <= 72:
            raise ValueError(N_("An out-of-stock remainder is due within 72 hours (1306.13(a))"))
        if not 1 <= self.request_days <= 30:
            raise ValueError(N_("A requested partial fill ends 30 days after writing (829(f))"))
        if not 1 <= self.ltcf_days <= 60:
            raise ValueError(
                N_("Long-term care partial fills end 60 days after writing (1306.13(b))")
            )


@dataclass(frozen=True, kw_only=True)
class OriginFacts:
    """How a prescription arrived and what the pharmacist recorded about it."""

    schedule: str | None
    origin: str  # policy.ORIGINS: written | phone | fax | electronic
    emergency_quantity: Decimal | None = None  # set when recorded as an emergency oral order
    fax_reason: str = ""  # one of FAX_AS_ORIGINAL_REASONS, or ""
    original_received: bool = False  # the signed original (or follow-up) is in hand


def reason_label(reason: str) -> str:
    return dict(FAX_AS_ORIGINAL_REASONS).get(reason, reason)


def partial_label(reason: str) -> str:
    return dict(PARTIAL_REASONS).get(reason, reason)


def follow_up_due(recorded_on: date, limits: OriginLimits | None = None) -> date:
    """The day the prescriber's written prescription for an emergency oral order is due."""
    limits = limits or OriginLimits()
    return recorded_on + timedelta(days=limits.follow_up_days)


def follow_up_overdue(due: date, state: str, today: date) -> bool:
    """An open follow-up after its due day: the pharmacy must notify the DEA (1306.11(d)(4))."""
    return state == FOLLOW_UP_DUE and today > due


def data_verification_problem(facts: OriginFacts, quantity: Decimal) -> str | None:
    """Why a C-II cannot pass data verification because of how it arrived, or None.

    A faxed C-II may be prepared (1306.11(a)); it is stopped at final verification instead.
    """
    if facts.schedule != "2":
        return None
    if facts.origin == "phone":
        if facts.emergency_quantity is None:
            return N_(
                "A telephoned C-II is not a prescription the pharmacy may dispense from "
                "(21 CFR 1306.11(a)). Only the pharmacist can accept it, by recording it as an "
                "emergency oral order (21 CFR 1306.11(d)); otherwise ask for a written or "
                "electronic prescription."
            )
        if Decimal(quantity) > facts.emergency_quantity:
            return (
                f"An emergency oral order is limited to the emergency quantity, "
                f"{plain_number(facts.emergency_quantity)} (21 CFR 1306.11(d)(1)); this fill is "
                f"for {plain_number(quantity)}."
            )
    return None


def final_verification_problem(facts: OriginFacts) -> str | None:
    """Why a faxed C-II cannot pass final verification yet, or None (1306.11(a), (e)-(g))."""
    if facts.schedule != "2" or facts.origin != "fax":
        return None
    if facts.fax_reason or facts.original_received:
        return None
    return N_(
        "A faxed C-II may be prepared but not dispensed until the signed original is in hand "
        "and checked (21 CFR 1306.11(a)). Mark the original received, or record why the fax "
        "serves as the original (home infusion, long-term care facility, hospice or terminal "
        "illness: 21 CFR 1306.11(e)-(g))."
    )


def origin_note(facts: OriginFacts) -> str | None:
    """A warning at data verification about what the C-II still needs, or None."""
    if facts.schedule != "2":
        return None
    if facts.origin == "fax" and not (facts.fax_reason or facts.original_received):
        return N_(
            "Faxed C-II: it may be prepared, but final verification waits for the signed "
            "original (or a fax-as-original reason)."
        )
    return None


def _day_end(day: date) -> datetime:
    """The first moment after ``day``: a window "until day X" includes all of day X."""
    return datetime.combine(day + timedelta(days=1), time())


@dataclass(frozen=True)
class Window:
    """Until when the remainder of a partial fill may be dispensed, and the rule that says so."""

    ends_at: datetime  # the first moment the remainder may no longer be dispensed
    rule: str  # in words, with the source

    @property
    def last_day(self) -> date:
        return (self.ends_at - timedelta(microseconds=1)).date()


def remainder_window(
    *,
    schedule: str,
    reason: str,
    written_on: date,
    first_filled_at: datetime,
    emergency_oral: bool = False,
    limits: OriginLimits | None = None,
) -> Window:
    """The window for the remainder of a partial fill (times are the pharmacy's local time)."""
    limits = limits or OriginLimits()
    if schedule != "2":
        months = limits.months_c3_to_c5
        return Window(
            _day_end(add_months(written_on, months)),
            f"C-III to C-V: no partial fill more than {months} months after the date written "
            "(21 CFR 1306.23)",
        )
    if reason == "out_of_stock":
        hours = limits.out_of_stock_hours
        return Window(
            first_filled_at + timedelta(hours=hours),
            f"C-II the pharmacy could not supply in full: the remainder within {hours} hours "
            "of the first partial fill (21 CFR 1306.13(a))",
        )
    if reason == "ltcf_terminal":
        days = limits.ltcf_days
        return Window(
            _day_end(written_on + timedelta(days=days)),
            f"C-II for a long-term care or terminally ill patient: up to {days} days from the "
            "date written (21 CFR 1306.13(b))",
        )
    if reason == "request" and emergency_oral:
        hours = limits.emergency_request_hours
        # The hour of issue is not recorded: counted from the start of the day written.
        return Window(
            datetime.combine(written_on, time()) + timedelta(hours=hours),
            f"C-II emergency oral order partly filled on request: within {hours} hours of "
            "issue (21 USC 829(f)(2)(B))",
        )
    if reason == "request":
        days = limits.request_days
        return Window(
            _day_end(written_on + timedelta(days=days)),
            f"C-II partly filled at the patient's or prescriber's request: until {days} days "
            "after the date written (21 USC 829(f), 21 CFR 1306.13(c))",
        )
    raise ValueError(f"{reason!r} is not a partial fill reason")


def window_open(window: Window, at: datetime) -> bool:
    """Whether the remainder may still be dispensed at moment ``at`` (the pharmacy's local
    time): 1306.13(a) "within 72 hours", so at 72 hours it no longer is; a window "until day
    X" (1306.13(b), 829(f), 1306.23) holds all of day X."""
    return at < window.ends_at


def lapsed_in_progress_problem(window: Window, at: datetime) -> str | None:
    """Why a remainder opened in time cannot pass a later step (final verification, pickup)
    at ``at``, in words; None while its window is open. The window is checked at each step,
    not only when the remainder was opened: after it the remainder is void (1306.13(a))."""
    if window_open(window, at):
        return None
    return (
        f"The remainder could be dispensed until {_moment(window.ends_at)} ({window.rule}); "
        "that has passed, so it may not be dispensed now, though it was opened in time. The "
        "remainder is void: cancel this fill (its stock goes back) and notify the prescriber "
        "(the hourly job does both, or void it from the first partial's remainder page)."
    )


def remainder_problem(
    *,
    window: Window,
    now: datetime,
    prescribed: Decimal,
    dispensed: Decimal,
    asked: Decimal,
) -> str | None:
    """Why this remainder cannot be dispensed now, in words; None when it can.

    ``prescribed`` is the quantity the partial fills share (for C-III to C-V one fill's
    quantity), ``dispensed`` what the earlier partials gave, ``asked`` this dispensing.
    A remainder is not a refill: no refill count applies (controlled.md).
    """
    left = Decimal(prescribed) - Decimal(dispensed)
    if not window_open(window, now):
        return (
            f"The remainder could be dispensed until {_moment(window.ends_at)} ({window.rule}); "
            "that has passed, so the remainder is void and the prescriber must be told."
        )
    if left <= 0:
        return N_("Nothing remains of this prescription: the full quantity has been dispensed.")
    if Decimal(asked) <= 0:
        return N_("The quantity to dispense must be more than zero.")
    if Decimal(asked) > left:
        return (
            f"Only {plain_number(left)} remain of the {plain_number(prescribed)} prescribed "
            f"({plain_number(dispensed)} dispensed); {plain_number(asked)} is more than that "
            "(the total may not exceed the quantity prescribed)."
        )
    return None


def partial_problem(*, prescribed: Decimal, dispensing: Decimal, reason: str) -> str | None:
    """Why this fill cannot be recorded as a partial fill, or None."""
    if reason not in dict(PARTIAL_REASONS):
        return N_("Choose why less than the prescribed quantity is dispensed.")
    if not 0 < Decimal(dispensing) < Decimal(prescribed):
        return (
            f"A partial fill dispenses more than zero and less than the "
            f"{plain_number(prescribed)} prescribed."
        )
    return None


def partial_words(dispensed: Decimal, prescribed: Decimal) -> str:
    """What the label and the record say: "partial fill: 10 of 30"."""
    return f"partial fill: {plain_number(dispensed)} of {plain_number(prescribed)}"


def _moment(at: datetime) -> str:
    if at.time() == time():
        return f"the end of {plain_date(at.date() - timedelta(days=1))}"
    return f"{plain_date(at.date())} {at:%H:%M}"
