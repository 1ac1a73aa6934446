"""Which language a label's directions print in.

A patient whose preferred language is Spanish gets the directions in Spanish (several states
require translated directions on request: New York Education Law 6829, California Business
and Professions Code 4076.6); the drug name and everything else the label must carry stay
as they are. The pharmacy may print both languages. Spanish is given only for directions
read from sig codes, which the Spanish table covers word for word; directions written or
changed by hand, or a sig with free text, print in English, and the print page says why.
"""

from __future__ import annotations

from portal.foundation import settings
from portal.foundation.i18n import lazy_gettext as _l
from portal.foundation.i18n import locale_for
from portal.prescriptions.sig.directions import expand_sig
from portal.prescriptions.sig.explicit import expand_sig_explicit, expand_sig_spanish_explicit
from portal.prescriptions.sig.spanish import expand_sig_spanish

settings.define(
    "label_bilingual_directions",
    "spanish",
    _l("Directions for Spanish-speaking patients"),
    kind="choice",
    choices=(
        ("spanish", _l("In Spanish")),
        ("both", _l("In Spanish, then in English")),
    ),
    help=_l(
        "For patients whose preferred language is Spanish. The drug name and the "
        "pharmacy's required items are printed as always."
    ),
    area="Prescriptions",
)

settings.define(
    "label_patient_centred",
    False,
    _l("Patient-centred labels (USP <17>)"),
    kind="bool",
    help=_l(
        "Patient name, drug and directions first and largest; directions with explicit "
        'times ("in the morning and at bedtime" rather than "twice daily"); directions at '
        "12 pt or more where the label stock allows (on a small stock, the largest size that "
        "fits). Off: labels as before."
    ),
    area="Prescriptions",
)

WRITTEN_BY_HAND = (
    "The directions print in English: they were written or changed by hand, and only "
    "directions read from sig codes are put in Spanish."
)
NO_SPANISH_WORDS = (
    "The directions print in English: part of the sig has no Spanish words (free text, "
    "or a pharmacy sig code without Spanish words in the prescription settings)."
)


def wants_spanish(preferred_language: str) -> bool:
    return locale_for(preferred_language) == "es"


def directions_in(
    preferred_language: str,
    sig: str,
    english: str,
    extra: dict[str, str],
    extra_es: dict[str, str],
    both: bool,
    explicit: bool = False,
) -> tuple[str, str]:
    """(the directions to print, why they are in English though Spanish was wanted, or "").

    ``explicit``: the patient-centred label's explicit times ("in the morning and at
    bedtime"), for directions read from sig codes; hand-written ones print as written."""
    from_codes = english == expand_sig(sig, extra)
    if explicit and from_codes:
        english = expand_sig_explicit(sig, extra)
    if not wants_spanish(preferred_language):
        return english, ""
    if not from_codes:
        return english, WRITTEN_BY_HAND
    spanish = (expand_sig_spanish_explicit if explicit else expand_sig_spanish)(
        sig, extra, extra_es
    )
    if spanish is None:
        return english, NO_SPANISH_WORDS
    return (f"{spanish} / {english}" if both else spanish), ""


def fill_directions(patient, rx, english: str) -> tuple[str, str]:
    """``directions_in`` for a fill's patient and prescription, with the pharmacy's settings."""
    from portal.prescriptions import settings as rx_settings

    return directions_in(
        patient.preferred_language,
        rx.sig,
        english,
        rx_settings.extra_sig_codes(),
        rx_settings.extra_sig_codes_es(),
        settings.get("label_bilingual_directions") == "both",
        explicit=settings.get("label_patient_centred"),
    )
