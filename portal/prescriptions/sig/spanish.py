"""Directions in Spanish, read from the same typed sig codes as the English ones.

Many US states require translated directions on request (e.g. New York Education Law
6829, California Business and Professions Code 4076.6); the phrases follow the wording of
standard US pharmacy Spanish label instructions ("Tome 1 tableta por vía oral dos veces al
día"), in the formal imperative (usted). Only what the tables cover is translated: a sig
with a word typed in free text (a reason after "prn", a note) gives None, so a label never
mixes languages and the English directions stand until the pharmacist adds the code.
"""

from __future__ import annotations

from collections.abc import Mapping

from portal.foundation.digits import is_digits
from portal.prescriptions.sig.codes import SIG_CODES
from portal.prescriptions.sig.directions import _choose_verb
from portal.prescriptions.sig.reading import SigToken, read_sig

# Code -> Spanish words, every code of codes.SIG_CODES (tests/prescriptions check it).
SIG_CODES_ES: dict[str, str] = {
    "po": "por vía oral",
    "sl": "debajo de la lengua",
    "pr": "por vía rectal",
    "pv": "por vía vaginal",
    "top": "sobre la piel",
    "subq": "debajo de la piel",
    "qd": "una vez al día",
    "daily": "una vez al día",
    "bid": "dos veces al día",
    "tid": "tres veces al día",
    "qid": "cuatro veces al día",
    "qhs": "a la hora de acostarse",
    "hs": "a la hora de acostarse",
    "qam": "cada mañana",
    "qpm": "cada noche",
    "q4h": "cada 4 horas",
    "q6h": "cada 6 horas",
    "q8h": "cada 8 horas",
    "q12h": "cada 12 horas",
    "qod": "un día sí y otro no",  # not "cada tercer día", which readers take two ways
    "qwk": "una vez a la semana",
    "prn": "si es necesario",
    "ac": "antes de las comidas",
    "pc": "después de las comidas",
    "ud": "según las indicaciones",
    "ou": "en ambos ojos",
    "od": "en el ojo derecho",
    "os": "en el ojo izquierdo",
    "au": "en ambos oídos",
    "ad": "en el oído derecho",
    "as": "en el oído izquierdo",
    "tab": "tableta",
    "cap": "cápsula",
    "gtt": "gota",
    "ml": "mL",
    "g": "gramo",
    "mg": "miligramo",
    "mcg": "microgramo",
    "puff": "inhalación",
    "supp": "supositorio",
    "unit": "unidad",
    "patch": "parche",
    "app": "",  # the verb alone: "Aplique"
    "aaa": "en el área afectada",
    "inh": "",
}

DOSE_UNIT_PLURALS_ES: dict[str, str] = {
    "tab": "tabletas",
    "cap": "cápsulas",
    "gtt": "gotas",
    "ml": "mL",
    "g": "gramos",
    "mg": "miligramos",
    "mcg": "microgramos",
    "puff": "inhalaciones",
    "supp": "supositorios",
    "unit": "unidades",
    "patch": "parches",
}

# The English verb chosen for the directions -> the Spanish one (usted).
VERBS_ES: dict[str, str] = {
    "Take": "Tome",
    "Apply": "Aplique",
    "Inhale": "Inhale",
    "Place": "Coloque",
    "Insert": "Introduzca",
    "Inject": "Inyecte",
    "Instill": "Aplique",  # "Aplique 1 gota en el ojo derecho"
    "Use": "Use",
}

TIMES_A_DAY_ES = {1: "una vez al día", 2: "dos veces al día", 3: "tres veces al día",
                  4: "cuatro veces al día"}  # fmt: skip


def _number(words: str) -> str:
    """ "1 to 2" -> "1 a 2"; numbers keep the decimal point printed on US labels."""
    return words.replace(" to ", " a ")


def _pattern(token: SigToken) -> str | None:
    """Every N hours / days and for N days, from the numbers in the English words."""
    numbers = [int(w) for w in token.words.split() if is_digits(w)]
    if token.kind == "duration" and token.days is not None:
        return "durante 1 día" if token.days == 1 else f"durante {token.days} días"
    if token.code.endswith("h") and numbers:
        if len(numbers) == 2:
            return f"cada {numbers[0]} a {numbers[1]} horas"
        return "cada hora" if numbers[0] == 1 else f"cada {numbers[0]} horas"
    if token.code.endswith("d"):
        return "todos los días" if not numbers else f"cada {numbers[0]} días"
    return None


def _frequency(token: SigToken) -> str | None:
    if token.code in SIG_CODES_ES and token.words == SIG_CODES.get(token.code):
        return SIG_CODES_ES[token.code]
    if token.code == "daily" and token.per_day is not None:  # "twice daily", "3 times daily"
        if token.per_day == token.per_day.to_integral() and int(token.per_day) in TIMES_A_DAY_ES:
            return TIMES_A_DAY_ES[int(token.per_day)]
        return f"{_number(token.words.split(' times')[0])} veces al día"
    return _pattern(token)


def _unit(token: SigToken, before: SigToken | None) -> str:
    amount = before.amount if before is not None and before.kind == "amount" else None
    plural = amount > 1 if amount is not None else token.typed.lower().endswith("s")
    return DOSE_UNIT_PLURALS_ES[token.code] if plural else SIG_CODES_ES[token.code]


def _spanish(token: SigToken, before: SigToken | None, extra_es: Mapping[str, str]):
    """The token's Spanish words ("" for none), or None when there are none to give."""
    if token.kind == "amount":
        return _number(token.words)
    if token.code in extra_es and token.kind != "unit":  # the pharmacy's wording wins
        return extra_es[token.code]
    if token.kind == "unit":
        return _unit(token, before)
    if token.kind == "frequency" or token.kind == "duration":
        return _frequency(token)
    if token.kind == "extra":
        return extra_es.get(token.code)
    if token.kind == "word":
        return "" if not token.words.strip(",;:.") else None
    return SIG_CODES_ES.get(token.code)


def expand_sig_spanish(
    text: str,
    extra: Mapping[str, str] | None = None,
    extra_es: Mapping[str, str] | None = None,
) -> str | None:
    """The directions in Spanish, or None when part of them has no Spanish words.

    ``extra`` are the pharmacy's own codes (English) and ``extra_es`` their Spanish words;
    a pharmacy code without Spanish words makes the whole sig None.
    """
    extra_es = {key.lower(): words for key, words in (extra_es or {}).items()}
    tokens = read_sig(text, extra)
    if not tokens:
        return None
    verb = _choose_verb(tokens)
    if verb is None:
        return None  # the typist wrote an English verb: nothing to translate it from
    words = [VERBS_ES[verb]]
    for index, token in enumerate(tokens):
        said = _spanish(token, tokens[index - 1] if index else None, extra_es)
        if said is None:
            return None
        if said or token.punctuation:
            words.append(said + token.punctuation)
    sentence = " ".join(w for w in words if w)
    return sentence[:1].upper() + sentence[1:]
