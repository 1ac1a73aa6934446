"""Checks on a fill: expiry, refills left, refill too soon, duplicate therapy, quantity."""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import timedelta
from decimal import Decimal

from portal.catalog.knowledge.names import moiety_words
from portal.catalog.knowledge.rules import Knowledge
from portal.foundation.i18n import N_
from portal.prescriptions.screening.clinical import (
    LONG_ACTING_SOURCE,
    class_duplicates,
    long_acting_duplicates,
)
from portal.prescriptions.screening.facts import (
    CheckResult,
    CheckSettings,
    DrugFacts,
    FillFacts,
    OtherFill,
    RxFacts,
    Status,
    in_words,
    plain_date,
    plain_number,
)
from portal.prescriptions.sig.codes import canonical_code
from portal.prescriptions.sig.directions import SigDose, parse_sig_quantity, unit_words

# Units counted one by one; a quantity with no unit (or "each") is a count of these.
COUNTED_UNITS = frozenset({"tab", "cap", "supp", "patch"})
_EACH = frozenset({"", "each", "ea", "count", "ct"})


def refills_remaining(refills_authorized: int, fills_done: int) -> int:
    """Refills left after ``fills_done`` dispensings (the original fill included).

    The original fill uses no refill: with 2 refills authorized, 2 remain after
    the first fill, 1 after the second, none after the third.
    """
    return max(0, refills_authorized - max(0, fills_done - 1))


def check_expired(rx: RxFacts, fill: FillFacts, settings: CheckSettings) -> CheckResult:
    """Block a fill after the pharmacy's limit from the date written (state law; default 1 year)."""
    if rx.written_on > fill.filling_on:
        return CheckResult(
            "expired",
            Status.BLOCK,
            f"Date written {plain_date(rx.written_on)} is after the fill date; check the date.",
        )
    last_day = rx.written_on + timedelta(days=settings.days_valid)
    if fill.filling_on > last_day:
        return CheckResult(
            "expired",
            Status.BLOCK,
            f"Prescription written {plain_date(rx.written_on)} expired after "
            f"{plain_date(last_day)} ({settings.days_valid} days, the pharmacy's limit); "
            "a new prescription is needed.",
        )
    return CheckResult("expired", Status.PASS, f"Fillable until {plain_date(last_day)}.")


def _refills(count: int) -> str:
    return {0: "no refills", 1: "1 refill"}.get(count, f"{count} refills")


def check_refills(rx: RxFacts, fill: FillFacts) -> CheckResult:
    """Block a refill when none remain."""
    authorized = rx.refills_authorized
    if authorized < 0:
        return CheckResult("refills", Status.BLOCK, N_("Refills authorized cannot be negative."))
    if fill.fills_done == 0:
        return CheckResult(
            "refills", Status.PASS, f"Original fill; {_refills(authorized)} authorized."
        )
    if fill.fills_done > authorized:
        return CheckResult(
            "refills",
            Status.BLOCK,
            f"No refills remain: {_refills(authorized)} authorized, all filled; "
            "a new prescription is needed.",
        )
    left = refills_remaining(authorized, fill.fills_done + 1)
    return CheckResult(
        "refills", Status.PASS, f"Refill {fill.fills_done} of {authorized}; {_refills(left)} left."
    )


def check_refill_too_soon(fill: FillFacts, settings: CheckSettings) -> CheckResult:
    """Warn when less than the set share (default 75%) of the last fill's supply has been used."""
    previous = fill.previous_fill
    if previous is None or previous.days_supply <= 0:
        return CheckResult("refill_too_soon", Status.PASS, N_("No earlier fill to compare."))
    wait_days = math.ceil(Decimal(previous.days_supply) * settings.refill_due_fraction)
    due = previous.filled_on + timedelta(days=wait_days)
    if fill.filling_on >= due:
        return CheckResult("refill_too_soon", Status.PASS, f"Due since {plain_date(due)}.")
    share = plain_number(settings.refill_due_fraction * 100)
    last = f"Rx {previous.rx_number} " if previous.rx_number else ""
    return CheckResult(
        "refill_too_soon",
        Status.WARN,
        f"Refill too soon: {last}last filled {plain_date(previous.filled_on)} for "
        f"{previous.days_supply} days; due on or after {plain_date(due)} "
        f"({share}% of the supply used).",
    )


def check_duplicate_therapy(
    rx: RxFacts, drug: DrugFacts, other_fills: Sequence[OtherFill], kb: Knowledge | None = None
) -> CheckResult:
    """Warn when another active medication is the same product, shares an ingredient, or is
    in the same duplication class (two SSRIs, two NSAIDs, an ACE inhibitor and an ARB)."""
    own = {moiety_words(i.name): i.name for i in drug.ingredients}
    found = []
    replaced = [o for o in other_fills if o.rx_number != rx.rx_number and o.replaced_by(rx)]
    other_fills = [o for o in other_fills if o.rx_number != rx.rx_number and o not in replaced]
    classed = class_duplicates(drug, other_fills, kb)
    for other in other_fills:
        if drug.product_key and other.drug.product_key == drug.product_key:
            found.append(f"{other.label} is an open fill of the same product.")
            continue
        shared = [
            own[m] for m in (moiety_words(i.name) for i in other.drug.ingredients) if m in own
        ]
        if shared:
            found.append(f"{other.label} also contains {', '.join(shared)}.")
    found.extend(sentence for sentence, _ in classed)
    long_acting = long_acting_duplicates(drug, other_fills, kb)
    found.extend(long_acting)
    if found:
        named = [source for _, source in classed] + ([LONG_ACTING_SOURCE] if long_acting else [])
        sources = "; ".join(dict.fromkeys(source for source in named if source))
        return CheckResult("duplicate_therapy", Status.WARN, in_words(*found), sources)
    if replaced:
        return CheckResult(
            "duplicate_therapy",
            Status.PASS,
            in_words(
                *(f"Replaces {o.label}, which the same prescriber discontinued." for o in replaced)
            ),
        )
    return CheckResult(
        "duplicate_therapy", Status.PASS, N_("No active medication of the same drug or class.")
    )


def _unit_problem(dose: SigDose, quantity_unit: str | None) -> tuple[Status, str] | None:
    """None when the quantity's unit can be compared with the directions' unit."""
    typed = (quantity_unit or "").strip().lower()
    code = None if typed in _EACH else canonical_code(typed)
    counted = typed in _EACH or code in COUNTED_UNITS
    if (dose.unit is not None and dose.unit == code) or (
        counted and dose.unit in COUNTED_UNITS | {None}
    ):
        if dose.unit in COUNTED_UNITS and code in COUNTED_UNITS and dose.unit != code:
            return Status.WARN, (
                f"Directions are in {unit_words(dose.unit, Decimal(2))} but the quantity is "
                f"in {unit_words(code, Decimal(2))}; check which is right."
            )
        return None
    return Status.PASS, N_("Quantity and directions are in different units; not compared.")


def check_quantity(rx: RxFacts, settings: CheckSettings) -> CheckResult:
    """Block a quantity or days supply not above zero; warn when they disagree with the sig."""
    quantity = Decimal(str(rx.quantity))
    blocks = []
    if quantity <= 0:
        blocks.append(f"Quantity must be more than zero ({plain_number(quantity)} entered).")
    if rx.days_supply <= 0:
        blocks.append(f"Days supply must be more than zero ({rx.days_supply} entered).")
    if blocks:
        return CheckResult("quantity", Status.BLOCK, in_words(*blocks))
    dose = parse_sig_quantity(rx.directions)
    if dose is None:
        return CheckResult(
            "quantity", Status.PASS, N_("Directions could not be read for a quantity check.")
        )
    if problem := _unit_problem(dose, rx.quantity_unit):
        return CheckResult("quantity", *problem)
    return _compare_quantity(rx, quantity, dose, settings)


def _compare_quantity(
    rx: RxFacts, quantity: Decimal, dose: SigDose, settings: CheckSettings
) -> CheckResult:
    warnings = []
    days = dose.duration_days or rx.days_supply
    if dose.duration_days and dose.duration_days != rx.days_supply:
        warnings.append(
            f"Directions say {dose.duration_days} days but the days supply is {rx.days_supply}."
        )
    unit = dose.unit or canonical_code(rx.quantity_unit or "") or None
    expected = dose.units_per_day * days
    if unit is None or unit in COUNTED_UNITS:
        expected = Decimal(math.ceil(expected))
    words = (" " + unit_words(unit, Decimal(2))).rstrip()
    use = "allow at most" if dose.is_maximum else "use"
    need = "at most" if dose.is_maximum else "need"
    said = (
        f"Directions {use} {plain_number(dose.units_per_day)}{words} a day, so {days} days "
        f"{need} {plain_number(expected)}{words}; quantity is {plain_number(quantity)}."
    )
    tolerance = settings.quantity_tolerance
    too_many = quantity > expected * (1 + tolerance)
    too_few = not dose.is_maximum and quantity < expected * (1 - tolerance)
    if too_many or too_few:
        warnings.append(said)
    if warnings:
        return CheckResult("quantity", Status.WARN, in_words(*warnings))
    return CheckResult("quantity", Status.PASS, said)
