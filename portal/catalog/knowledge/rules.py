"""The drug knowledge base as plain values, and the questions screening asks of it.

Every name is filed under its ``term_key`` (moiety words: "Amoxicillin Trihydrate" and
"amoxicillin" are one drug). A pair's side may name an ingredient or a class; a drug
"is" each of its classes for pairing, so "opioids + benzodiazepines" covers oxycodone
with alprazolam.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from portal.catalog.knowledge.names import term_key
from portal.foundation.i18n import N_

CLASS_KINDS = ("drug", "excipient")
# How strongly an allergy to the class reaches this member: celecoxib is usually
# tolerated by NSAID-allergic patients (warn), other NSAIDs block.
MEMBER_ALLERGY = ("block", "warn")
CROSS_LEVELS = ("warn", "info")
SEVERITIES = ("contraindicated", "major", "moderate")


@dataclass(frozen=True)
class ClassFact:
    """A class: an allergy to one member reaching the others, a duplication class, or both."""

    name: str
    kind: str = "drug"
    allergy_reaches_class: bool = True
    duplication: bool = False
    source: str = ""

    @property
    def key(self) -> str:
        return term_key(self.name)


@dataclass(frozen=True)
class MemberFact:
    class_name: str
    member: str
    allergy: str = "block"
    source: str = ""

    @property
    def class_key(self) -> str:
        return term_key(self.class_name)

    @property
    def key(self) -> str:
        return term_key(self.member)


@dataclass(frozen=True)
class CrossFact:
    """An allergy to ``allergen`` (drug or class) makes ``drug`` (drug or class) a risk."""

    allergen: str
    drug: str
    level: str = "warn"
    reason: str = ""
    source: str = ""


@dataclass(frozen=True)
class InteractionFact:
    a: str
    b: str
    severity: str
    effect: str
    management: str = ""
    source: str = ""


@dataclass(frozen=True)
class Knowledge:
    """Indexed for the questions screening asks; build with ``Knowledge.of``."""

    classes: dict[str, ClassFact] = field(default_factory=dict)
    memberships: dict[str, tuple[MemberFact, ...]] = field(default_factory=dict)
    cross: dict[str, tuple[CrossFact, ...]] = field(default_factory=dict)
    interactions: dict[str, tuple[InteractionFact, ...]] = field(default_factory=dict)

    @classmethod
    def of(
        cls,
        classes: Iterable[ClassFact] = (),
        members: Iterable[MemberFact] = (),
        cross: Iterable[CrossFact] = (),
        interactions: Iterable[InteractionFact] = (),
    ) -> Knowledge:
        by_member: dict[str, list[MemberFact]] = {}
        for member in members:
            by_member.setdefault(member.key, []).append(member)
        by_allergen: dict[str, list[CrossFact]] = {}
        for pair in cross:
            by_allergen.setdefault(term_key(pair.allergen), []).append(pair)
        by_term: dict[str, list[InteractionFact]] = {}
        for pair in interactions:
            by_term.setdefault(term_key(pair.a), []).append(pair)
            if term_key(pair.b) != term_key(pair.a):
                by_term.setdefault(term_key(pair.b), []).append(pair)
        return cls(
            classes={c.key: c for c in classes},
            memberships={k: tuple(v) for k, v in by_member.items()},
            cross={k: tuple(v) for k, v in by_allergen.items()},
            interactions={k: tuple(v) for k, v in by_term.items()},
        )

    def is_class(self, name: str) -> bool:
        return term_key(name) in self.classes

    def class_name(self, key: str) -> str:
        found = self.classes.get(key)
        return found.name if found else key

    def member_of(self, name: str) -> tuple[MemberFact, ...]:
        """The classes a drug or ingredient belongs to."""
        return self.memberships.get(term_key(name), ())

    def terms(self, name: str, extra_classes: Iterable[str] = ()) -> set[str]:
        """The keys a drug answers to: itself and its classes (from here and its catalog entry)."""
        found = {term_key(name)} | {m.class_key for m in self.member_of(name)}
        return (found | {term_key(c) for c in extra_classes}) - {""}

    def allergy_reach(self, allergen: str) -> set[str]:
        """Class keys an allergy to ``allergen`` covers: the class itself, or the classes of
        a drug whose allergy reaches its class (amoxicillin -> penicillins)."""
        key = term_key(allergen)
        reach = {key} if key in self.classes else set()
        for member in self.member_of(allergen):
            cls = self.classes.get(member.class_key)
            if cls is None or cls.allergy_reaches_class:
                reach.add(member.class_key)
        return reach

    def pairs_between(self, one: set[str], other: set[str]) -> list[InteractionFact]:
        """Interaction pairs with one side among ``one`` and the other among ``other``."""
        found: list[InteractionFact] = []
        for key in one:
            for pair in self.interactions.get(key, ()):
                a, b = term_key(pair.a), term_key(pair.b)
                if ((a in one and b in other) or (b in one and a in other)) and pair not in found:
                    found.append(pair)
        return found


def unknown_names(names: Iterable[str], known: set[str]) -> list[str]:
    """The names (drug, ingredient or class) the knowledge base and catalog do not know:
    a pair or class member naming nothing would never fire, so it is refused in words."""
    return [name for name in names if term_key(name) not in known]


def problems_of_class(fact: ClassFact) -> list[str]:
    problems = []
    if not term_key(fact.name):
        problems.append(N_("Give the class a name."))
    if fact.kind not in CLASS_KINDS:
        problems.append(f"Kind must be one of {', '.join(CLASS_KINDS)}.")
    if not fact.source.strip():
        problems.append(N_("Name the source (e.g. FDA EPC, a reference or a licensed file)."))
    return problems


def problems_of_pair(a: str, b: str, source: str) -> list[str]:
    problems = []
    if not term_key(a) or not term_key(b):
        problems.append(N_("Both sides of the pair need a drug, ingredient or class."))
    elif term_key(a) == term_key(b):
        problems.append(N_("The two sides of a pair must differ."))
    if not source.strip():
        problems.append(N_("Name the source (e.g. a reference or a licensed file)."))
    return problems
