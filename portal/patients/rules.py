"""Patient rules on plain values: name and phone keys, reading the search box, allergy state.

No Flask, no database: the search view and the models call these.
"""

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date

from portal.foundation.dates import today as pharmacy_today
from portal.foundation.digits import is_digits
from portal.foundation.i18n import N_

SEXES = (
    ("F", N_("Female")),
    ("M", N_("Male")),
    ("X", N_("Another gender")),
    ("U", N_("Not recorded")),
)

# Values shared with portal.prescriptions (PatientFacts.allergy_status, PatientAllergy.kind).
ALLERGY_STATUSES = (
    ("not_asked", N_("Not asked yet")),
    ("nkda", N_("No known drug allergies")),
    ("has_allergies", N_("Has allergies")),
)
ALLERGEN_KINDS = (
    ("class", N_("A drug class (e.g. sulfonamides)")),
    ("ingredient", N_("An ingredient (e.g. ibuprofen)")),
    ("text", N_("Something else (free text)")),
)
SEVERITIES = (
    ("severe", N_("Severe")),
    ("moderate", N_("Moderate")),
    ("mild", N_("Mild")),
    ("unknown", N_("Unknown")),
)

# Allergen classes offered on the allergy form (the catalog adds its ingredients' classes).
COMMON_ALLERGEN_CLASSES = (
    "sulfonamides",
    "penicillins",
    "cephalosporins",
    "NSAIDs",
    "opioids",
    "ACE inhibitors",
    "macrolides",
    "tetracyclines",
    "fluoroquinolones",
    "parabens",
    "lanolin",
    "latex",
    "peanut oil",
    "sesame oil",
    "gluten",
    "lactose",
    "dyes",
)

# NCPDP Patient Relationship Code (field 306-C6).
RELATIONSHIPS = (
    ("1", N_("Cardholder")),
    ("2", N_("Spouse")),
    ("3", N_("Child")),
    ("4", N_("Other")),
)
COVERAGE_RANKS = (("primary", N_("Primary")), ("secondary", N_("Secondary")))

SEARCH_LIMIT = 20
MIN_PHONE_DIGITS = 7


def name_key(name: str | None) -> str:
    """A name as the search index holds it: lowercase, accents and apostrophes dropped,
    hyphens and runs of punctuation read as one space ("O'Brien-Núñez" -> "obrien nunez")."""
    text = unicodedata.normalize("NFKD", name or "")
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).casefold()
    text = re.sub(r"['’`.]", "", text)
    text = re.sub(r"[\W_]+", " ", text)
    return text.strip()


def phone_digits(phone: str | None) -> str:
    """The digits of a US phone number, without a leading country code 1."""
    digits = re.sub(r"[^0-9]", "", phone or "")
    if len(digits) == 11 and digits.startswith("1"):
        digits = digits[1:]
    return digits


def format_phone(phone: str | None) -> str:
    """(217) 555-0142 for ten digits; anything else as typed, trimmed."""
    digits = phone_digits(phone)
    if len(digits) == 10:
        return f"({digits[:3]}) {digits[3:6]}-{digits[6:]}"
    return (phone or "").strip()


def prefix_upper_bound(prefix: str) -> str:
    """The smallest string greater than every string starting with prefix, so that
    `key >= prefix AND key < bound` is an index range scan (LIKE 'x%' may not be)."""
    stem = prefix.rstrip(chr(0x10FFFF))
    if not stem:
        return chr(0x10FFFF) * (len(prefix) + 1)
    return stem[:-1] + chr(ord(stem[-1]) + 1)


def expand_two_digit_year(yy: int, today: date) -> int:
    """A two-digit birth year is the latest year ending in those digits that is not in the
    future: in 2025, 60 -> 1960 and 19 -> 2019. (A patient over 100 needs four digits.)"""
    year = today.year - today.year % 100 + yy
    return year if year <= today.year else year - 100


_DATE_MDY = re.compile(r"^([0-9]{1,2})[/.-]([0-9]{1,2})[/.-]([0-9]{2}|[0-9]{4})$")
_DATE_ISO = re.compile(r"^([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})$")
_DATE_PACKED = re.compile(r"^([0-9]{2})([0-9]{2})([0-9]{4})$")  # 01021960, as printed on some cards
_RX = re.compile(r"^(?:rx\s*#?|#)\s*([0-9]{1,12})$", re.IGNORECASE)


def read_birth_date(text: str, today: date | None = None) -> date | None:
    """A date of birth typed as 1/2/1960, 01/02/1960, 1-2-60, 1.2.1960, 1960-01-02 or
    01021960 (month first, US style); None when it is not a real date."""
    today = today or pharmacy_today()
    text = text.strip()
    if match := _DATE_ISO.match(text):
        year, month, day = (int(part) for part in match.groups())
    elif match := _DATE_MDY.match(text) or _DATE_PACKED.match(text):
        month, day, year_text = match.groups()
        month, day, year = int(month), int(day), int(year_text)
        if len(year_text) == 2:
            year = expand_two_digit_year(year, today)
    else:
        return None
    try:
        return date(year, month, day)
    except ValueError:
        return None


@dataclass(frozen=True)
class NameGuess:
    """One reading of the typed name: a last-name prefix and maybe a first-name prefix."""

    last: str
    first: str = ""


@dataclass(frozen=True)
class PatientQuery:
    """What the search box holds, read every way it could be meant.

    Several parts can be set at once: "smith 1/2/60" is a name and a date of birth (both
    must match); "5550142" is a phone number and could be an Rx number.
    """

    text: str = ""
    names: tuple[NameGuess, ...] = ()
    date_of_birth: date | None = None
    phone: str = ""
    rx_number: str = ""
    problems: tuple[str, ...] = field(default=())

    @property
    def is_empty(self) -> bool:
        return not (self.names or self.date_of_birth or self.phone or self.rx_number)


def _name_guesses(text: str) -> tuple[NameGuess, ...]:
    if "," in text:
        last, _, first = text.partition(",")
        last, first = name_key(last), name_key(first)
        return (NameGuess(last, first),) if last else ()
    key = name_key(text)
    if not key:
        return ()
    guesses = [NameGuess(key)]
    words = key.split()
    if len(words) >= 2:
        guesses.append(NameGuess(words[0], " ".join(words[1:])))  # "smith john"
        guesses.append(NameGuess(words[-1], " ".join(words[:-1])))  # "john smith"
    return tuple(dict.fromkeys(guesses))


def parse_patient_query(text: str | None, today: date | None = None) -> PatientQuery:
    """Read the one search box: "last", "last, first", "first last", a date of birth,
    "name date", phone digits (7 or more), or an Rx number ("rx 123", "#123", or digits
    too short to be a phone number)."""
    raw = " ".join((text or "").split())[:200]
    if not raw:
        return PatientQuery()
    if match := _RX.match(raw):
        return PatientQuery(text=raw, rx_number=match.group(1).lstrip("0") or "0")

    dob, rest, problems = None, [], []
    for token in raw.split(" "):
        parsed = read_birth_date(token, today) if dob is None else None
        if parsed is not None:
            dob = parsed
        else:
            rest.append(token)
            if re.fullmatch(
                r"[0-9]{1,2}[/.-][0-9]{1,2}[/.-][0-9]+|[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}", token
            ):
                problems.append(f"{token} is not a date; type it as 1/2/1960 or 1960-01-02.")
    remainder = " ".join(rest)

    digits = re.sub(r"[\s().+-]", "", remainder)
    if is_digits(digits):
        if len(digits) >= MIN_PHONE_DIGITS:
            # A 7-digit Rx number is common too: offer both readings.
            rx = digits.lstrip("0") or "0"
            return PatientQuery(
                text=raw,
                date_of_birth=dob,
                phone=phone_digits(digits),
                rx_number=rx if len(digits) <= 12 else "",
                problems=tuple(problems),
            )
        return PatientQuery(
            text=raw,
            date_of_birth=dob,
            rx_number=digits.lstrip("0") or "0",
            problems=tuple(problems),
        )
    return PatientQuery(
        text=raw,
        names=_name_guesses(remainder),
        date_of_birth=dob,
        problems=tuple(problems),
    )


def allergy_status_after_removal(remaining: int, chosen: str | None) -> str | None:
    """The allergy status once an allergy is removed: unchanged while others remain; when the
    last one goes, the person must say which state is true (None: ask them)."""
    if remaining > 0:
        return "has_allergies"
    if chosen in ("nkda", "not_asked"):
        return chosen
    return None


def nkda_refusal(allergy_count: int) -> str | None:
    """Why "no known drug allergies" cannot be recorded, or None when it can."""
    if allergy_count:
        return (
            f"This patient has {allergy_count} recorded "
            f"{'allergy' if allergy_count == 1 else 'allergies'}. Remove "
            f"{'it' if allergy_count == 1 else 'them'} first if they are no longer true."
        )
    return None


def label(pairs, value: str) -> str:
    """The label of a (value, label) pair list for value, or value itself."""
    return dict(pairs).get(value, value)
