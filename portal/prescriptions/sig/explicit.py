"""Explicit times for the patient-centred label: "in the morning and at bedtime" rather than
"twice daily".

USP <17> (Prescription Container Labeling) asks for directions that state explicitly when to
take a dose, e.g. "Take 1 tablet in the morning and 1 tablet in the evening" rather than
"Take 1 tablet twice daily". The words here replace a frequency code's own; frequencies
tied to the clock ("every 8 hours") or to a day ("every other day") are explicit already and
keep theirs, and so does a dose taken as needed (it has no set times: "four times daily as
needed" says how often at most) or tied to meals ("twice daily after meals": "at bedtime
after meals" would contradict itself). The pharmacy's own codes (prescription settings)
still win.
"""

from __future__ import annotations

from collections.abc import Mapping

from portal.prescriptions.sig.directions import expand_sig
from portal.prescriptions.sig.reading import read_sig
from portal.prescriptions.sig.spanish import expand_sig_spanish

EXPLICIT_TIMES: dict[str, str] = {
    "qd": "once a day",
    "daily": "once a day",
    "bid": "in the morning and at bedtime",
    "tid": "in the morning, at midday and in the evening",
    "qid": "in the morning, at midday, in the evening and at bedtime",
    "qam": "in the morning",
    "qpm": "in the evening",
    "qhs": "at bedtime",
    "hs": "at bedtime",
}

EXPLICIT_TIMES_ES: dict[str, str] = {
    "qd": "una vez al día",
    "daily": "una vez al día",
    "bid": "por la mañana y al acostarse",
    "tid": "por la mañana, al mediodía y por la noche",
    "qid": "por la mañana, al mediodía, por la noche y al acostarse",
    "qam": "por la mañana",
    "qpm": "por la noche",
    "qhs": "al acostarse",
    "hs": "al acostarse",
}


def explicit_times(code: str, language: str = "en") -> str | None:
    """The explicit times for a frequency code ("bid" -> "in the morning and at bedtime"),
    or None when the code's own words are kept."""
    table = EXPLICIT_TIMES_ES if language == "es" else EXPLICIT_TIMES
    return table.get(code.lower())


def expand_sig_explicit(text: str, extra: Mapping[str, str] | None = None) -> str:
    """``expand_sig`` with explicit times; the pharmacy's own codes win as always."""
    if _timed_otherwise(text, extra):
        return expand_sig(text, extra)
    return expand_sig(text, {**EXPLICIT_TIMES, **(extra or {})})


def expand_sig_spanish_explicit(
    text: str,
    extra: Mapping[str, str] | None = None,
    extra_es: Mapping[str, str] | None = None,
) -> str | None:
    """``expand_sig_spanish`` with explicit times (None when part has no Spanish words)."""
    if _timed_otherwise(text, extra):
        return expand_sig_spanish(text, extra, extra_es)
    return expand_sig_spanish(text, extra, {**EXPLICIT_TIMES_ES, **(extra_es or {})})


def _timed_otherwise(text: str, extra: Mapping[str, str] | None) -> bool:
    """As needed, or before or after meals: the times are the patient's, not the clock's."""
    return any(token.code in {"prn", "ac", "pc"} for token in read_sig(text, extra))
