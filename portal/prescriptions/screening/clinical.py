"""Clinical screening against the drug knowledge base, on plain values: cross-sensitivity
between allergy classes, drug-drug interactions with the patient's active medications,
therapeutic duplication by class, and allergies no name in the knowledge base matches.

One alert per finding, each saying what, why and its source (screening.md). Severity:
a contraindicated interaction blocks; major and moderate ones warn (the pharmacist
acknowledges them). Cross-sensitivity warns, or is shown for information.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from portal.catalog.knowledge import starter
from portal.catalog.knowledge.names import term_key
from portal.catalog.knowledge.rules import Knowledge
from portal.foundation.i18n import N_
from portal.prescriptions.screening.allergy import allergen_names, allergy_matches
from portal.prescriptions.screening.facts import (
    CheckResult,
    DrugFacts,
    OtherFill,
    PatientFacts,
    Status,
)

_RANK = {"contraindicated": 0, "major": 1, "moderate": 2}

# Extended-release and long-acting opioids (FDA ER/LA Opioid Analgesic REMS): a modified-
# release form, a transdermal system, or methadone whatever its form. Two at once are
# duplicate therapy (screening.md); an immediate-release opioid for breakthrough pain beside
# one is ordinary practice and is not flagged.
_LONG_ACTING_FORM = re.compile(
    r"extended|sustained|controlled|modified|transdermal|patch|system"
    r"|\b(er|xr|xl|sr|cr|la|24 ?h(ou)?r|12 ?h(ou)?r)\b",
    re.IGNORECASE,
)
_LONG_ACTING_ALWAYS = {"methadone"}
LONG_ACTING_SOURCE = "FDA ER/LA Opioid Analgesic REMS; screening.md (two long-acting opioids)"


def long_acting_opioid(drug: DrugFacts, kb: Knowledge) -> str | None:
    """The opioid ingredient that makes ``drug`` a long-acting opioid, or None."""
    for ingredient in drug.ingredients:
        classes = {m.class_key for m in kb.member_of(ingredient.name)}
        if term_key("Opioids") not in classes:
            continue
        name = term_key(ingredient.name)
        if any(word in name.split() for word in _LONG_ACTING_ALWAYS):
            return ingredient.name
        if _LONG_ACTING_FORM.search(f"{drug.dosage_form} {drug.name}"):
            return ingredient.name
    return None


def long_acting_duplicates(
    drug: DrugFacts, other_fills: Sequence[OtherFill], kb: Knowledge | None = None
) -> list[str]:
    """Sentences for each active long-acting opioid beside a new long-acting opioid."""
    kb = starter.knowledge() if kb is None else kb
    if long_acting_opioid(drug, kb) is None:
        return []
    return [
        f"{other.label} and {drug.name} are both long-acting opioids."
        for other in other_fills
        if long_acting_opioid(other.drug, kb) is not None
    ]


_SEVERITY_STATUS = {"contraindicated": Status.BLOCK, "major": Status.WARN, "moderate": Status.WARN}


def _terms(kb: Knowledge, drug: DrugFacts) -> dict[str, set[str]]:
    """Each ingredient's name and the keys it answers to (itself and its classes)."""
    return {i.name: kb.terms(i.name, i.allergen_classes) for i in drug.ingredients}


def check_cross_sensitivity(
    patient: PatientFacts, drug: DrugFacts, kb: Knowledge
) -> list[CheckResult]:
    """A penicillin allergy and a cephalosporin: warn, naming a shared side chain if any
    (AAAAI/ACAAI 2022); the most specific pair found speaks for each ingredient."""
    found: list[CheckResult] = []
    for allergy in patient.allergies:
        if allergy_matches(allergy, drug, kb):
            continue  # already a block (or warning) in the allergy check
        for allergen in allergen_names(allergy):
            reach = {term_key(allergen)} | kb.allergy_reach(allergen)
            pairs = [pair for key in reach for pair in kb.cross.get(key, ())]
            for name, terms in _terms(kb, drug).items():
                hits = [p for p in pairs if term_key(p.drug) in terms]
                if not hits:
                    continue
                # An ingredient-level pair (side chain) is more telling than a class pair.
                pair = min(
                    hits, key=lambda p: (term_key(p.drug) != term_key(name), p.level != "warn")
                )
                warn = pair.level == "warn"
                who = f"Patient is allergic to {allergy.allergen}"
                if term_key(pair.allergen) != term_key(allergy.allergen):
                    who += f" (one of the {pair.allergen})"
                what = (
                    name
                    if term_key(pair.drug) == term_key(name)
                    else (f"{name} (one of the {pair.drug})")
                )
                found.append(
                    CheckResult(
                        "cross_sensitivity",
                        Status.WARN if warn else Status.PASS,
                        f"{who}; {what}: {pair.reason}.",
                        pair.source,
                        info=not warn,
                    )
                )
    return found


def check_interactions(
    drug: DrugFacts, other_fills: Sequence[OtherFill], kb: Knowledge
) -> list[CheckResult]:
    """The new drug's every ingredient against every active medication's ingredients."""
    if not drug.ingredients:
        return [
            CheckResult(
                "interaction",
                Status.WARN,
                f"No ingredients are recorded for {drug.name}, so interactions and duplicate "
                "therapy could not be screened; check them by hand.",
            )
        ]
    own = _terms(kb, drug)
    found: list[CheckResult] = []
    for other in other_fills:
        for other_name, other_terms in _terms(kb, other.drug).items():
            for name, terms in own.items():
                pairs = kb.pairs_between(terms, other_terms)
                # Overlapping pairs (MAOI + SSRIs, MAOI + serotonergic drugs): the worst one.
                for pair in sorted(pairs, key=lambda p: _RANK.get(p.severity, 9))[:1]:
                    status = _SEVERITY_STATUS.get(pair.severity, Status.WARN)
                    management = f" {pair.management}" if pair.management else ""
                    found.append(
                        CheckResult(
                            "interaction",
                            status,
                            f"{pair.severity.capitalize()} interaction: {name} with "
                            f"{other_name} in {other.label} ({pair.a} + {pair.b}): "
                            f"{pair.effect}.{management}",
                            pair.source,
                        )
                    )
    if found:
        return found
    return [
        CheckResult("interaction", Status.PASS, N_("No known interaction with active medications."))
    ]


def class_duplicates(
    drug: DrugFacts, other_fills: Sequence[OtherFill], kb: Knowledge | None = None
) -> list[tuple[str, str]]:
    """(sentence, source) for each active medication in a duplication class with this drug
    (sertraline + fluoxetine: both SSRIs) but not the same ingredient (checked apart)."""
    kb = starter.knowledge() if kb is None else kb
    found = []
    own_names = {term_key(i.name) for i in drug.ingredients}
    own_classes = {
        m.class_key: i.name
        for i in drug.ingredients
        for m in kb.member_of(i.name)
        if m.class_key in kb.classes and kb.classes[m.class_key].duplication
    }
    for other in other_fills:
        for ingredient in other.drug.ingredients:
            if term_key(ingredient.name) in own_names:
                continue
            for member in kb.member_of(ingredient.name):
                if member.class_key in own_classes:
                    cls = kb.classes[member.class_key]
                    found.append(
                        (
                            f"{other.label} contains {ingredient.name}: it and "
                            f"{own_classes[member.class_key]} are both {cls.name}.",
                            cls.source,
                        )
                    )
    return found


def check_unscreened_allergies(patient: PatientFacts, kb: Knowledge) -> list[CheckResult]:
    """Free-text allergies no drug, ingredient or class in the knowledge base is called."""
    unknown = [
        a.allergen
        for a in patient.allergies
        if not any(kb.member_of(name) or term_key(name) in kb.classes for name in allergen_names(a))
    ]
    if not unknown:
        return []
    listed = ", ".join(f"“{name}”" for name in unknown)
    return [
        CheckResult(
            "unscreened",
            Status.PASS,
            f"Unscreened: {listed} matches no drug, ingredient or class the knowledge base "
            "knows, so only exact names were compared; review it by hand.",
            info=True,
        )
    ]
