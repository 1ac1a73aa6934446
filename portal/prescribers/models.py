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
        indexes = ((("last_name", "first_name"), False),)

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
    def search(cls, text: str, limit: int = 20, include_inactive: bool = False):
        """Prescribers matching typed text: an NPI or DEA (or its start), or name starts.

        "smith jo", "smith, jo" and "jo smith" match Jo* Smith*; one word matches either
        name. Active prescribers only unless asked.
        """
        text = (text or "").strip()
        query = cls.select()
        if not include_inactive:
            query = query.where(cls.active == True)  # noqa: E712
        if not text:
            return query.order_by(cls.last_name, cls.first_name).limit(limit)
        compact = re.sub(r"\s", "", text)
        if is_digits(compact):
            condition = cls.npi.startswith(compact)
        elif re.fullmatch(r"[A-Za-z][A-Za-z9][0-9]{1,7}", compact):
            condition = cls.dea.startswith(compact.upper())
        else:
            words = [w for w in re.split(r"[\s,]+", text) if w][:3]
            if not words:  # only separators, e.g. ","
                return query.order_by(cls.last_name, cls.first_name).limit(limit)
            if len(words) == 1:
                condition = cls.last_name.startswith(words[0]) | cls.first_name.startswith(words[0])
            else:  # "smith jo" or "jo smith"
                first, second = words[0], words[1]
                condition = (
                    cls.last_name.startswith(first) & cls.first_name.startswith(second)
                ) | (cls.first_name.startswith(first) & cls.last_name.startswith(second))
        return query.where(condition).order_by(cls.last_name, cls.first_name).limit(limit)

    def __str__(self) -> str:
        return self.display_name
