"""Importing knowledge base tables from a CSV file (docs/knowledge-base.md lists the columns).

The file's header says which table it holds. Every line is read and checked first; the
preview lists problems by line number, and nothing is written until a pharmacist confirms
a file without problems. Then it is written in one transaction, audited.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field

from portal.audit import log as audit
from portal.catalog.knowledge import rules
from portal.catalog.knowledge.edit import known_names
from portal.catalog.knowledge.models import (
    ClassMember,
    CrossSensitivity,
    DrugClass,
    Interaction,
    new_version,
)
from portal.catalog.knowledge.names import term_key
from portal.foundation.db import write_transaction
from portal.foundation.i18n import N_

LAYOUTS = {
    "classes": ("class", "member", "kind", "allergy_reaches_class", "duplication",
                "member_allergy", "source"),
    "interactions": ("drug_a", "drug_b", "severity", "effect", "management", "source"),
    "cross_sensitivity": ("allergen", "drug", "level", "reason", "source"),
}  # fmt: skip
REQUIRED = {
    "classes": ("class", "source"),
    "interactions": ("drug_a", "drug_b", "severity", "effect", "source"),
    "cross_sensitivity": ("allergen", "drug", "level", "reason", "source"),
}
YES, NO = {"yes", "y", "true", "1"}, {"no", "n", "false", "0", ""}
MAX_ROWS = 100_000


class ImportFileProblem(ValueError):
    """The file as a whole cannot be read (no header, unknown columns)."""


@dataclass
class Line:
    number: int
    values: dict
    errors: list[str] = field(default_factory=list)
    action: str = "add"  # add | update | same


@dataclass
class KnowledgePlan:
    layout: str
    lines: list[Line]

    @property
    def problems(self) -> list[Line]:
        return [line for line in self.lines if line.errors]

    def count(self, action: str) -> int:
        return sum(1 for line in self.lines if not line.errors and line.action == action)


def _flag(value: str, line: Line, column: str) -> bool:
    text = value.strip().lower()
    if text in YES:
        return True
    if text not in NO:
        line.errors.append(f"{column} must be yes or no, not “{value}”.")
    return False


def read_plan(data: bytes) -> KnowledgePlan:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ImportFileProblem(
            N_("The file is not UTF-8 text; save it as CSV (UTF-8).")
        ) from error
    reader = csv.DictReader(io.StringIO(text))
    header = tuple(h.strip().lower() for h in (reader.fieldnames or ()))
    layout = next(
        (name for name, cols in LAYOUTS.items() if set(REQUIRED[name]) <= set(header)), None
    )
    if layout is None:
        raise ImportFileProblem(
            N_(
                "The header row matches none of the layouts: a classes file needs class and "
                "source; an interactions file drug_a, drug_b, severity, effect and source; a "
                "cross-sensitivity file allergen, drug, level, reason and source."
            )
        )
    reader.fieldnames = list(header)
    lines = []
    for number, raw in enumerate(reader, start=2):
        if number > MAX_ROWS + 1:
            raise ImportFileProblem(f"At most {MAX_ROWS} lines in one file; split it.")
        values = {k: " ".join((v or "").split()) for k, v in raw.items() if k in LAYOUTS[layout]}
        if not any(values.values()):
            continue
        line = Line(number, values)
        for column in REQUIRED[layout]:
            if not values.get(column):
                line.errors.append(f"{column} is empty.")
        lines.append(line)
    plan = KnowledgePlan(layout, lines)
    {"classes": _check_classes, "interactions": _check_interactions,
     "cross_sensitivity": _check_cross}[layout](plan)  # fmt: skip
    return plan


def _check_classes(plan: KnowledgePlan) -> None:
    existing = {row.key: row for row in DrugClass.select()}
    members = {(row.drug_class_id, row.key) for row in ClassMember.select()}
    for line in plan.lines:
        v = line.values
        kind = v.get("kind") or "drug"
        if kind not in rules.CLASS_KINDS:
            line.errors.append(f"kind must be drug or excipient, not “{kind}”.")
        if v.get("member_allergy", "") not in ("", *rules.MEMBER_ALLERGY):
            line.errors.append(N_("member_allergy must be block or warn."))
        _flag(v.get("allergy_reaches_class", "yes") or "yes", line, "allergy_reaches_class")
        _flag(v.get("duplication", ""), line, "duplication")
        row = existing.get(term_key(v.get("class", "")))
        new_member = v.get("member") and (
            row is None or (row.id, term_key(v["member"])) not in members
        )
        line.action = "add" if row is None or new_member else "same"


def _check_pair_lines(plan, a_col, b_col, choices_col, allowed, model, a_key, b_key) -> None:
    known = known_names()
    stored = {(getattr(r, a_key), getattr(r, b_key)): r for r in model.select()}
    seen: dict[tuple, int] = {}
    for line in plan.lines:
        v = line.values
        if v.get(choices_col) and v[choices_col] not in allowed:
            line.errors.append(f"{choices_col} must be one of {', '.join(allowed)}.")
        a, b = v.get(a_col, ""), v.get(b_col, "")
        if a and b and term_key(a) == term_key(b):
            line.errors.append(N_("The two sides must differ."))
        if unknown := rules.unknown_names([n for n in (a, b) if n], known):
            listed = ", ".join(f"“{n}”" for n in unknown)
            verb = "refers" if len(unknown) == 1 else "refer"
            line.errors.append(f"{listed} {verb} to no drug, ingredient or class known.")
        key = (term_key(a), term_key(b))
        if key in seen:
            line.errors.append(f"The same pair as line {seen[key]}.")
        seen.setdefault(key, line.number)
        line.action = "update" if key in stored else "add"


def _check_interactions(plan: KnowledgePlan) -> None:
    _check_pair_lines(
        plan, "drug_a", "drug_b", "severity", rules.SEVERITIES, Interaction, "a_key", "b_key"
    )


def _check_cross(plan: KnowledgePlan) -> None:
    _check_pair_lines(
        plan,
        "allergen",
        "drug",
        "level",
        rules.CROSS_LEVELS,
        CrossSensitivity,
        "allergen_key",
        "drug_key",
    )


def apply(plan: KnowledgePlan, filename: str, user) -> dict[str, int]:
    """Write a plan without problems, in one transaction, with one audit event for the file
    and one for each stored row it changes."""
    if plan.problems:
        raise ImportFileProblem(N_("Fix the lines with problems and upload the file again."))
    with write_transaction():
        counts = {"classes": _apply_classes, "interactions": _apply_interactions,
                  "cross_sensitivity": _apply_cross}[plan.layout](plan)  # fmt: skip
        new_version()
        audit.record(
            "import",
            "knowledge_base",
            plan.layout,
            after=counts,
            note=f"{filename}: {plan.layout}, {len(plan.lines)} lines",
        )
    return counts


def _apply_classes(plan: KnowledgePlan) -> dict[str, int]:
    classes = {row.key: row for row in DrugClass.select()}
    counts = {"classes added": 0, "members added": 0}
    for line in plan.lines:
        v = line.values
        key = term_key(v["class"])
        row = classes.get(key)
        if row is None:
            row = DrugClass.create(
                name=v["class"],
                key=key,
                kind=v.get("kind") or "drug",
                allergy_reaches_class=(v.get("allergy_reaches_class") or "yes").lower() in YES,
                duplication=(v.get("duplication") or "").lower() in YES,
                source=v["source"],
            )
            classes[key] = row
            counts["classes added"] += 1
        if v.get("member"):
            member_key = term_key(v["member"])
            exists = (
                ClassMember.select()
                .where((ClassMember.drug_class == row.id) & (ClassMember.key == member_key))
                .exists()
            )
            if not exists:
                ClassMember.create(
                    drug_class=row,
                    member=v["member"],
                    key=member_key,
                    allergy=v.get("member_allergy") or "block",
                    source=v["source"],
                )
                counts["members added"] += 1
    return counts


def _apply_pairs(plan, model, columns, key_columns) -> dict[str, int]:
    a_key, b_key = key_columns
    stored = {(getattr(r, a_key), getattr(r, b_key)): r for r in model.select()}
    counts = {"added": 0, "updated": 0}
    for line in plan.lines:
        values = {column: line.values.get(source, "") for column, source in columns.items()}
        values[a_key] = term_key(values[next(iter(columns))])
        values[b_key] = term_key(values[list(columns)[1]])
        row = stored.get((values[a_key], values[b_key]))
        if row is None:
            model.create(**values)
            counts["added"] += 1
            continue
        before = audit.snapshot(row)
        for name, value in values.items():
            setattr(row, name, value)
        after = audit.snapshot(row)
        if before != after:
            row.save()
            audit.record("update", model._meta.table_name, row.id, before=before, after=after)
            counts["updated"] += 1
    return counts


def _apply_interactions(plan: KnowledgePlan) -> dict[str, int]:
    columns = {"drug_a": "drug_a", "drug_b": "drug_b", "severity": "severity",
               "effect": "effect", "management": "management", "source": "source"}  # fmt: skip
    return _apply_pairs(plan, Interaction, columns, ("a_key", "b_key"))


def _apply_cross(plan: KnowledgePlan) -> dict[str, int]:
    columns = {"allergen": "allergen", "drug": "drug", "level": "level", "reason": "reason",
               "source": "source"}  # fmt: skip
    return _apply_pairs(plan, CrossSensitivity, columns, ("allergen_key", "drug_key"))
