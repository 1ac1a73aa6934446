"""The knowledge base's tables. Names are kept as written and filed under their ``key``
(rules.term_key), which is what screening looks up; every row names its source."""

from __future__ import annotations

from collections.abc import Iterable

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


def knowledge_for(names: Iterable[str]) -> rules.Knowledge:
    """The part of the knowledge base that can matter for these drug, ingredient and class
    names: their classes, and the pairs naming any of them or their classes. A few indexed
    queries, so screening stays quick however large the pharmacy's file is."""
    keys = {term_key(n) for n in names} - {""}
    if not keys:
        return rules.Knowledge()
    member_rows = list(
        ClassMember.select(ClassMember, DrugClass)
        .join(DrugClass)
        .where(ClassMember.key.in_(sorted(keys)))
    )
    class_keys = keys | {row.drug_class.key for row in member_rows}
    classes = {row.drug_class.key: row.drug_class.fact() for row in member_rows}
    classes.update(
        (row.key, row.fact()) for row in DrugClass.select().where(DrugClass.key.in_(sorted(keys)))
    )
    members = [
        rules.MemberFact(row.drug_class.name, row.member, row.allergy, row.source)
        for row in member_rows
    ]
    wanted = sorted(class_keys)
    cross = CrossSensitivity.select().where(CrossSensitivity.allergen_key.in_(wanted))
    pairs = Interaction.select().where(
        Interaction.a_key.in_(wanted) | Interaction.b_key.in_(wanted)
    )
    return rules.Knowledge.of(
        classes.values(), members, [r.fact() for r in cross], [r.fact() for r in pairs]
    )


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
