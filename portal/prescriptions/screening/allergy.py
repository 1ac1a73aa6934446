"""Allergy check: the patient's allergies against every ingredient of what is dispensed.

The catalog's ``allergen_classes`` on each ingredient are the primary source.
A small built-in class list backs them up for common classes, because a new
pharmacy's catalog is often missing them. Cross-sensitivity between classes
(penicillins and cephalosporins, say) is a clinical judgement left to the
pharmacist and is not encoded here.
"""

from __future__ import annotations

from portal.prescriptions.screening.facts import (
    CheckResult,
    DrugFacts,
    IngredientFacts,
    PatientAllergy,
    PatientFacts,
    Status,
    in_words,
)
from portal.prescriptions.screening.names import contains_words, mentions, moiety_words, name_words

CHECK = "allergy"

CLASS_MEMBERS: dict[str, frozenset[str]] = {
    "NSAIDs": frozenset({
        "ibuprofen", "naproxen", "ketorolac", "diclofenac", "meloxicam", "indomethacin",
        "celecoxib", "aspirin", "ketoprofen", "piroxicam", "etodolac", "nabumetone",
        "flurbiprofen", "oxaprozin", "sulindac", "mefenamic acid",
    }),
    "penicillins": frozenset({
        "penicillin g", "penicillin v", "amoxicillin", "ampicillin", "dicloxacillin",
        "nafcillin", "oxacillin", "piperacillin",
    }),
    # Antibacterial sulfonamides only; non-antibiotic ones (furosemide, thiazides)
    # rarely cross-react and are the pharmacist's call.
    "sulfonamides": frozenset({
        "sulfamethoxazole", "sulfadiazine", "sulfisoxazole", "sulfacetamide", "sulfasalazine",
    }),
    "cephalosporins": frozenset({
        "cephalexin", "cefadroxil", "cefazolin", "cefuroxime", "cefprozil", "cefdinir",
        "cefpodoxime", "cefixime", "ceftriaxone",
    }),
    "fluoroquinolones": frozenset({"ciprofloxacin", "levofloxacin", "moxifloxacin", "ofloxacin"}),
    "macrolides": frozenset({"azithromycin", "clarithromycin", "erythromycin"}),
    "tetracyclines": frozenset({"tetracycline", "doxycycline", "minocycline"}),
}  # fmt: skip

# Ways a class is commonly written in an allergy record.
CLASS_SYNONYMS: dict[str, str] = {
    "sulfa": "sulfonamides",
    "sulfa drugs": "sulfonamides",
    "sulfa antibiotics": "sulfonamides",
    "pcn": "penicillins",
    "non steroidal anti inflammatory drugs": "NSAIDs",
    "nonsteroidal anti inflammatory drugs": "NSAIDs",
}

_MEMBER_WORDS = {
    name_words(cls): (cls, frozenset(name_words(m) for m in members))
    for cls, members in CLASS_MEMBERS.items()
}
_SYNONYM_WORDS = {name_words(text): name_words(cls) for text, cls in CLASS_SYNONYMS.items()}


def _allergen_forms(allergy: PatientAllergy) -> list[tuple[str, ...]]:
    """The allergen's words, plus the class it is a common name for ("sulfa" -> sulfonamides)."""
    words = name_words(allergy.allergen)
    forms = [words] if words else []
    if words in _SYNONYM_WORDS:
        forms.append(_SYNONYM_WORDS[words])
    return forms


def _where(drug: DrugFacts, ingredient: IngredientFacts) -> str:
    if drug.is_compound:
        return f"ingredient {ingredient.name} in this compound"
    return f"{ingredient.name} in {drug.name}"


def _ingredient_reason(
    forms: list[tuple[str, ...]], drug: DrugFacts, ingredient: IngredientFacts
) -> str | None:
    """Why this allergen matches this ingredient, in words, or None."""
    moiety = moiety_words(ingredient.name)
    for form in forms:
        if mentions(name_words(ingredient.name), form) or contains_words(form, moiety):
            holder = "this compound" if drug.is_compound else drug.name
            return f"{holder} contains {ingredient.name}"
        for cls in ingredient.allergen_classes:
            if contains_words(name_words(cls), form):
                return f"{_where(drug, ingredient)} belongs to {cls}"
    for form in forms:
        cls, members = _MEMBER_WORDS.get(form, ("", frozenset()))
        if moiety in members:
            return (
                f"{_where(drug, ingredient)} is one of the {cls} "
                "(Mortar's built-in list; its catalog entry does not name the class)"
            )
    return None


def _who(allergy: PatientAllergy) -> str:
    details = ", ".join(part for part in (allergy.reaction, allergy.severity) if part)
    return f"Patient is allergic to {allergy.allergen}" + (f" ({details})" if details else "")


def allergy_matches(allergy: PatientAllergy, drug: DrugFacts) -> list[str]:
    """Sentences saying how one allergy matches the drug or any of its ingredients."""
    forms = _allergen_forms(allergy)
    if not forms:
        return []
    found = [
        f"{_who(allergy)}; {reason}."
        for ingredient in drug.ingredients
        if (reason := _ingredient_reason(forms, drug, ingredient))
    ]
    if not found and any(mentions(name_words(drug.name), form) for form in forms):
        found.append(f"{_who(allergy)}; this is {drug.name}.")
    return found


def check_allergies(patient: PatientFacts, drug: DrugFacts) -> CheckResult:
    """Block when an allergy matches the drug, a compound's any ingredient, or their classes."""
    blocks = [line for allergy in patient.allergies for line in allergy_matches(allergy, drug)]
    warnings: list[str] = []
    if patient.allergy_status == "not_asked":
        warnings.append("Allergies were never asked — ask the patient before verifying.")
    elif patient.allergy_status == "nkda" and patient.allergies:
        listed = ", ".join(a.allergen for a in patient.allergies)
        warnings.append(
            f"Record says no known drug allergies but lists {listed}; correct the record."
        )
    elif patient.allergy_status == "has_allergies" and not patient.allergies:
        warnings.append("Patient is marked as having allergies but none are recorded; record them.")
    if patient.allergies and not drug.ingredients and not blocks:
        warnings.append(
            f"No ingredients are recorded for {drug.name}, so allergies could only be "
            "checked against its name; check them by hand."
        )
    if blocks:
        return CheckResult(CHECK, Status.BLOCK, in_words(*blocks, *warnings))
    if warnings:
        return CheckResult(CHECK, Status.WARN, in_words(*warnings))
    if not patient.allergies:
        return CheckResult(CHECK, Status.PASS, "No known drug allergies.")
    listed = ", ".join(a.allergen for a in patient.allergies)
    return CheckResult(CHECK, Status.PASS, f"No match with the patient's allergies ({listed}).")
