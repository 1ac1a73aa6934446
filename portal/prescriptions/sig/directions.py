"""Directions (sig): technicians type short codes, the label shows plain words.

``expand_sig`` turns ``1 cap po bid x10d`` into "Take 1 capsule by mouth twice
daily for 10 days"; ``parse_sig_quantity`` reads the dose and frequency so the
quantity can be checked against the days supply. Codes come from
common pharmacy sig abbreviations; ISMP's error-prone abbreviations (qd, od/os/ou, ad/as/au, cc,
ug, u, trailing zeros) are always written out in words.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

from portal.prescriptions.sig.codes import (
    DOSE_UNIT_PLURALS,
    NOT_A_REASON,
    SIG_CODES,
    STEP_WORDS,
    TYPED_VERBS,
    VERB_FOR,
)
from portal.prescriptions.sig.reading import SigToken, read_sig


@dataclass(frozen=True)
class SigDose:
    """Dose read from directions: how much each time, how often, for how long.

    ``unit`` is a sig code ("tab", "cap", "ml", "gtt", ...) or None when the
    directions give a bare number ("1 po bid"). When ``is_maximum`` is true
    (as needed, or a range like 1-2 or q4-6h) the amounts are the most allowed.
    """

    units_per_dose: Decimal
    unit: str | None
    doses_per_day: Decimal
    duration_days: int | None
    as_needed: bool
    is_maximum: bool

    @property
    def units_per_day(self) -> Decimal:
        """Units taken in a day (the most, when ``is_maximum``)."""
        return self.units_per_dose * self.doses_per_day


def _choose_verb(tokens: list[SigToken]) -> str | None:
    """The verb that starts the directions, or None when the typist wrote one."""
    if tokens and tokens[0].kind == "word" and tokens[0].typed.lower() in TYPED_VERBS:
        return None
    for kinds in (("verb",), ("route", "site"), ("unit",), ("phrase",)):
        for token in tokens:
            if token.kind in kinds and token.code in VERB_FOR:
                return VERB_FOR[token.code]
    return None


def _names_a_reason(following: list[SigToken]) -> bool:
    """True when the word after "prn" is a reason such as "pain" or "itching"."""
    if not following or following[0].kind != "word":
        return False
    word = following[0].words.lower()
    return word.isalpha() and word not in NOT_A_REASON


def _words(tokens: list[SigToken]) -> list[str]:
    words: list[str] = []
    for index, token in enumerate(tokens):
        text = token.words
        if token.kind == "unit":
            before = tokens[index - 1] if index else None
            amount = before.amount if before and before.kind == "amount" else None
            plural = amount > 1 if amount is not None else token.typed.lower().endswith("s")
            text = DOSE_UNIT_PLURALS[token.code] if plural else token.words
        elif token.kind == "prn" and _names_a_reason(tokens[index + 1 : index + 2]):
            text += " for"  # "prn pain" -> "as needed for pain"
        if text:
            words.append(text + token.punctuation)
    return words


def expand_sig(text: str, extra: Mapping[str, str] | None = None) -> str:
    """Turn typed sig codes into directions in plain words, starting with a capital letter.

    ``extra`` holds the pharmacy's own codes (code -> words) and wins over the
    built-in table; its words are used exactly as given. Words that are not
    codes are kept as typed. Never raises.
    """
    tokens = read_sig(text, extra)
    verb = _choose_verb(tokens)
    sentence = " ".join(([verb] if verb else []) + _words(tokens))
    return sentence[:1].upper() + sentence[1:]


def parse_sig_quantity(text: str) -> SigDose | None:
    """Read the dose, doses per day and days from directions, or None when unsure.

    Only simple directions are read: exactly one amount and one frequency
    (tapers, "then" steps and split doses give None, so no guess is made).
    """
    tokens = read_sig(text)
    amounts = [t for t in tokens if t.kind == "amount"]
    frequencies = [t for t in tokens if t.kind == "frequency"]
    durations = [t for t in tokens if t.kind == "duration"]
    if len(amounts) != 1 or len(frequencies) != 1 or len(durations) > 1:
        return None
    if any(t.kind == "word" and t.typed.lower() in STEP_WORDS for t in tokens):
        return None
    amount, frequency = amounts[0], frequencies[0]
    position = tokens.index(amount)
    after = tokens[position + 1] if position + 1 < len(tokens) else None
    duration_days = durations[0].days if durations else None
    if amount.amount is None or frequency.per_day is None or amount.amount <= 0:
        return None
    if duration_days == 0:
        return None
    as_needed = any(t.kind == "prn" for t in tokens)
    return SigDose(
        units_per_dose=amount.amount,
        unit=after.code if after is not None and after.kind == "unit" else None,
        doses_per_day=frequency.per_day,
        duration_days=duration_days,
        as_needed=as_needed,
        is_maximum=as_needed or amount.is_range or frequency.is_range,
    )


def unit_words(code: str | None, amount: Decimal) -> str:
    """Words for an amount of a sig unit: (cap, 2) -> "capsules"; "" for no unit."""
    if code is None:
        return ""
    return DOSE_UNIT_PLURALS[code] if amount > 1 else SIG_CODES[code]
