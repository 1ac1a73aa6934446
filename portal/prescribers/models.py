"""Prescribers: who writes the prescriptions, with the registrations a pharmacy checks."""

import re

from peewee import BooleanField, CharField, DateTimeField

from portal.foundation.dates import utcnow
from portal.foundation.db import BaseModel, write_transaction
from portal.foundation.digits import is_digits
from portal.foundation.i18n import N_, translated

# The schedules a DEA registration can cover, as printed on the certificate ("2 2N 3 3N 4 5").
# "N" is non-narcotic only: a 2N registrant may prescribe C-II stimulants but not C-II opioids.
DEA_SCHEDULES: tuple[tuple[str, str], ...] = (
    ("2", N_("C-II")),
    ("2N", N_("C-II non-narcotic")),
    ("3", N_("C-III")),
    ("3N", N_("C-III non-narcotic")),
    ("4", N_("C-IV")),
    ("5", N_("C-V")),
)
_SCHEDULE_ORDER = [code for code, _ in DEA_SCHEDULES]

CREDENTIALS = ("MD", "DO", "NP", "PA", "DDS", "DMD", "DPM", "DVM", "OD", "PharmD", "CNM", "APRN")


def normalize_schedules(values) -> str:
    """Canonical text of a set of DEA schedules: known codes only, in certificate order."""
    wanted = {str(value).strip().upper() for value in values}
    return " ".join(code for code in _SCHEDULE_ORDER if code in wanted)


class Prescriber(BaseModel):
    """A prescriber. Deactivated, never deleted: prescriptions keep pointing at them."""

    last_name = CharField(max_length=80)
    first_name = CharField(max_length=80)
    middle_name = CharField(max_length=80, default="")
    credentials = CharField(max_length=20, default="")  # MD, DO, NP, PA, DDS, DVM...
    practice_name = CharField(max_length=120, default="")
    npi = CharField(max_length=10, unique=True)
    # NULL when absent (not ""), so the unique index allows many prescribers without one.
    dea = CharField(max_length=9, null=True, unique=True)
    dea_schedules = CharField(max_length=20, default="")  # normalize_schedules(): "2 2N 3 4 5"
    license_number = CharField(max_length=30, default="")
    license_state = CharField(max_length=2, default="")
    phone = CharField(max_length=20, default="")
    fax = CharField(max_length=20, default="")
    address_line1 = CharField(max_length=120, default="")
    address_line2 = CharField(max_length=120, default="")
    city = CharField(max_length=80, default="")
    state = CharField(max_length=2, default="")
    postal_code = CharField(max_length=10, default="")
    active = BooleanField(default=True)
    created_at = DateTimeField(default=utcnow)
    updated_at = DateTimeField(default=utcnow)

    class Meta:
        # The list's order (Prescriber.by_name), walked from the index page by page.
        indexes = ((("last_name", "first_name", "id"), False),)

    # Called with each prescriber edited (an existing row saved), in the same transaction:
    # the reports area queues PMP revisions of the dispensings already reported this way
    # (ARCHITECTURE.md, registries); prescribers never import it.
    after_edit: list = []

    def save(self, *args, **kwargs):
        self.updated_at = utcnow()
        edited = self.id is not None and not kwargs.get("force_insert")
        if not (edited and Prescriber.after_edit):
            return super().save(*args, **kwargs)
        with write_transaction():
            saved = super().save(*args, **kwargs)
            for listener in Prescriber.after_edit:
                listener(self)
        return saved

    @property
    def full_name(self) -> str:
        return " ".join(p for p in (self.first_name, self.middle_name, self.last_name) if p)

    @property
    def display_name(self) -> str:
        """As written on a label or a clarification fax: "Ana Ruiz, MD"."""
        return f"{self.full_name}, {self.credentials}" if self.credentials else self.full_name

    @property
    def sort_name(self) -> str:
        return f"{self.last_name}, {self.first_name}"

    @property
    def dea_schedule_set(self) -> frozenset[str]:
        """The schedules the DEA registration covers ("2", "2N", ... "5"); empty without one."""
        return frozenset(self.dea_schedules.split()) if self.dea else frozenset()

    @property
    def dea_schedule_labels(self) -> str:
        covered = self.dea_schedule_set
        return ", ".join(translated(label) for code, label in DEA_SCHEDULES if code in covered)

    @property
    def address(self) -> str:
        street = ", ".join(p for p in (self.address_line1, self.address_line2) if p)
        place = " ".join(p for p in (self.state, self.postal_code) if p)
        return ", ".join(p for p in (street, self.city, place) if p)

    @classmethod
    def matching(cls, text: str, include_inactive: bool = False):
        """The condition prescribers meet to match typed text (``typed``), active only unless
        asked; None when nothing narrows the list. The search and the list page share it."""
        condition = cls.typed(text)
        if include_inactive:
            return condition
        active = cls.active == True  # noqa: E712
        return active if condition is None else condition & active

    @classmethod
    def typed(cls, text: str):
        """Prescribers matching typed text: an NPI or DEA (or its start), or name starts;
        None when nothing is typed but separators.

        "smith jo", "smith, jo" and "jo smith" match Jo* Smith*; one word matches either name.
        """
        text = (text or "").strip()
        compact = re.sub(r"\s", "", text)
        if is_digits(compact):
            return cls.npi.startswith(compact)
        if re.fullmatch(r"[A-Za-z][A-Za-z9][0-9]{1,7}", compact):
            return cls.dea.startswith(compact.upper())
        words = [w for w in re.split(r"[\s,]+", text) if w][:3]
        if not words:  # nothing typed, or only separators, e.g. ","
            return None
        if len(words) == 1:
            return cls.last_name.startswith(words[0]) | cls.first_name.startswith(words[0])
        first, second = words[0], words[1]  # "smith jo" or "jo smith"
        return (cls.last_name.startswith(first) & cls.first_name.startswith(second)) | (
            cls.first_name.startswith(first) & cls.last_name.startswith(second)
        )

    @classmethod
    def by_name(cls):
        """The list's order, which the (last_name, first_name, id) index walks as it is."""
        return (cls.last_name, cls.first_name, cls.id)

    @classmethod
    def search(cls, text: str, limit: int = 20, include_inactive: bool = False):
        """The first ``limit`` prescribers matching typed text (see ``matching``), by name."""
        query = cls.select()
        condition = cls.matching(text, include_inactive)
        if condition is not None:
            query = query.where(condition)
        return query.order_by(*cls.by_name()).limit(limit)

    def __str__(self) -> str:
        return self.display_name
