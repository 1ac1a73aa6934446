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
    database = DrugClass._meta.database
    member_rows = _rows(
        database,
        "SELECT m.member, m.key, m.allergy, m.source, c.name, c.key, c.kind, "
        "c.allergy_reaches_class, c.duplication, c.source FROM drug_class_member m "
        "JOIN drug_class c ON c.id = m.drug_class_id WHERE m.key IN ({})",
        sorted(keys),
    )
    classes = {
        row[5]: rules.ClassFact(row[4], row[6], bool(row[7]), bool(row[8]), row[9])
        for row in member_rows
    }
    for row in _rows(
        database,
        "SELECT name, key, kind, allergy_reaches_class, duplication, source FROM drug_class "
        "WHERE key IN ({})",
        sorted(keys),
    ):
        classes[row[1]] = rules.ClassFact(row[0], row[2], bool(row[3]), bool(row[4]), row[5])
    members = [rules.MemberFact(row[4], row[0], row[2], row[3]) for row in member_rows]
    # A pair can only fire when both its sides are among these names or their classes.
    wanted = sorted(keys | set(classes))
    cross = _rows(
        database,
        "SELECT allergen, drug, level, reason, source FROM cross_sensitivity "
        "WHERE allergen_key IN ({0}) AND drug_key IN ({0})",
        wanted,
        times=2,
    )
    # One side through its index, the other checked here: probing the (a, b) index with
    # every combination of the two lists costs more.
    wanted_set = set(wanted)
    pairs = [
        row[1:]
        for row in _rows(
            database,
            "SELECT b_key, drug_a, drug_b, severity, effect, management, source "
            "FROM drug_interaction WHERE a_key IN ({0})",
            wanted,
        )
        if row[0] in wanted_set
    ]
    return rules.Knowledge.of(
        classes.values(),
        members,
        [rules.CrossFact(*row) for row in cross],
        [rules.InteractionFact(*row) for row in pairs],
    )


def _rows(database, sql: str, values: list[str], times: int = 1) -> list[tuple]:
    """Rows of a query over an IN list, written directly: building a long IN list through
    the query builder costs more than the query itself."""
    marks = ", ".join([database.param] * len(values))
    return database.execute_sql(sql.format(marks), values * times).fetchall()


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
