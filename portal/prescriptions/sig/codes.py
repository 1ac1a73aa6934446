"""The sig code table (the Latin abbreviations pharmacies use) as data, with what each code
means for a dose.

A pharmacy extends or overrides the words through its settings (the ``extra``
argument of ``expand_sig``); these are the built-in defaults.
"""

from __future__ import annotations

from decimal import Decimal

# Code -> words, the abbreviations pharmacies use; entries marked "Mortar" are additions.
SIG_CODES: dict[str, str] = {
    # routes
    "po": "by mouth",
    "sl": "under the tongue",
    "pr": "rectally",
    "pv": "vaginally",
    "top": "topically",
    "subq": "under the skin",  # Mortar; ISMP: "SC"/"SQ" are error-prone
    # how often
    "qd": "once daily",  # ISMP error-prone; always written out
    "daily": "once daily",
    "bid": "twice daily",
    "tid": "three times daily",
    "qid": "four times daily",
    "qhs": "at bedtime",
    "hs": "at bedtime",
    "qam": "every morning",
    "qpm": "every evening",
    "q4h": "every 4 hours",
    "q6h": "every 6 hours",
    "q8h": "every 8 hours",
    "q12h": "every 12 hours",
    "qod": "every other day",  # Mortar; ISMP error-prone, written out
    "qwk": "once weekly",  # Mortar
    "prn": "as needed",
    "ac": "before meals",
    "pc": "after meals",
    "ud": "as directed",
    # where drops go (ISMP error-prone: always spelled out)
    "ou": "in both eyes",
    "od": "in the right eye",
    "os": "in the left eye",
    "au": "in both ears",
    "ad": "in the right ear",
    "as": "in the left ear",
    # dose units (singular; plurals below)
    "tab": "tablet",
    "cap": "capsule",
    "gtt": "drop",
    "ml": "mL",
    "g": "gram",
    "mg": "milligram",
    "mcg": "microgram",
    "puff": "puff",  # Mortar
    "supp": "suppository",  # Mortar
    "unit": "unit",  # Mortar; ISMP: never "U" or "IU"
    "patch": "patch",  # Mortar
    # verbs
    "app": "apply",
    "aaa": "apply to affected area",
    "inh": "inhale",
}
# "xNd" (for N days) and "qNh" / "qNd" (every N hours / days) are read as patterns.

DOSE_UNIT_PLURALS: dict[str, str] = {
    "tab": "tablets",
    "cap": "capsules",
    "gtt": "drops",
    "ml": "mL",
    "g": "grams",
    "mg": "milligrams",
    "mcg": "micrograms",
    "puff": "puffs",
    "supp": "suppositories",
    "unit": "units",
    "patch": "patches",
}

# Other spellings typed for a code. ISMP: "cc" is mL, "ug" is mcg, "U"/"IU" are units.
ALIASES: dict[str, str] = {
    "tabs": "tab", "tablet": "tab", "tablets": "tab",
    "caps": "cap", "capsule": "cap", "capsules": "cap",
    "gtts": "gtt", "drop": "gtt", "drops": "gtt",
    "cc": "ml", "mls": "ml",
    "gm": "g", "gram": "g", "grams": "g",
    "ug": "mcg",
    "puffs": "puff",
    "supps": "supp", "suppository": "supp", "suppositories": "supp",
    "u": "unit", "iu": "unit", "units": "unit",
    "patches": "patch",
    "sc": "subq", "sq": "subq", "subcut": "subq",
    "qday": "daily",
}  # fmt: skip

# Doses a day, for the quantity check; "every other day" and "weekly" are fractions.
FREQUENCY_PER_DAY: dict[str, Decimal] = {
    "qd": Decimal(1),
    "daily": Decimal(1),
    "bid": Decimal(2),
    "tid": Decimal(3),
    "qid": Decimal(4),
    "qhs": Decimal(1),
    "hs": Decimal(1),
    "qam": Decimal(1),
    "qpm": Decimal(1),
    "q4h": Decimal(6),
    "q6h": Decimal(4),
    "q8h": Decimal(3),
    "q12h": Decimal(2),
    "qod": Decimal(1) / Decimal(2),
    "qwk": Decimal(1) / Decimal(7),
}

ROUTE_CODES = frozenset({"po", "sl", "pr", "pv", "top", "subq"})
SITE_CODES = frozenset({"ou", "od", "os", "au", "ad", "as"})

# Codes that are themselves the verb: code -> (verb, words left in place).
VERB_CODES: dict[str, tuple[str, str]] = {
    "app": ("Apply", ""),
    "aaa": ("Apply", "to affected area"),
    "inh": ("Inhale", ""),
}

# The verb a code implies. The verb codes win, then the route or drop site,
# then the dose unit, then "ud" ("Use as directed").
VERB_FOR: dict[str, str] = {
    **{code: verb for code, (verb, _) in VERB_CODES.items()},
    "po": "Take",
    "sl": "Place",
    "pr": "Insert",
    "pv": "Insert",
    "top": "Apply",
    "subq": "Inject",
    **{site: "Instill" for site in SITE_CODES},
    "tab": "Take",
    "cap": "Take",
    "ml": "Take",
    "mg": "Take",
    "mcg": "Take",
    "gtt": "Instill",
    "puff": "Inhale",
    "supp": "Insert",
    "patch": "Apply",
    "ud": "Use",
}

# A sig that starts with one of these already has its verb.
TYPED_VERBS = frozenset({
    "take", "apply", "instill", "inhale", "insert", "place", "use", "give", "chew",
    "dissolve", "inject", "spray", "swish", "rinse", "gargle", "wash", "put", "shampoo",
    "mix", "dilute",
})  # fmt: skip

# After "prn", a word that is not one of these names the reason: "as needed for pain".
NOT_A_REASON = frozenset({"as", "for", "to", "with", "and", "or", "if", "when", "until", "then"})

# "as" followed by one of these is English ("as directed"), not "left ear".
AS_IN_ENGLISH = frozenset({"needed", "directed", "instructed", "prescribed", "before", "usual"})

# Codes that are also English words, kept as typed after an article or
# preposition: "apply to the top of the head", "replace the cap".
ENGLISH_LOOKALIKES = frozenset({"top", "cap"})
ENGLISH_LEAD_INS = frozenset({"the", "to", "on", "of", "a", "its", "your"})

# How often, typed in words before "daily": ("twice",) daily is 2 doses a day.
SPELLED_TIMES: dict[tuple[str, ...], int] = {
    ("once",): 1,
    ("twice",): 2,
    ("three", "times"): 3,
    ("four", "times"): 4,
}

# Words that mean the directions change over time: no single dose to read.
STEP_WORDS = frozenset({"then", "taper", "titrate", "alternate", "alternating", "increase"})


def canonical_code(word: str) -> str | None:
    """The sig code a typed word stands for ("Caps" -> "cap"), or None."""
    key = word.strip().lower()
    if key in SIG_CODES:
        return key
    return ALIASES.get(key)
