"""Allergy check: the patient's allergies against every ingredient of what is dispensed.

An ingredient's classes come from the drug knowledge base (portal.catalog.knowledge) and
from its catalog entry's ``allergen_classes``. An allergy recorded to one drug reaches the
drugs of its classes where the class says so (amoxicillin -> ampicillin); cross-sensitivity
between classes is a warning of its own (clinical.py).
"""

from __future__ import annotations

from portal.catalog.knowledge import starter
from portal.catalog.knowledge.names import (
    contains_words,
    mentions,
    moiety_words,
    name_words,
    term_key,
)
from portal.catalog.knowledge.rules import Knowledge
from portal.foundation.i18n import N_
from portal.prescriptions.screening.facts import (
    CheckResult,
    DrugFacts,
    IngredientFacts,
    PatientAllergy,
    PatientFacts,
    Status,
    in_words,
)

CHECK = "allergy"

# Ways a class is commonly written in an allergy record.
CLASS_SYNONYMS: dict[str, str] = {
    "sulfa": "sulfonamides",
    "sulfa drugs": "sulfonamides",
    "sulfa antibiotics": "sulfonamides",
    "pcn": "penicillins",
    "non steroidal anti inflammatory drugs": "NSAIDs",
    "nonsteroidal anti inflammatory drugs": "NSAIDs",
}

_SYNONYM_WORDS = {name_words(text): name_words(cls) for text, cls in CLASS_SYNONYMS.items()}
_STARTER = starter.knowledge()


def _allergen_forms(allergy: PatientAllergy) -> list[tuple[str, ...]]:
    """The allergen's words, plus the class it is a common name for ("sulfa" -> sulfonamides)."""
    words = name_words(allergy.allergen)
    forms = [words] if words else []
    if words in _SYNONYM_WORDS:
        forms.append(_SYNONYM_WORDS[words])
    return forms


def allergen_names(allergy: PatientAllergy) -> list[str]:
    """The names an allergy record stands for, as the knowledge base files them."""
    return [" ".join(form) for form in _allergen_forms(allergy)]


def _where(drug: DrugFacts, ingredient: IngredientFacts) -> str:
    if drug.is_compound:
        return f"ingredient {ingredient.name} in this compound"
    return f"{ingredient.name} in {drug.name}"


def _ingredient_reason(
    forms: list[tuple[str, ...]], drug: DrugFacts, ingredient: IngredientFacts, kb: Knowledge
) -> tuple[str, Status, str] | None:
    """Why this allergen matches this ingredient, in words, how strongly, and the source."""
    moiety = moiety_words(ingredient.name)
    for form in forms:
        if mentions(name_words(ingredient.name), form) or contains_words(form, moiety):
            holder = "this compound" if drug.is_compound else drug.name
            return f"{holder} contains {ingredient.name}", Status.BLOCK, ""
        for cls in ingredient.allergen_classes:
            if contains_words(name_words(cls), form):
                return f"{_where(drug, ingredient)} belongs to {cls}", Status.BLOCK, "catalog entry"
    catalog_classes = {term_key(c): c for c in ingredient.allergen_classes}
    for form in forms:
        allergen = " ".join(form)
        reach = kb.allergy_reach(allergen)
        own_class = term_key(allergen) in kb.classes
        for member in kb.member_of(ingredient.name):
            if member.class_key not in reach:
                continue
            cls = kb.class_name(member.class_key)
            status = Status.WARN if member.allergy == "warn" else Status.BLOCK
            usually = " (usually tolerated: check the reaction)" if status is Status.WARN else ""
            if own_class:
                reason = f"{_where(drug, ingredient)} is one of the {cls}{usually}"
            else:
                reason = (
                    f"{_where(drug, ingredient)} and {allergen} are both {cls}, and an "
                    f"allergy to one covers the class{usually}"
                )
            return (
                reason,
                status,
                kb.classes[member.class_key].source
                if member.class_key in kb.classes
                else member.source,
            )
        for key in reach & set(catalog_classes):
            return (
                f"{_where(drug, ingredient)} belongs to {catalog_classes[key]}, "
                f"which an allergy to {allergen} covers",
                Status.BLOCK,
                "catalog entry",
            )
    return None


def _who(allergy: PatientAllergy) -> str:
    details = ", ".join(part for part in (allergy.reaction, allergy.severity) if part)
    return f"Patient is allergic to {allergy.allergen}" + (f" ({details})" if details else "")


def allergy_matches(
    allergy: PatientAllergy, drug: DrugFacts, kb: Knowledge | None = None
) -> list[tuple[str, Status, str]]:
    """How one allergy matches the drug or any of its ingredients: (sentence, status, source)."""
    kb = _STARTER if kb is None else kb
    forms = _allergen_forms(allergy)
    if not forms:
        return []
    found = [
        (f"{_who(allergy)}; {reason}.", status, source)
        for ingredient in drug.ingredients
        if (match := _ingredient_reason(forms, drug, ingredient, kb))
        for reason, status, source in [match]
    ]
    if not found and any(mentions(name_words(drug.name), form) for form in forms):
        found.append((f"{_who(allergy)}; this is {drug.name}.", Status.BLOCK, ""))
    return found


def check_allergies(
    patient: PatientFacts, drug: DrugFacts, kb: Knowledge | None = None
) -> CheckResult:
    """Block when an allergy matches the drug, a compound's any ingredient, or a class an
    allergy reaches (amoxicillin -> the penicillins -> ampicillin)."""
    matches = [m for allergy in patient.allergies for m in allergy_matches(allergy, drug, kb)]
    blocks = [line for line, status, _ in matches if status is Status.BLOCK]
    warnings: list[str] = [line for line, status, _ in matches if status is Status.WARN]
    sources = "; ".join(dict.fromkeys(source for _, _, source in matches if source))
    if patient.allergy_status == "not_asked":
        warnings.append(N_("Allergies were never asked — ask the patient before verifying."))
    elif patient.allergy_status == "nkda" and patient.allergies:
        listed = ", ".join(a.allergen for a in patient.allergies)
        warnings.append(
            f"Record says no known drug allergies but lists {listed}; correct the record."
        )
    elif patient.allergy_status == "has_allergies" and not patient.allergies:
        warnings.append(
            N_("Patient is marked as having allergies but none are recorded; record them.")
        )
    if patient.allergies and not drug.ingredients and not blocks:
        warnings.append(
            f"No ingredients are recorded for {drug.name}, so allergies could only be "
            "checked against its name; check them by hand."
        )
    if blocks:
        return CheckResult(CHECK, Status.BLOCK, in_words(*blocks, *warnings), sources)
    if warnings:
        return CheckResult(CHECK, Status.WARN, in_words(*warnings), sources)
    if not patient.allergies:
        return CheckResult(CHECK, Status.PASS, N_("No known drug allergies."))
    listed = ", ".join(a.allergen for a in patient.allergies)
    return CheckResult(CHECK, Status.PASS, f"No match with the patient's allergies ({listed}).")
