"""Safety checks a pharmacist sees at data verification, on plain values.

Each check returns a ``CheckResult`` named by its ``check``: "allergy",
"cross_sensitivity", "unscreened", "controlled", "expired", "refills",
"refill_too_soon", "duplicate_therapy", "interaction", "quantity". ``run_checks``
runs them all in that order; ``worst`` gives the status that decides whether
verification may go ahead. The checks live in ``allergy``, ``clinical``,
``controlled`` and ``fill_checks``; their inputs in ``facts``; the drug knowledge
base they read (classes, pairs) is ``portal.catalog.knowledge.rules.Knowledge``,
the cited starter set when none is given.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from portal.catalog.knowledge import starter
from portal.catalog.knowledge.rules import Knowledge
from portal.prescriptions.screening.allergy import allergy_matches, check_allergies
from portal.prescriptions.screening.clinical import (
    check_cross_sensitivity,
    check_interactions,
    check_unscreened_allergies,
)
from portal.prescriptions.screening.controlled import add_months, check_controlled
from portal.prescriptions.screening.facts import (
    CheckResult,
    CheckSettings,
    ControlledLimits,
    DrugFacts,
    FillFacts,
    IngredientFacts,
    OtherFill,
    PatientAllergy,
    PatientFacts,
    PrescriberFacts,
    PreviousFill,
    RxFacts,
    Schedule,
    Status,
    most_restrictive,
)
from portal.prescriptions.screening.fill_checks import (
    check_duplicate_therapy,
    check_expired,
    check_quantity,
    check_refill_too_soon,
    check_refills,
    refills_remaining,
)

__all__ = [
    "CheckResult",
    "CheckSettings",
    "ControlledLimits",
    "DrugFacts",
    "FillFacts",
    "IngredientFacts",
    "OtherFill",
    "PatientAllergy",
    "PatientFacts",
    "PrescriberFacts",
    "PreviousFill",
    "RxFacts",
    "Schedule",
    "Status",
    "add_months",
    "allergy_matches",
    "check_allergies",
    "check_cross_sensitivity",
    "check_interactions",
    "check_unscreened_allergies",
    "check_controlled",
    "check_duplicate_therapy",
    "check_expired",
    "check_quantity",
    "check_refill_too_soon",
    "check_refills",
    "most_restrictive",
    "refills_remaining",
    "run_checks",
    "worst",
]


def run_checks(
    *,
    patient: PatientFacts,
    prescriber: PrescriberFacts,
    drug: DrugFacts,
    rx: RxFacts,
    fill: FillFacts,
    other_fills: Sequence[OtherFill] = (),
    settings: CheckSettings | None = None,
    knowledge: Knowledge | None = None,
) -> list[CheckResult]:
    """Run every safety check for a fill at data verification, in a fixed order."""
    settings = settings or CheckSettings()
    kb = starter.knowledge() if knowledge is None else knowledge
    others = [o for o in other_fills if not o.rx_number or o.rx_number != rx.rx_number]
    return [
        check_allergies(patient, drug, kb),
        *check_cross_sensitivity(patient, drug, kb),
        *check_unscreened_allergies(patient, kb),
        check_controlled(rx, drug, prescriber, fill, settings.controlled),
        check_expired(rx, fill, settings),
        check_refills(rx, fill),
        check_refill_too_soon(fill, settings),
        check_duplicate_therapy(rx, drug, others, kb),
        *check_interactions(drug, others, kb),
        check_quantity(rx, settings),
    ]


def worst(results: Iterable[CheckResult]) -> Status:
    """The worst status among the results (block > warn > pass); pass when there are none."""
    return max((result.status for result in results), default=Status.PASS)
