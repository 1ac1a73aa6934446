"""Pharmacy policy for prescriptions and fills, on plain values: the choices intake offers,
who may make which workflow move, when a prescription expires, and when a refill is refused.

No Flask, no database: the models and views call these, and tests reach them directly.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from portal.foundation.dates import add_months
from portal.foundation.i18n import N_
from portal.prescriptions.fills.workflow import FillStatus
from portal.prescriptions.screening.facts import SCHEDULE_LABELS, plain_date

# How the prescription reached the pharmacy.
ORIGINS: tuple[tuple[str, str], ...] = (
    ("written", N_("Written (paper)")),
    ("phone", N_("Telephoned")),
    ("fax", N_("Faxed")),
    ("electronic", N_("Electronic (eRx)")),
)

# When the patient wants it, most urgent first; the rank orders every queue.
PRIORITIES: tuple[tuple[str, str], ...] = (
    ("waiting", N_("Waiting in the store")),
    ("today", N_("Today")),
    ("delivery", N_("Delivery")),
)
PRIORITY_RANK = {"waiting": 1, "today": 2, "delivery": 3}
# A fill a pharmacist returned (or sent back) goes on top of the technician's queue.
RETURNED_RANK = 0

# Units a prescribed quantity is counted in; codes the quantity check reads (sig_codes).
QUANTITY_UNITS: tuple[tuple[str, str], ...] = (
    ("tab", N_("tablets")),
    ("cap", N_("capsules")),
    ("mL", N_("mL")),
    ("g", N_("grams")),
    ("each", N_("each (suppositories, patches, inhalers...)")),
)
UNIT_WORDS = {"tab": "tablets", "cap": "capsules", "mL": "mL", "g": "g", "each": "each"}

# DAW / product selection codes (NCPDP Telecommunication D.0 field 408-D8), short enough for a list.
DAW_CODES: tuple[tuple[str, str], ...] = (
    ("0", N_("0 – No product selection indicated")),
    ("1", N_("1 – Substitution not allowed by prescriber")),
    ("2", N_("2 – Patient requested product dispensed")),
    ("3", N_("3 – Pharmacist selected product dispensed")),
    ("4", N_("4 – Generic not in stock")),
    ("5", N_("5 – Brand dispensed as generic")),
    ("6", N_("6 – Override")),
    ("7", N_("7 – Brand mandated by law")),
    ("8", N_("8 – Generic not available in marketplace")),
    ("9", N_("9 – Prescriber allowed, plan requests brand")),
)

# Pickup. The offer to counsel is made at every hand-out (OBRA '90, 42 CFR 456.705(c)):
# what is recorded is whether the patient accepted it; most decline on a refill, so that is
# the default the counter confirms.
COUNSELING_ANSWERS: tuple[tuple[str, str], ...] = (
    ("declined", N_("Offered, declined")),
    ("accepted", N_("Offered, accepted: the pharmacist counsels")),
)
# Identification shown by whoever collects a C-II: the PMP report carries its type and
# number (ASAP 4.2A, AIR segment, AIR04/AIR05; required by state PMP rules for C-II).
PICKUP_ID_TYPES: tuple[tuple[str, str], ...] = (
    ("driver_license", N_("Driver's license")),
    ("state_id", N_("State ID card")),
    ("passport", N_("Passport")),
    ("military_id", N_("Military ID")),
    ("other", N_("Other government photo ID")),
)


# Who collects a controlled prescription for the patient, as the state's PMP report codes it
# (ASAP 4.2A AIR06, relationship of the person picking up); with their last and first name
# (AIR07, AIR08), recorded at pickup of any controlled fill.
PICKUP_RELATIONSHIPS: tuple[tuple[str, str], ...] = (
    ("guardian", "Parent or legal guardian"),
    ("spouse", "Spouse"),
    ("caregiver", "Caregiver"),
    ("other", "Other"),
)


def pickup_names_whom(schedule: str | None) -> bool:
    """Whether handing this prescription out records the collector's last and first name
    and coded relationship for the PMP report (any controlled schedule)."""
    return bool(schedule)


# IDs a state issues: the pickup records which state (ASAP AIR03, the ID's jurisdiction).
ID_TYPES_ISSUED_BY_A_STATE = frozenset({"driver_license", "state_id"})


def id_needs_state(id_type: str) -> bool:
    """Whether an ID of this type names the state that issued it (a driver's license, a
    state ID card); a passport or military ID is not issued by a state."""
    return id_type in ID_TYPES_ISSUED_BY_A_STATE


def pickup_needs_id(schedule: str | None) -> bool:
    """Whether handing this prescription out asks for the collector's photo ID (C-II)."""
    return schedule == "2"


# Workflow moves only a pharmacist makes: verifying, returning and sending back.
PHARMACIST_MOVES = frozenset(
    {
        (FillStatus.DATA_VERIFY, FillStatus.FILL),
        (FillStatus.DATA_VERIFY, FillStatus.COMPOUND),
        (FillStatus.DATA_VERIFY, FillStatus.DATA_ENTRY),
        (FillStatus.FINAL_VERIFY, FillStatus.READY),
        (FillStatus.FINAL_VERIFY, FillStatus.FILL),
        (FillStatus.FINAL_VERIFY, FillStatus.COMPOUND),
    }
)
# A pharmacist handing work back: it goes on top of the technician's queue.
RETURN_MOVES = frozenset(
    {
        (FillStatus.DATA_VERIFY, FillStatus.DATA_ENTRY),
        (FillStatus.FINAL_VERIFY, FillStatus.FILL),
        (FillStatus.FINAL_VERIFY, FillStatus.COMPOUND),
    }
)
# The approval of a pharmacist's own data entry needs a reason (segregation of duties).
DATA_APPROVALS = frozenset(
    {(FillStatus.DATA_VERIFY, FillStatus.FILL), (FillStatus.DATA_VERIFY, FillStatus.COMPOUND)}
)


def label(pairs: Iterable[tuple[str, str]], value: str) -> str:
    """The label of a value in (value, label) pairs; the value itself when unknown."""
    return dict(pairs).get(value, value)


def unit_words(unit: str) -> str:
    return UNIT_WORDS.get(unit, unit)


def duty_problem(
    from_state: str,
    to_state: str,
    *,
    roles: Iterable[str],
    user_id: int | None,
    entered_by_id: int | None,
    own_entry_reason: str = "",
) -> str | None:
    """Why this user may not make this move, in words; None when they may.

    A technician never verifies. A pharmacist may not approve data they entered
    themselves unless they give a reason (an override that is audited).
    """
    if (from_state, to_state) not in PHARMACIST_MOVES:
        return None
    if "pharmacist" not in set(roles):
        return N_("Only a pharmacist can verify, return or send back a fill.")
    if (
        (from_state, to_state) in DATA_APPROVALS
        and entered_by_id is not None
        and entered_by_id == user_id
        and not (own_entry_reason or "").strip()
    ):
        return N_(
            "You entered this prescription yourself; another pharmacist should verify it, "
            "or give a reason for verifying your own entry."
        )
    return None


@dataclass(frozen=True, kw_only=True)
class ExpiryLimits:
    """How long a prescription may be filled from the date written (settings; domain defaults)."""

    days_valid: int = 365  # non-controlled and C-V: state law, commonly one year
    days_valid_c2: int = 180  # no federal limit; many states six months
    months_valid_c3_c4: int = 6  # 21 CFR 1306.22


def expires_on(written_on: date, schedule: str | None, limits: ExpiryLimits) -> date:
    """The last day a prescription may be filled or refilled."""
    if schedule == "2":
        return written_on + timedelta(days=limits.days_valid_c2)
    if schedule in ("3", "4"):
        return add_months(written_on, limits.months_valid_c3_c4)
    return written_on + timedelta(days=limits.days_valid)


def refills_left(refills_authorized: int, fills_made: int) -> int:
    """Refills still available once fills_made fills (the original included) are made."""
    return max(0, refills_authorized - max(0, fills_made - 1))


def refill_problem(
    *,
    rx_number: int | str,
    active: bool,
    refills_authorized: int,
    fills_made: int,
    open_fill_number: int | None,
    expires: date | None,
    schedule: str | None,
    max_refills_c3_c4: int,
    today: date,
) -> str | None:
    """Why a new fill of this prescription cannot be made, in words; None when it can.

    fills_made counts fills not cancelled (the original included); open_fill_number is
    the number of a fill still in progress, if any.
    """
    if not active:
        return f"Rx {rx_number} is inactive; a new prescription is needed."
    if open_fill_number is not None:
        which = "The original fill" if open_fill_number == 0 else f"Refill {open_fill_number}"
        return f"{which} of Rx {rx_number} is still in progress; finish or cancel it first."
    if schedule == "2" and fills_made >= 1:
        return (
            f"Rx {rx_number} is C-II: it cannot be refilled (21 CFR 1306.12); "
            "a new prescription is needed."
        )
    if expires is not None and today > expires:
        return f"Rx {rx_number} expired after {plain_date(expires)}; a new prescription is needed."
    authorized = refills_authorized
    if schedule in ("3", "4"):
        authorized = min(authorized, max_refills_c3_c4)
    if fills_made >= 1 and refills_left(authorized, fills_made) <= 0:
        kind = f" ({SCHEDULE_LABELS[schedule]})" if schedule in SCHEDULE_LABELS else ""
        return (
            f"No refills remain on Rx {rx_number}{kind}: {authorized} authorized, "
            "all used; a new prescription is needed."
        )
    return None


def parse_extra_sig_codes(text: str) -> tuple[dict[str, str], list[str]]:
    """The pharmacy's own sig codes from settings text, one `code = words` per line.

    Returns the mapping and the lines that could not be read (shown on the settings page).
    Blank lines and lines starting with # are ignored.
    """
    codes: dict[str, str] = {}
    problems: list[str] = []
    for number, raw in enumerate((text or "").splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        code, sep, words = line.partition("=")
        code, words = code.strip().lower(), words.strip()
        if not sep or not code or not words or " " in code:
            problems.append(f"Line {number} (“{line}”) is not in the form code = words.")
            continue
        codes[code] = words
    return codes, problems
