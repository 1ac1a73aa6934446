"""Controlled-substance check: refills, time limits and the prescriber's DEA registration.

Sources: 21 CFR 1306.12 (no C-II refills), 21 CFR
1306.22 (C-III/IV: at most 5 refills, nothing filled more than 6 months after
the date written), 21 CFR 1306.03 and 1306.05 (a prescriber registered for the
schedule, whose DEA number the prescription bears). States may be stricter:
``ControlledLimits`` holds the pharmacy's limits.
"""

from __future__ import annotations

from datetime import timedelta

from portal.foundation.dates import add_months
from portal.foundation.i18n import N_
from portal.foundation.identifiers import dea_problem
from portal.prescriptions.screening.facts import (
    SCHEDULE_LABELS,
    CheckResult,
    ControlledLimits,
    DrugFacts,
    FillFacts,
    PrescriberFacts,
    RxFacts,
    Status,
    in_words,
    most_restrictive,
    plain_date,
)

CHECK = "controlled"
FEDERAL_MONTHS_VALID_C3_C4 = 6


def _source(limit: int | None, federal: int) -> str:
    """Cite the regulation when the federal limit applies, else the pharmacy's setting."""
    return "21 CFR 1306.22" if limit == federal else "the pharmacy's limit"


def _c2_problems(rx: RxFacts, fill: FillFacts, limits: ControlledLimits) -> list[str]:
    problems = []
    if rx.refills_authorized > 0:
        problems.append(
            f"C-II prescriptions cannot be refilled (21 CFR 1306.12); "
            f"{rx.refills_authorized} entered: record 0, each fill needs a new prescription."
        )
    if fill.fills_done > 0:
        problems.append(
            N_(
                "This would be a refill of a C-II prescription, which is not allowed "
                "(21 CFR 1306.12); a new prescription is needed."
            )
        )
    if limits.days_valid_c2 is not None:
        last_day = rx.written_on + timedelta(days=limits.days_valid_c2)
        if fill.filling_on > last_day:
            problems.append(
                f"C-II prescription written {plain_date(rx.written_on)} could be filled until "
                f"{plain_date(last_day)} ({limits.days_valid_c2} days, the pharmacy's limit); "
                "a new prescription is needed."
            )
    return problems


def _c3_to_c5_problems(
    schedule: str, rx: RxFacts, fill: FillFacts, limits: ControlledLimits
) -> list[str]:
    label = SCHEDULE_LABELS[schedule]
    problems = []
    max_refills = limits.max_refills(schedule)
    # C-V has no federal refill cap: any cap is the pharmacy's (state's).
    source = "the pharmacy's limit" if schedule == "5" else _source(max_refills, 5)
    if max_refills is not None and rx.refills_authorized > max_refills:
        problems.append(
            f"{label} prescriptions allow at most {max_refills} refills ({source}); "
            f"{rx.refills_authorized} entered: record {max_refills} or ask the prescriber."
        )
    if max_refills is not None and fill.fills_done > max_refills:
        problems.append(
            f"This would be refill {fill.fills_done} of a {label} prescription; at most "
            f"{max_refills} are allowed ({source}), so a new prescription is needed."
        )
    if schedule in ("3", "4"):
        months = limits.months_valid_c3_c4
        last_day = add_months(rx.written_on, months)
        source = _source(months, FEDERAL_MONTHS_VALID_C3_C4)
    elif limits.days_valid_c5 is not None:
        last_day = rx.written_on + timedelta(days=limits.days_valid_c5)
        source = "the pharmacy's limit"
    else:
        return problems  # C-V without its own limit: the expiry check applies
    if fill.filling_on > last_day:
        problems.append(
            f"{label} prescription written {plain_date(rx.written_on)} cannot be filled after "
            f"{plain_date(last_day)} ({source}); a new prescription is needed."
        )
    return problems


def _registration_problem(prescriber: PrescriberFacts, schedule: str) -> tuple[Status, str] | None:
    """Whether the prescriber's DEA registration lets them prescribe this schedule."""
    label = SCHEDULE_LABELS[schedule]
    who = prescriber.name or "the prescriber"
    if not (prescriber.dea or "").strip():
        return Status.BLOCK, (
            f"A {label} prescription needs the prescriber's DEA number (21 CFR 1306.05); "
            f"none is on file for {who}."
        )
    if problem := dea_problem(prescriber.dea or "", prescriber.last_name):
        return Status.BLOCK, f"DEA number {prescriber.dea} of {who} is not valid: {problem}."
    covered = prescriber.dea_schedules
    if schedule in covered:
        return None
    if f"{schedule}N" in covered:
        return Status.WARN, (
            f"DEA registration of {who} covers only non-narcotic {label} ({schedule}N); "
            "make sure this drug is non-narcotic."
        )
    listed = ", ".join(sorted(covered)) if covered else "none"
    return Status.BLOCK, (
        f"DEA registration of {who} does not cover {label} (schedules covered: {listed}); "
        "a prescriber registered for it is needed (21 CFR 1306.03)."
    )


def check_controlled(
    rx: RxFacts,
    drug: DrugFacts,
    prescriber: PrescriberFacts,
    fill: FillFacts,
    limits: ControlledLimits | None = None,
) -> CheckResult:
    """Apply the schedule's refill and time limits and the DEA registration rule.

    The schedule is the most restrictive of the prescription's, the product's
    and (for compounds) any ingredient's.
    """
    limits = limits or ControlledLimits()
    schedule = most_restrictive(rx.schedule, drug.effective_schedule)
    if schedule is None:
        return CheckResult(CHECK, Status.PASS, N_("Not a controlled substance."))
    label = SCHEDULE_LABELS[schedule]
    warnings: list[str] = []
    if rx.schedule != schedule:
        recorded = SCHEDULE_LABELS[rx.schedule] if rx.schedule else "not controlled"
        warnings.append(
            f"Prescription is recorded as {recorded} but {drug.name} is {label}; "
            f"checked as {label}, correct the prescription."
        )
    if schedule == "2":
        blocks = _c2_problems(rx, fill, limits)
    else:
        blocks = _c3_to_c5_problems(schedule, rx, fill, limits)
    if registration := _registration_problem(prescriber, schedule):
        status, message = registration
        (blocks if status is Status.BLOCK else warnings).append(message)
    if blocks:
        return CheckResult(CHECK, Status.BLOCK, in_words(*blocks, *warnings))
    if warnings:
        return CheckResult(CHECK, Status.WARN, in_words(*warnings))
    in_order = f"{label}: refills, dates and the prescriber's DEA registration are in order."
    return CheckResult(CHECK, Status.PASS, in_order)
