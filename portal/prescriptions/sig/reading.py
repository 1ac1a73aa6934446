"""Reading typed directions (sig) word by word into what each word means.

Used by ``portal.prescriptions.sig.directions``; kept apart so each module stays small.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

from portal.prescriptions.sig.codes import (
    AS_IN_ENGLISH,
    DOSE_UNIT_PLURALS,
    ENGLISH_LEAD_INS,
    ENGLISH_LOOKALIKES,
    FREQUENCY_PER_DAY,
    ROUTE_CODES,
    SIG_CODES,
    SITE_CODES,
    SPELLED_TIMES,
    VERB_CODES,
    canonical_code,
)

_NUM = r"(?:[0-9]+(?:\.[0-9]+)?|\.[0-9]+|[0-9]+/[0-9]+)"
_AMOUNT = re.compile(rf"({_NUM})(?:-({_NUM}))?")
_AMOUNT_AND_UNIT = re.compile(rf"({_NUM}(?:-{_NUM})?)([a-z]+)")
_EVERY_HOURS = re.compile(r"q([0-9]{1,3})(?:-([0-9]{1,3}))?h")
_EVERY_DAYS = re.compile(r"q([0-9]{1,3})d")
_FOR_DAYS = re.compile(r"x([0-9]{1,4})d(?:ays?)?")


@dataclass(frozen=True)
class SigToken:
    """One typed word (or part of one), read as what it means in a sig."""

    typed: str
    kind: str  # amount unit route site frequency prn duration verb phrase word extra
    code: str = ""
    words: str = ""
    amount: Decimal | None = None  # the larger end of a range like 1-2
    per_day: Decimal | None = None  # doses a day (the most, for a range like q4-6h)
    days: int | None = None
    is_range: bool = False
    punctuation: str = ""


def _number(text: str) -> Decimal | None:
    """Decimal value of 2, 0.5, .5 or 1/2; None for a fraction over zero."""
    if "/" in text:
        top, bottom = text.split("/")
        return Decimal(top) / Decimal(bottom) if int(bottom) else None
    return Decimal(text)


def _plain_number(text: str) -> str:
    """Write a number as ISMP asks: a leading zero (0.5) and no trailing zero (1, not 1.0)."""
    if "/" in text:
        return text
    return format(Decimal(text).normalize(), "f")


def _amount_token(typed: str, key: str, punctuation: str) -> SigToken | None:
    match = _AMOUNT.fullmatch(key)
    if not match:
        return None
    low, high = match.group(1), match.group(2)
    values = [_number(low)] + ([_number(high)] if high else [])
    if any(value is None for value in values):
        return None
    words = _plain_number(low) + (f" to {_plain_number(high)}" if high else "")
    return SigToken(
        typed, "amount", words=words, amount=max(values), is_range=bool(high),
        punctuation=punctuation,
    )  # fmt: skip


def _pattern_token(typed: str, key: str, punctuation: str) -> SigToken | None:
    """Frequencies every N hours / every N days, and durations for N days."""
    if match := _EVERY_HOURS.fullmatch(key):
        low, high = int(match.group(1)), int(match.group(2) or 0)
        if low == 0 or (high and high <= low):
            return None
        if high:
            words = f"every {low} to {high} hours"
        else:
            words = "every hour" if low == 1 else f"every {low} hours"
        per_day = Decimal(24) / Decimal(low)
        return SigToken(typed, "frequency", key, words, per_day=per_day, is_range=bool(high),
                      punctuation=punctuation)  # fmt: skip
    if (match := _EVERY_DAYS.fullmatch(key)) and int(match.group(1)):
        every = int(match.group(1))
        words = "every day" if every == 1 else f"every {every} days"
        return SigToken(typed, "frequency", key, words, per_day=Decimal(1) / Decimal(every),
                      punctuation=punctuation)  # fmt: skip
    if match := _FOR_DAYS.fullmatch(key):
        days = int(match.group(1))
        words = "for 1 day" if days == 1 else f"for {days} days"
        return SigToken(typed, "duration", key, words, days=days, punctuation=punctuation)
    return None


def _code_token(typed: str, code: str, punctuation: str) -> SigToken:
    words = SIG_CODES[code]
    if code in DOSE_UNIT_PLURALS:
        return SigToken(typed, "unit", code, words, punctuation=punctuation)
    if code in FREQUENCY_PER_DAY:
        return SigToken(typed, "frequency", code, words, per_day=FREQUENCY_PER_DAY[code],
                      punctuation=punctuation)  # fmt: skip
    if code in VERB_CODES:
        return SigToken(typed, "verb", code, VERB_CODES[code][1], punctuation=punctuation)
    if code in ROUTE_CODES:
        kind = "route"
    elif code in SITE_CODES:
        kind = "site"
    else:
        kind = "prn" if code == "prn" else "phrase"  # phrase: ac, pc, ud
    return SigToken(typed, kind, code, words, punctuation=punctuation)


def _read_word(raw: str, extra: Mapping[str, str]) -> list[SigToken]:
    """Read one whitespace-separated word of a sig into tokens."""
    match = re.fullmatch(r"(.*?)([,;:.]*)", raw, flags=re.DOTALL)
    core, punctuation = (match.group(1), match.group(2)) if match else (raw, "")
    if not core:
        return [SigToken(raw, "word", words=raw)]
    key = core.lower()
    if key in extra:
        return [SigToken(raw, "extra", key, extra[key], punctuation=punctuation)]
    if token := _amount_token(raw, key, punctuation):
        return [token]
    if (attached := _AMOUNT_AND_UNIT.fullmatch(key)) and (
        canonical_code(attached.group(2)) in DOSE_UNIT_PLURALS
    ):
        amount = _amount_token(attached.group(1), attached.group(1), "")
        code = canonical_code(attached.group(2))
        if amount is not None and code is not None:
            return [amount, _code_token(attached.group(2), code, punctuation)]
    dotted = key.replace(".", "")
    for candidate, trailing in ((key, punctuation), (dotted, punctuation.replace(".", ""))):
        if candidate in extra:
            return [SigToken(raw, "extra", candidate, extra[candidate], punctuation=trailing)]
        if (code := canonical_code(candidate)) is not None:
            return [_code_token(core, code, trailing)]
        if token := _pattern_token(raw, candidate, trailing):
            return [token]
    return [SigToken(raw, "word", words=core, punctuation=punctuation)]


def _spelled_out_daily(read: list[SigToken], token: SigToken) -> SigToken:
    """Merge "twice daily" / "3 times daily" typed in words into one frequency.

    Without this "twice" + "daily" would read "twice once daily" and count once a day.
    """
    for words, per_day in SPELLED_TIMES.items():
        size = len(words)
        typed = tuple(t.typed.lower() for t in read[-size:] if t.kind == "word")
        if len(read) >= size and typed == words:
            del read[-size:]
            return SigToken(token.typed, "frequency", token.code, f"{' '.join(words)} daily",
                          per_day=Decimal(per_day), punctuation=token.punctuation)  # fmt: skip
    count = read[-2] if len(read) >= 2 and read[-1].typed.lower() == "times" else None
    if count and count.kind == "amount" and count.amount is not None:
        del read[-2:]
        return SigToken(token.typed, "frequency", token.code, f"{count.words} times daily",
                      per_day=count.amount, is_range=count.is_range,
                      punctuation=token.punctuation)  # fmt: skip
    return token


def read_sig(text: str, extra: Mapping[str, str] | None = None) -> list[SigToken]:
    """Read directions into tokens; ``extra`` codes (the pharmacy's) win over the table."""
    extra = {key.lower(): words for key, words in (extra or {}).items()}
    tokens = [token for raw in text.split() for token in _read_word(raw, extra)]
    has_drops = any(token.code == "gtt" for token in tokens)
    read: list[SigToken] = []
    for index, token in enumerate(tokens):
        following = tokens[index + 1].typed.lower() if index + 1 < len(tokens) else ""
        # od/os/ou/ad/as/au mean eyes and ears only with drops: "od" is also read
        # as "once daily" and "as" is English ("as directed"), so keep them as typed.
        before = read[-1].typed.lower() if read else ""
        if (
            token.kind == "site"
            and (not has_drops or (token.code == "as" and following in AS_IN_ENGLISH))
        ) or (token.code in ENGLISH_LOOKALIKES and before in ENGLISH_LEAD_INS):
            token = SigToken(token.typed, "word", words=token.typed, punctuation=token.punctuation)
        if token.code == "daily" and token.kind == "frequency":
            token = _spelled_out_daily(read, token)
        read.append(token)
    return read
