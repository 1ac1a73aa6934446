"""The counseling leaflet of a fill: what the portal knows, in words for the patient, in the
patient's preferred language.

It follows what OBRA '90 asks a pharmacist to offer to discuss (42 USC 1396r-8(g)(2)(A)(ii);
42 CFR 456.705(c)): the drug, the directions, special precautions, storage, refill
information and what to do about a missed dose. There is no drug monograph here: every fact
is one the portal recorded (the label's own words, translated as the label translates them;
the allergies on file), and the missed-dose advice is the same safe sentence for every drug.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from portal.foundation.i18n import ENGLISH, locale_for, translations
from portal.labels.content import label_content, refills_text
from portal.labels.from_fill import english_directions, label_for_fill
from portal.labels.language import directions_in
from portal.labels.patient_words import label_date
from portal.prescriptions.sig.codes import NOT_A_REASON
from portal.prescriptions.sig.reading import read_sig


@dataclass(frozen=True)
class Leaflet:
    """A leaflet's printed values; the template adds the fixed sentences around them."""

    locale: str
    patient: str
    rx: str
    drug: str  # name and strength as recorded, in any language
    quantity: str
    purpose: str  # what it is for, as typed in the sig; "" when not recorded
    directions: str
    directions_in_english: bool  # a Spanish reader's directions could not be put in Spanish
    cautions: tuple[str, ...]
    storage: str
    use_before: str  # "Beyond-use date: …" (a compound) or "Discard after: …"
    compound: bool
    refills: str
    refills_until: str  # the last day a refill may be filled; "" when none are left
    allergy_status: str  # not_asked | nkda | has_allergies
    allergies: tuple[str, ...]
    pharmacy: str
    phone: str


def recorded_purpose(sig: str, extra: dict[str, str] | None = None) -> str:
    """What the medicine is for, when the sig says so: "1 tab po q6h prn pain" -> "pain"."""
    tokens = read_sig(sig, extra)
    for index, token in enumerate(tokens):
        if token.kind != "prn":
            continue
        words = []
        for following in tokens[index + 1 :]:
            word = following.words
            if following.kind != "word" or not word.isalpha() or word.lower() in NOT_A_REASON:
                break
            words.append(word + following.punctuation.rstrip(".,;"))
            if following.punctuation:
                break
        return " ".join(words)
    return ""


def leaflet_for_fill(fill, today: date | None = None) -> Leaflet:
    """The leaflet of ``fill``. Raises ``LabelNotReady`` for a compound not yet recorded."""
    from portal.prescriptions import settings as rx_settings

    rx = fill.prescription
    patient = fill.patient
    label = label_for_fill(fill, today=today)
    content = label_content(label)
    locale = locale_for(patient.preferred_language)
    extra = rx_settings.extra_sig_codes()
    # Explicit times (USP <17>) whatever the label's layout: a leaflet is read at leisure.
    directions, english_only = directions_in(
        patient.preferred_language,
        rx.sig,
        english_directions(rx),
        extra,
        rx_settings.extra_sig_codes_es(),
        both=False,
        explicit=True,
    )
    until = ""
    if label.refills_remaining and rx.expires_on:
        until = label_date(rx.expires_on, locale)
    return Leaflet(
        locale=locale,
        patient=patient.full_name,
        rx=f"{content.rx} · {content.fill}",
        drug=content.drug,
        quantity=content.quantity,
        purpose=recorded_purpose(rx.sig, extra) if rx.sig else "",
        directions=directions,
        directions_in_english=bool(english_only) and locale != ENGLISH,
        cautions=content.auxiliary,
        storage=content.storage,
        use_before=content.discard,
        compound=rx.is_compound,
        refills=refills_text(label.refills_remaining, translations(locale)),
        refills_until=until,
        allergy_status=patient.allergy_status,
        allergies=tuple(_allergy(a) for a in patient.allergy_list()),
        pharmacy=label.pharmacy.name,
        # The number on one line: "(217) 555-0142" never breaks at its hyphen.
        phone=label.pharmacy.phone.replace("-", "\u2011").replace(" ", "\u00a0"),
    )


def _allergy(allergy) -> str:
    """ "Penicillin (hives)": as recorded, in the words staff typed."""
    return f"{allergy.allergen} ({allergy.reaction})" if allergy.reaction else allergy.allergen
