"""Finding a patient from the one search box, with indexed range scans only.

Every reading of the query (rules.parse_patient_query) becomes a query that walks an index:
(last_name_key, first_name_key) for names, date_of_birth, phone_digits / alt_phone_digits,
each with LIMIT. Nothing scans the table, so a keystroke stays fast at 100k patients.

Other areas add readings through search providers: `register_search_provider(fn)` with
fn(query: PatientQuery, limit: int) -> list[Patient]. The Rx-number provider below lights up
by itself once portal.prescriptions.models.Prescription has `rx_number` and `patient`.
"""

from collections.abc import Callable

from portal.patients import rules
from portal.patients.models import Patient
from portal.patients.rules import PatientQuery

SearchProvider = Callable[[PatientQuery, int], list[Patient]]
_providers: list[SearchProvider] = []
# An Rx number typed in the search box opens that prescription's fill (not its patient):
# prescriptions registers fn(rx_number) -> the address of its fill, or None.
RxOpener = Callable[[str], str | None]
_rx_openers: list[RxOpener] = []


def register_rx_opener(opener: RxOpener) -> RxOpener:
    if opener not in _rx_openers:
        _rx_openers.append(opener)
    return opener


def rx_address(query: PatientQuery) -> str | None:
    """Where an Rx number alone (no name, no phone) leads, if a prescription has it."""
    if not query.rx_number or query.names or query.phone:
        return None
    for opener in _rx_openers:
        if address := opener(query.rx_number):
            return address
    return None


def register_search_provider(provider: SearchProvider) -> SearchProvider:
    """Add a way of finding patients (e.g. by Rx number); usable as a decorator."""
    if provider not in _providers:
        _providers.append(provider)
    return provider


def _ordered(query):
    return query.order_by(Patient.last_name_key, Patient.first_name_key, Patient.date_of_birth)


def _by_name(guess: rules.NameGuess, query: PatientQuery, limit: int) -> list[Patient]:
    condition = (Patient.last_name_key >= guess.last) & (
        Patient.last_name_key < rules.prefix_upper_bound(guess.last)
    )
    if guess.first:
        condition &= (Patient.first_name_key >= guess.first) & (
            Patient.first_name_key < rules.prefix_upper_bound(guess.first)
        )
    if query.date_of_birth:
        condition &= Patient.date_of_birth == query.date_of_birth
    return list(_ordered(Patient.select().where(condition)).limit(limit))


def _phone_condition(column, digits: str, local_area_code: str):
    if len(digits) >= 10:
        return column == digits[-10:]
    # Typed from the start (area code first): a prefix of the stored ten digits.
    condition = (column >= digits) & (column < rules.prefix_upper_bound(digits))
    if len(digits) == 7 and local_area_code:
        # A local number said without its area code: the pharmacy's own area code.
        condition |= column == local_area_code + digits
    return condition


def _by_phone(query: PatientQuery, limit: int, local_area_code: str) -> list[Patient]:
    found: dict[int, Patient] = {}
    for column in (Patient.phone_digits, Patient.alt_phone_digits):
        condition = _phone_condition(column, query.phone, local_area_code)
        if query.date_of_birth:
            condition &= Patient.date_of_birth == query.date_of_birth
        for patient in _ordered(Patient.select().where(condition)).limit(limit):
            found.setdefault(patient.id, patient)
    return list(found.values())


def _by_birth_date(query: PatientQuery, limit: int) -> list[Patient]:
    where = Patient.date_of_birth == query.date_of_birth
    return list(_ordered(Patient.select().where(where)).limit(limit))


def find_patients(
    query: PatientQuery, limit: int = rules.SEARCH_LIMIT, local_area_code: str = ""
) -> list[Patient]:
    """Patients matching any reading of the query, at most limit, best readings first."""
    if query.is_empty:
        return []
    found: dict[int, Patient] = {}

    def add(patients):
        for patient in patients:
            if len(found) < limit:
                found.setdefault(patient.id, patient)

    for provider in _providers:  # an exact Rx number beats a name prefix
        add(provider(query, limit))
    if query.phone:
        add(_by_phone(query, limit, local_area_code))
    for guess in query.names:
        add(_by_name(guess, query, limit))
    if query.date_of_birth and not query.names and not query.phone:
        add(_by_birth_date(query, limit))
    return list(found.values())
