"""Changing the knowledge base: every write in one transaction with its audit event, and a
name that refers to nothing refused in words (a pair naming nothing would never fire)."""

from __future__ import annotations

from contextlib import contextmanager

from peewee import IntegrityError

from portal.audit import log as audit
from portal.catalog.knowledge import rules
from portal.catalog.knowledge.models import (
    ClassMember,
    CrossSensitivity,
    DrugClass,
    Interaction,
    known_keys,
    new_version,
)
from portal.catalog.knowledge.names import term_key
from portal.catalog.models import Ingredient
from portal.foundation.db import write_transaction


class KnowledgeProblem(ValueError):
    """A change that would leave the knowledge base wrong; the message says why, and
    ``side`` which side of a pair it is about ("a", "b") when it is about one."""

    def __init__(self, message: str, side: str = ""):
        super().__init__(message)
        self.side = side


_JUST_ADDED = "A pair of {} and {} was just recorded at another terminal; edit that one."


@contextmanager
def _one_at_a_time(message: str):
    """Two terminals adding the same name at once: the second is told so, in words (the
    unique index decides which one wins)."""
    try:
        yield
    except IntegrityError as error:
        raise KnowledgeProblem(message) from error


def known_names() -> set[str]:
    """Keys of every name a pair may use: the knowledge base's classes and members, and the
    catalog's ingredients."""
    found = known_keys()
    found.update(term_key(row.name) for row in Ingredient.select(Ingredient.name))
    return found


def unknown_message(names: list[str]) -> str:
    listed = ", ".join(f"“{n}”" for n in names)
    return (
        f"{listed} is not a drug, ingredient or class the knowledge base or catalog knows. "
        "Add it to a class first (or check the spelling)."
    )


def class_snapshot(row: DrugClass) -> dict:
    data = audit.snapshot(row)
    data["members"] = sorted(f"{m.member} ({m.allergy})" for m in row.members)
    return data


def save_class(
    row: DrugClass | None, fact: rules.ClassFact, members: list[str], warn: list[str], user
) -> DrugClass:
    """Create or change a class and its members (the list given replaces the old one)."""
    if problems := rules.problems_of_class(fact):
        raise KnowledgeProblem(" ".join(problems))
    clash = DrugClass.select().where(DrugClass.key == fact.key)
    if row is not None:
        clash = clash.where(DrugClass.id != row.id)
    if clash.exists():
        raise KnowledgeProblem(f"A class called {fact.name} already exists.")
    warn_keys = {term_key(n) for n in warn}
    with (
        _one_at_a_time(f"A class called {fact.name} was just added at another terminal."),
        write_transaction(),
    ):
        before = class_snapshot(row) if row is not None else None
        row = row or DrugClass()
        row.name, row.key, row.kind = fact.name, fact.key, fact.kind
        row.allergy_reaches_class, row.duplication = fact.allergy_reaches_class, fact.duplication
        row.source = fact.source
        row.save()
        ClassMember.delete().where(ClassMember.drug_class == row.id).execute()
        seen = set()
        for name in [
            *members,
            *(n for n in warn if term_key(n) not in {term_key(m) for m in members}),
        ]:
            key = term_key(name)
            if not key or key in seen:
                continue
            seen.add(key)
            ClassMember.create(
                drug_class=row,
                member=name,
                key=key,
                allergy="warn" if key in warn_keys else "block",
                source=fact.source,
            )
        after = class_snapshot(row)
        new_version()
        audit.record(
            "update" if before else "create", "drug_class", row.id, before=before, after=after
        )
    return row


def delete_class(row: DrugClass, user) -> None:
    """Remove a class, unless a pair names it (the pair would then refer to nothing)."""
    users = [
        f"{p.drug_a} + {p.drug_b}"
        for p in Interaction.select().where(
            (Interaction.a_key == row.key) | (Interaction.b_key == row.key)
        )
    ] + [
        f"{p.allergen} → {p.drug}"
        for p in CrossSensitivity.select().where(
            (CrossSensitivity.allergen_key == row.key) | (CrossSensitivity.drug_key == row.key)
        )
    ]
    if users:
        raise KnowledgeProblem(
            f"Pairs name {row.name}: {'; '.join(users[:5])}"
            f"{' and more' if len(users) > 5 else ''}. Change or delete them first."
        )
    with write_transaction():
        before = class_snapshot(row)
        ClassMember.delete().where(ClassMember.drug_class == row.id).execute()
        row.delete_instance()
        new_version()
        audit.record("delete", "drug_class", row.id, before=before)


def save_interaction(row: Interaction | None, fact: rules.InteractionFact, user) -> Interaction:
    _check_pair(fact.a, fact.b, fact.source, Interaction, row, Interaction.a_key, Interaction.b_key)
    with _one_at_a_time(_JUST_ADDED.format(fact.a, fact.b)), write_transaction():
        before = audit.snapshot(row) if row is not None else None
        row = row or Interaction()
        row.drug_a, row.a_key, row.drug_b, row.b_key = (
            fact.a,
            term_key(fact.a),
            fact.b,
            term_key(fact.b),
        )
        row.severity, row.effect, row.management = fact.severity, fact.effect, fact.management
        row.source = fact.source
        row.save()
        new_version()
        audit.record(
            "update" if before else "create",
            "drug_interaction",
            row.id,
            before=before,
            after=audit.snapshot(row),
        )
    return row


def save_cross(row: CrossSensitivity | None, fact: rules.CrossFact, user) -> CrossSensitivity:
    _check_pair(
        fact.allergen,
        fact.drug,
        fact.source,
        CrossSensitivity,
        row,
        CrossSensitivity.allergen_key,
        CrossSensitivity.drug_key,
    )
    with _one_at_a_time(_JUST_ADDED.format(fact.allergen, fact.drug)), write_transaction():
        before = audit.snapshot(row) if row is not None else None
        row = row or CrossSensitivity()
        row.allergen, row.allergen_key = fact.allergen, term_key(fact.allergen)
        row.drug, row.drug_key = fact.drug, term_key(fact.drug)
        row.level, row.reason, row.source = fact.level, fact.reason, fact.source
        row.save()
        new_version()
        audit.record(
            "update" if before else "create",
            "cross_sensitivity",
            row.id,
            before=before,
            after=audit.snapshot(row),
        )
    return row


def delete_pair(row: Interaction | CrossSensitivity, user) -> None:
    with write_transaction():
        before = audit.snapshot(row)
        row.delete_instance()
        new_version()
        audit.record("delete", row._meta.table_name, row.id, before=before)


def _check_pair(a, b, source, model, row, a_column, b_column) -> None:
    if problems := rules.problems_of_pair(a, b, source):
        raise KnowledgeProblem(" ".join(problems))
    if unknown := rules.unknown_names([a, b], known_names()):
        side = "" if len(unknown) == 2 else ("a" if unknown == [a] else "b")
        raise KnowledgeProblem(unknown_message(unknown), side)
    same = (a_column == term_key(a)) & (b_column == term_key(b))
    if model is Interaction:  # an interaction has no direction; a cross-sensitivity has
        same |= (a_column == term_key(b)) & (b_column == term_key(a))
    same = model.select().where(same)
    if row is not None:
        same = same.where(model.id != row.id)
    if same.exists():
        raise KnowledgeProblem(f"A pair of {a} and {b} is already recorded; edit that one.")
