"""The knowledge base's tables. Names are kept as written and filed under their ``key``
(rules.term_key), which is what screening looks up; every row names its source."""

from __future__ import annotations

import secrets

from peewee import BooleanField, CharField, ForeignKeyField, TextField

from portal.catalog.knowledge import rules
from portal.catalog.knowledge.names import term_key
from portal.foundation.db import BaseModel


class DrugClass(BaseModel):
    name = CharField(max_length=120)
    key = CharField(max_length=120, unique=True)
    kind = CharField(max_length=12, default="drug")  # rules.CLASS_KINDS
    allergy_reaches_class = BooleanField(default=True)
    duplication = BooleanField(default=False)
    source = CharField(max_length=250)

    class Meta:
        table_name = "drug_class"

    def fact(self) -> rules.ClassFact:
        return rules.ClassFact(
            self.name, self.kind, self.allergy_reaches_class, self.duplication, self.source
        )


class ClassMember(BaseModel):
    drug_class = ForeignKeyField(DrugClass, backref="members", on_delete="CASCADE")
    member = CharField(max_length=120)
    key = CharField(max_length=120, index=True)
    allergy = CharField(max_length=5, default="block")  # rules.MEMBER_ALLERGY
    source = CharField(max_length=250)

    class Meta:
        table_name = "drug_class_member"
        indexes = ((("drug_class", "key"), True),)


class CrossSensitivity(BaseModel):
    allergen = CharField(max_length=120)
    allergen_key = CharField(max_length=120, index=True)
    drug = CharField(max_length=120)
    drug_key = CharField(max_length=120)
    level = CharField(max_length=5, default="warn")  # rules.CROSS_LEVELS
    reason = TextField(default="")
    source = CharField(max_length=250)

    class Meta:
        table_name = "cross_sensitivity"
        indexes = ((("allergen_key", "drug_key"), True),)

    def fact(self) -> rules.CrossFact:
        return rules.CrossFact(self.allergen, self.drug, self.level, self.reason, self.source)


class Interaction(BaseModel):
    drug_a = CharField(max_length=120)
    a_key = CharField(max_length=120, index=True)
    drug_b = CharField(max_length=120)
    b_key = CharField(max_length=120, index=True)
    severity = CharField(max_length=16)  # rules.SEVERITIES
    effect = TextField()
    management = TextField(default="")
    source = CharField(max_length=250)

    class Meta:
        table_name = "drug_interaction"
        indexes = ((("a_key", "b_key"), True),)

    def fact(self) -> rules.InteractionFact:
        return rules.InteractionFact(
            self.drug_a, self.drug_b, self.severity, self.effect, self.management, self.source
        )


class KnowledgeVersion(BaseModel):
    """One row: a new random stamp on every change to the knowledge base, so each process
    knows when the copy it keeps in memory is out of date."""

    stamp = CharField(max_length=32)

    class Meta:
        table_name = "knowledge_version"


def new_version() -> None:
    """Call inside the transaction of every change to the knowledge base."""
    stamp = secrets.token_hex(16)
    if not KnowledgeVersion.update(stamp=stamp).execute():
        KnowledgeVersion.create(stamp=stamp)


_cached: tuple[str, rules.Knowledge] | None = None


def current_knowledge() -> rules.Knowledge:
    """The whole knowledge base as plain values, indexed. Read from the database only when
    it has changed since this process last read it (one one-row query otherwise), so a
    screening costs the same with 20k pairs as with none."""
    global _cached
    stamp = KnowledgeVersion.select(KnowledgeVersion.stamp).scalar() or ""
    cached = _cached
    if cached is not None and cached[0] == stamp and stamp:
        return cached[1]
    knowledge = _read_all()
    _cached = (stamp, knowledge)
    return knowledge


def _read_all() -> rules.Knowledge:
    database = DrugClass._meta.database
    classes = [
        rules.ClassFact(name, kind, bool(reaches), bool(duplication), source)
        for name, kind, reaches, duplication, source in database.execute_sql(
            "SELECT name, kind, allergy_reaches_class, duplication, source FROM drug_class"
        ).fetchall()
    ]
    members = [
        rules.MemberFact(class_name, member, allergy, source)
        for class_name, member, allergy, source in database.execute_sql(
            "SELECT c.name, m.member, m.allergy, m.source FROM drug_class_member m "
            "JOIN drug_class c ON c.id = m.drug_class_id"
        ).fetchall()
    ]
    cross = [
        rules.CrossFact(*row)
        for row in database.execute_sql(
            "SELECT allergen, drug, level, reason, source FROM cross_sensitivity"
        ).fetchall()
    ]
    pairs = [
        rules.InteractionFact(*row)
        for row in database.execute_sql(
            "SELECT drug_a, drug_b, severity, effect, management, source FROM drug_interaction"
        ).fetchall()
    ]
    return rules.Knowledge.of(classes, members, cross, pairs)


def known_keys() -> set[str]:
    """Every name the knowledge base knows: its classes and their members."""
    found = {row.key for row in DrugClass.select(DrugClass.key)}
    found.update(row.key for row in ClassMember.select(ClassMember.key).distinct())
    return found


def load_starter() -> None:
    """Fill an empty knowledge base with the starter set (what migration 0100 does for an
    install); a knowledge base with any class in it is left alone."""
    from portal.catalog.knowledge import starter

    if DrugClass.select().exists():
        return
    ids = {}
    for fact in starter.classes():
        row = DrugClass.create(
            name=fact.name,
            key=fact.key,
            kind=fact.kind,
            allergy_reaches_class=fact.allergy_reaches_class,
            duplication=fact.duplication,
            source=fact.source,
        )
        ids[fact.key] = row.id
    ClassMember.insert_many(
        [
            {"drug_class": ids[m.class_key], "member": m.member, "key": m.key,
             "allergy": m.allergy, "source": m.source}
            for m in starter.members()
        ]
    ).execute()  # fmt: skip
    CrossSensitivity.insert_many(
        [
            {"allergen": c.allergen, "allergen_key": term_key(c.allergen), "drug": c.drug,
             "drug_key": term_key(c.drug), "level": c.level, "reason": c.reason,
             "source": c.source}
            for c in starter.CROSS
        ]
    ).execute()  # fmt: skip
    Interaction.insert_many(
        [
            {"drug_a": i.a, "a_key": term_key(i.a), "drug_b": i.b, "b_key": term_key(i.b),
             "severity": i.severity, "effect": i.effect, "management": i.management,
             "source": i.source}
            for i in starter.INTERACTIONS
        ]
    ).execute()  # fmt: skip
    new_version()


def knowledge_names() -> list[str]:
    """Class names and the drugs and ingredients they hold, for the allergy form's search."""
    names = [row.name for row in DrugClass.select(DrugClass.name).order_by(DrugClass.name)]
    names.extend(
        row.member
        for row in ClassMember.select(ClassMember.member).distinct().order_by(ClassMember.member)
    )
    return names


def knowledge_class_names() -> list[str]:
    return [row.name for row in DrugClass.select(DrugClass.name)]
