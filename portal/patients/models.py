"""Patients, their allergies, insurance payers and coverages."""

from datetime import date

from peewee import (
    BooleanField,
    CharField,
    DateField,
    DateTimeField,
    ForeignKeyField,
    TextField,
)

from portal.auth.models import User
from portal.foundation.dates import utcnow
from portal.foundation.db import BaseModel, write_transaction
from portal.foundation.i18n import N_, translated
from portal.patients import rules


class Patient(BaseModel):
    """A person the pharmacy fills for. Patients are deactivated, never deleted."""

    last_name = CharField(max_length=80)
    first_name = CharField(max_length=80)
    middle_name = CharField(max_length=80, default="")
    # Search keys (rules.name_key): lowercase, accents and punctuation dropped; kept in step
    # by save(), indexed together so "smi" and "smith, jo" are index range scans.
    last_name_key = CharField(max_length=80)
    first_name_key = CharField(max_length=80)
    date_of_birth = DateField(index=True)
    sex = CharField(max_length=1, default="U")  # rules.SEXES
    address_line1 = CharField(max_length=120, default="")
    address_line2 = CharField(max_length=120, default="")
    city = CharField(max_length=80, default="")
    state = CharField(max_length=2, default="")
    postal_code = CharField(max_length=10, default="")
    phone = CharField(max_length=20, default="")
    phone_digits = CharField(max_length=15, default="", index=True)
    alt_phone = CharField(max_length=20, default="")
    alt_phone_digits = CharField(max_length=15, default="", index=True)
    email = CharField(max_length=120, default="")
    preferred_language = CharField(max_length=40, default="English")
    notes = TextField(default="")
    # not_asked | nkda | has_allergies (rules.ALLERGY_STATUSES); kept consistent with the
    # Allergy rows by the views: an allergy row means has_allergies.
    allergy_status = CharField(max_length=16, default="not_asked")
    allergies_reviewed_at = DateTimeField(null=True)
    active = BooleanField(default=True)
    created_at = DateTimeField(default=utcnow)
    updated_at = DateTimeField(default=utcnow)

    class Meta:
        indexes = ((("last_name_key", "first_name_key"), False),)

    # Called with each patient edited (an existing row saved), in the same transaction: the
    # reports area queues PMP revisions of the dispensings already reported this way
    # (ARCHITECTURE.md, registries); patients never import it.
    after_edit: list = []

    def save(self, *args, **kwargs):
        self.last_name_key = rules.name_key(self.last_name)[:80]
        self.first_name_key = rules.name_key(self.first_name)[:80]
        self.phone_digits = rules.phone_digits(self.phone)[:15]
        self.alt_phone_digits = rules.phone_digits(self.alt_phone)[:15]
        self.updated_at = utcnow()
        edited = self.id is not None and not kwargs.get("force_insert")
        if not (edited and Patient.after_edit):
            return super().save(*args, **kwargs)
        with write_transaction():
            saved = super().save(*args, **kwargs)
            for listener in Patient.after_edit:
                listener(self)
        return saved

    @property
    def full_name(self) -> str:
        return " ".join(
            part for part in (self.first_name, self.middle_name, self.last_name) if part
        )

    @property
    def sort_name(self) -> str:
        """Last, First M. — how staff read a patient list."""
        middle = f" {self.middle_name[:1]}." if self.middle_name else ""
        return f"{self.last_name}, {self.first_name}{middle}"

    @property
    def address(self) -> str:
        street = ", ".join(p for p in (self.address_line1, self.address_line2) if p)
        place = " ".join(p for p in (self.state, self.postal_code) if p)
        return ", ".join(p for p in (street, self.city, place) if p)

    def age_on(self, day: date) -> int:
        before_birthday = (day.month, day.day) < (self.date_of_birth.month, self.date_of_birth.day)
        return day.year - self.date_of_birth.year - before_birthday

    @property
    def sex_label(self) -> str:
        return translated(rules.label(rules.SEXES, self.sex))

    @property
    def allergy_status_label(self) -> str:
        return translated(rules.label(rules.ALLERGY_STATUSES, self.allergy_status))

    def allergy_list(self) -> list["Allergy"]:
        """Allergies, the most severe first."""
        order = {value: rank for rank, (value, _) in enumerate(rules.SEVERITIES)}
        return sorted(self.allergies, key=lambda a: (order.get(a.severity, 9), a.allergen.lower()))

    def coverage_list(self) -> list["Coverage"]:
        """Active coverages first, primary before secondary, then ended ones."""
        rows = self.coverages.select(Coverage, Payer).join(Payer)
        return sorted(rows, key=lambda c: (not c.active, c.rank != "primary", -c.id))

    @classmethod
    def likely_duplicates(cls, last_name, first_name, date_of_birth, phones=(), exclude_id=None):
        """Patients with the same name and date of birth, or the same phone and date of birth."""
        if date_of_birth is None:
            return []
        same_name = (cls.last_name_key == rules.name_key(last_name)) & (
            cls.first_name_key == rules.name_key(first_name)
        )
        condition = same_name
        digits = [d for d in (rules.phone_digits(p) for p in phones) if len(d) >= 7]
        if digits:
            condition |= cls.phone_digits.in_(digits) | cls.alt_phone_digits.in_(digits)
        query = cls.select().where((cls.date_of_birth == date_of_birth) & condition)
        if exclude_id is not None:
            query = query.where(cls.id != exclude_id)
        return list(query.order_by(cls.last_name_key, cls.first_name_key).limit(10))


# How an allergy's kind reads after its allergen ("sulfonamides (drug class)").
_KIND_WORDS = {"class": N_("drug class"), "ingredient": N_("ingredient"), "text": ""}


class Allergy(BaseModel):
    """An allergy or intolerance: to an ingredient, a drug class, or anything in free text."""

    patient = ForeignKeyField(Patient, backref="allergies", on_delete="CASCADE")
    allergen = CharField(max_length=120)
    kind = CharField(max_length=12, default="text")  # rules.ALLERGEN_KINDS
    reaction = CharField(max_length=200, default="")
    severity = CharField(max_length=10, default="unknown")  # rules.SEVERITIES
    recorded_at = DateTimeField(default=utcnow)
    recorded_by = ForeignKeyField(User, null=True, backref="+")

    @property
    def kind_label(self) -> str:
        return translated(_KIND_WORDS.get(self.kind, ""))

    @property
    def severity_label(self) -> str:
        return translated(rules.label(rules.SEVERITIES, self.severity))


class OtherMedication(BaseModel):
    """A medication the patient takes that this pharmacy did not fill (another pharmacy,
    samples, over the counter), screened like an active fill until it is stopped."""

    patient = ForeignKeyField(Patient, backref="other_medications", on_delete="CASCADE")
    name = CharField(max_length=120)
    note = CharField(max_length=200, default="")
    recorded_at = DateTimeField(default=utcnow)
    recorded_by = ForeignKeyField(User, null=True, backref="+")

    class Meta:
        table_name = "other_medication"


class Payer(BaseModel):
    """An insurance plan's processor as the pharmacy bills it (BIN/PCN route the claim)."""

    name = CharField(max_length=120)
    # Short code used in claim references such as 100123-0-MEDRX.
    code = CharField(max_length=12, unique=True)
    bin = CharField(max_length=6, index=True)
    pcn = CharField(max_length=10, default="")
    processor = CharField(max_length=120, default="")
    phone = CharField(max_length=20, default="")
    active = BooleanField(default=True)
    created_at = DateTimeField(default=utcnow)

    @classmethod
    def choosable(cls):
        return cls.select().where(cls.active == True).order_by(cls.name)  # noqa: E712

    def __str__(self) -> str:
        return self.name


class Coverage(BaseModel):
    """One patient's membership in a plan: what a claim is billed against."""

    patient = ForeignKeyField(Patient, backref="coverages", on_delete="CASCADE")
    payer = ForeignKeyField(Payer, backref="coverages")
    # BIN/PCN start as the payer's but may differ per plan (NCPDP 101-A1, 104-A4).
    bin = CharField(max_length=6)
    pcn = CharField(max_length=10, default="")
    group_number = CharField(max_length=15, default="")  # 301-C1
    member_id = CharField(max_length=20)  # cardholder id, 302-C2
    person_code = CharField(max_length=3, default="")  # 303-C3
    relationship = CharField(max_length=1, default="1")  # 306-C6, rules.RELATIONSHIPS
    effective_date = DateField(null=True)
    termination_date = DateField(null=True)
    rank = CharField(max_length=10, default="primary")  # rules.COVERAGE_RANKS
    active = BooleanField(default=True)
    created_at = DateTimeField(default=utcnow)

    @property
    def relationship_label(self) -> str:
        return translated(rules.label(rules.RELATIONSHIPS, self.relationship))

    def in_effect_on(self, day: date) -> bool:
        """Active and within its dates (a claim outside them rejects with 67 or 69)."""
        if not self.active:
            return False
        if self.effective_date and day < self.effective_date:
            return False
        return not (self.termination_date and day > self.termination_date)

    @classmethod
    def billable_for(cls, patient, day: date) -> list["Coverage"]:
        """The patient's coverages in effect on day, primary first (for claims)."""
        rows = (
            cls.select(cls, Payer)
            .join(Payer)
            .where((cls.patient == patient) & (cls.active == True))  # noqa: E712
            .order_by(cls.rank != "primary", cls.id)
        )
        return [c for c in rows if c.in_effect_on(day)]
