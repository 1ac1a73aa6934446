"""What the audit page calls the records it lists: "Delgado, Rosa", not "patient 9".

The trail stores plain ids (it must outlive what it describes) and the audit area sits below
the areas whose records it names, so each area registers a namer for its record types:
`register(entity, namer, area="Claims")` with namer(ids: list[str]) -> {id: name}. A record
that no longer exists, or a type nobody registered, keeps its id ("claim 57").
"""

from collections.abc import Callable, Iterable

from portal.foundation.digits import is_digits
from portal.foundation.i18n import N_

Namer = Callable[[list[str]], dict[str, str]]
PatientFinder = Callable[[str, int], list[tuple[int, str]]]

# The areas a manager filters by, in the order the menu lists them.
AREAS = (
    N_("Patients"),
    N_("Prescriptions"),
    N_("Compounding"),
    N_("Inventory"),
    N_("Claims"),
    N_("Staff and sign-in"),
    N_("Pharmacy settings"),
    N_("Audit trail"),
)

_namers: dict[str, Namer] = {}
_areas: dict[str, str] = {"audit_event": "Audit trail"}
_patient_finders: list[PatientFinder] = []


def register(entity: str, namer: Namer | None = None, area: str = "") -> None:
    """Name the records of one type (the entity written to the trail) and file it in an area."""
    if namer is not None:
        _namers[entity] = namer
    if area:
        if area not in AREAS:
            raise ValueError(f"unknown audit area {area!r}")
        _areas[entity] = area


def register_patient_finder(finder: PatientFinder) -> None:
    """finder(text, limit) -> [(patient id, "Last, First")]: the audit page's patient filter."""
    if finder not in _patient_finders:
        _patient_finders.append(finder)


def find_patients(text: str, limit: int = 50) -> list[tuple[int, str]]:
    found: dict[int, str] = {}
    for finder in _patient_finders:
        for patient_id, name in finder(text, limit):
            found.setdefault(patient_id, name)
    return list(found.items())[:limit]


def area_of(entity: str) -> str:
    return _areas.get(entity, "")


def entities_in(area: str) -> list[str]:
    return sorted(entity for entity, where in _areas.items() if where == area)


def names(pairs: Iterable[tuple[str, str]]) -> dict[tuple[str, str], str]:
    """Names for (entity, id) pairs, one query per record type."""
    wanted: dict[str, set[str]] = {}
    for entity, record_id in pairs:
        if record_id not in ("", None) and entity in _namers:
            wanted.setdefault(entity, set()).add(str(record_id))
    named = {}
    for entity, ids in wanted.items():
        digits = sorted(i for i in ids if is_digits(i) and len(i) < 19)
        if not digits:
            continue
        for record_id, name in _namers[entity](digits).items():
            named[(entity, str(record_id))] = name
    return named


def plain(entity: str, record_id) -> str:
    """How a record with no name reads: "claim 57"."""
    words = entity.replace("_", " ")
    return f"{words} {record_id}".strip()
