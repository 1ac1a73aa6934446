"""Importing the catalog from a file: keep the upload, preview it against what is on file,
then write it all in one transaction when a person confirms.

The uploaded bytes wait in the instance folder under a random token (owner-only file
permissions) between the preview and the confirmation, are read again on confirmation
(nothing typed in the browser is trusted), and are deleted afterwards. Nothing is written
to the database until the import is confirmed.

Auditing: one "import" event for the file (name, counts), plus the usual create or update
event for every product or ingredient written, so each row's history is complete.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import shutil
import time
from dataclasses import dataclass, field
from pathlib import Path

from portal.audit import log as audit
from portal.catalog.importing.layouts import LayoutError, ParsedFile, ParsedRow, decode, parse
from portal.catalog.models import Ingredient, Product, ingredients_text
from portal.foundation.db import refresh_statistics, write_transaction
from portal.foundation.i18n import N_

_TOKEN = re.compile(r"^[A-Za-z0-9_-]{20,64}$")
KEEP_SECONDS = 24 * 3600  # uploads never confirmed are removed after a day
BULK_ROWS = 1000  # rows written past which the planner's statistics are refreshed


# ---- the upload between preview and confirmation ------------------------------------------


@dataclass
class Upload:
    token: str
    user_id: int
    filename: str
    data: bytes
    package_filename: str = ""
    package_data: bytes | None = None


def _folder(instance_path: str) -> Path:
    return Path(instance_path) / "imports"


def _write_private(path: Path, data: bytes) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)


def save_upload(instance_path, user_id, filename, data, package_filename="", package_data=None):
    """Keep an uploaded file (and package file) for preview; returns its token."""
    folder = _folder(instance_path)
    folder.mkdir(mode=0o700, exist_ok=True)
    _remove_stale(folder)
    token = secrets.token_urlsafe(24)
    place = folder / token
    place.mkdir(mode=0o700)
    _write_private(place / "file", data)
    if package_data is not None:
        _write_private(place / "package", package_data)
    meta = {"user_id": user_id, "filename": filename, "package_filename": package_filename}
    _write_private(place / "meta.json", json.dumps(meta).encode())
    return token


def load_upload(instance_path, token: str, user_id: int) -> Upload | None:
    """The upload behind a token, if it exists and belongs to this user."""
    if not _TOKEN.match(token or ""):
        return None
    place = _folder(instance_path) / token
    try:
        meta = json.loads((place / "meta.json").read_text())
        data = (place / "file").read_bytes()
    except (OSError, ValueError):
        return None
    if meta.get("user_id") != user_id:
        return None
    package = place / "package"
    return Upload(
        token=token,
        user_id=user_id,
        filename=meta.get("filename", ""),
        data=data,
        package_filename=meta.get("package_filename", ""),
        package_data=package.read_bytes() if package.exists() else None,
    )


def discard_upload(instance_path, token: str) -> None:
    if _TOKEN.match(token or ""):
        shutil.rmtree(_folder(instance_path) / token, ignore_errors=True)


def _remove_stale(folder: Path) -> None:
    cutoff = time.time() - KEEP_SECONDS
    for place in folder.iterdir():
        try:
            if place.is_dir() and place.stat().st_mtime < cutoff:
                shutil.rmtree(place, ignore_errors=True)
        except OSError:
            continue


# ---- preview -----------------------------------------------------------------------------


@dataclass
class PlannedRow:
    """A parsed row and what confirming would do with it."""

    row: ParsedRow
    action: str = "add"  # add | update | same | error
    changes: list[str] = field(default_factory=list)  # "acquisition cost 4.20 → 4.45"
    new_ingredients: list[str] = field(default_factory=list)
    existing: Product | Ingredient | None = None

    @property
    def line(self) -> int:
        return self.row.line

    @property
    def values(self) -> dict:
        return self.row.values

    @property
    def errors(self) -> list[str]:
        return self.row.errors


@dataclass
class Plan:
    parsed: ParsedFile
    rows: list[PlannedRow]

    @property
    def kind(self) -> str:
        return self.parsed.kind

    def count(self, action: str) -> int:
        return sum(1 for row in self.rows if row.action == action)

    @property
    def writable(self) -> int:
        return self.count("add") + self.count("update")

    @property
    def new_ingredient_names(self) -> list[str]:
        names = {name for row in self.rows if row.action != "error" for name in row.new_ingredients}
        return sorted(names, key=str.lower)


_LABELS = {
    "name": "name", "generic_name": "generic name", "strength": "strength",
    "dosage_form": "dosage form", "package_size": "package size", "package_unit": "package unit",
    "schedule": "schedule", "manufacturer": "manufacturer", "acquisition_cost": "cost",
    "reorder_point": "reorder point", "allergen_classes": "allergen classes",
    "potency": "potency", "unit": "unit", "cost_per_unit": "cost per unit",
    "salt_factor": "salt factor", "bulk_ndc": "bulk NDC",
}  # fmt: skip


def _shown(value) -> str:
    if value is None or value == "":
        return "—"
    return format(value.normalize(), "f") if hasattr(value, "normalize") else str(value)


def _changes(existing, values: dict) -> list[str]:
    changes = []
    for name, new in values.items():
        if name not in _LABELS:
            continue
        old = getattr(existing, name)
        # An import without a cost or reorder point does not erase the one on file.
        if new is None and name in ("acquisition_cost", "cost_per_unit", "salt_factor", "bulk_ndc"):
            continue
        if name == "reorder_point" and not new:
            continue
        if (old or None) != (new or None) and _shown(old) != _shown(new):
            changes.append(f"{_LABELS[name]} {_shown(old)} → {_shown(new)}")
    return changes


def read_plan(upload: Upload) -> Plan:
    """Parse the upload and compare every row with what is on file. LayoutError if unreadable."""
    package_text = decode(upload.package_data) if upload.package_data else None
    parsed = parse(decode(upload.data), package_text)
    if parsed.kind == "products":
        keys = [r.values.get("ndc") for r in parsed.rows if r.values.get("ndc")]
        on_file = {p.ndc: p for p in _in_chunks(Product, Product.ndc, keys)}
    else:
        names = [(r.values.get("name") or "").lower() for r in parsed.rows]
        on_file = {i.name.lower(): i for i in Ingredient.select() if i.name.lower() in set(names)}
    known_ingredients = {i.name.lower() for i in Ingredient.select(Ingredient.name)}
    texts = Product.ingredient_texts(list(on_file.values())) if parsed.kind == "products" else {}
    rows = []
    for row in parsed.rows:
        planned = PlannedRow(row)
        if row.errors:
            planned.action = "error"
        else:
            key = row.values["ndc"] if parsed.kind == "products" else row.values["name"].lower()
            planned.existing = on_file.get(key)
            if planned.existing is not None:
                planned.changes = _changes(planned.existing, row.values)
                if parsed.kind == "products" and row.ingredients:
                    old = texts.get(planned.existing.id, "")
                    listed = (f"{name} {strength}".strip() for name, strength in row.ingredients)
                    new = "; ".join(sorted(listed, key=str.lower))
                    if sorted(old.lower().split("; ")) != sorted(new.lower().split("; ")):
                        planned.changes.append(f"active ingredients {old or '—'} → {new}")
                planned.action = "update" if planned.changes else "same"
            planned.new_ingredients = [
                name for name, _ in row.ingredients if name.lower() not in known_ingredients
            ]
        rows.append(planned)
    return Plan(parsed, rows)


# The changes above that are safety facts (portal.catalog.safety): an import that makes
# them needs a pharmacist, like the edit forms.
_SAFETY_LABELS = (
    "schedule", "allergen classes", "potency", "salt factor", "bulk NDC", "active ingredients",
)  # fmt: skip
_LISTED_IN_NOTE = 20


def safety_changes(plan: Plan) -> dict[str, list[str]]:
    """{safety fact: ["line 4 (NDC or name): schedule 2 → —", ...]} of the planned updates."""
    found: dict[str, list[str]] = {}
    for planned in plan.rows:
        if planned.action != "update":
            continue
        key = planned.values.get("ndc") or planned.values.get("name") or ""
        for change in planned.changes:
            label = next((x for x in _SAFETY_LABELS if change.startswith(x + " ")), None)
            if label:
                found.setdefault(label, []).append(f"line {planned.line} ({key}): {change}")
    return found


def safety_note(changes: dict[str, list[str]], reason: str) -> str:
    """The import event's note when it changes safety facts: what changed, and why."""
    if not changes:
        return ""
    lines = [line for listed in changes.values() for line in listed]
    shown = "; ".join(lines[:_LISTED_IN_NOTE])
    more = f"; and {len(lines) - _LISTED_IN_NOTE} more" if len(lines) > _LISTED_IN_NOTE else ""
    return f"Safety facts changed ({shown}{more}). Reason: {reason.strip()}"


def _in_chunks(model, column, keys, size=500):
    for start in range(0, len(keys), size):
        yield from model.select().where(column.in_(keys[start : start + size]))


# ---- confirmation ------------------------------------------------------------------------


@dataclass
class Outcome:
    added: int = 0
    updated: int = 0
    skipped: int = 0
    new_ingredients: list[str] = field(default_factory=list)
    kind: str = ""  # "products" or "ingredients"


def _values(planned: PlannedRow) -> dict:
    """The row's columns to store: blanks (None) are left alone, except "not controlled"."""
    return {k: v for k, v in planned.values.items() if v is not None or k == "schedule"}


def _add(model, planned: PlannedRow, user, known: dict, outcome: Outcome) -> None:
    item = model.create(**_values(planned))
    after = audit.snapshot(item)
    if model is Product and planned.row.ingredients:
        created = item.set_ingredients(
            planned.row.ingredients, user=user, known=known, new_product=True
        )
        outcome.new_ingredients += [i.name for i in created]
        linked = [
            (known[name.strip().lower()], strength) for name, strength in planned.row.ingredients
        ]
        after["active_ingredients"] = ingredients_text(linked)
    elif model is Ingredient:
        known[item.name.lower()] = item
    audit.record("create", model._meta.table_name, item.id, after=after, user=user)
    outcome.added += 1


def _update(model, planned: PlannedRow, user, known: dict, outcome: Outcome) -> None:
    item = planned.existing
    before = audit.snapshot(item)
    for name, value in _values(planned).items():
        if name == "reorder_point" and not value:
            continue  # an import without a reorder point keeps the one on file
        setattr(item, name, value)
    item.save()
    after = audit.snapshot(model.get_by_id(item.id))
    audit.record("update", model._meta.table_name, item.id, before=before, after=after, user=user)
    if model is Product and planned.row.ingredients:
        created = item.set_ingredients(planned.row.ingredients, user=user, known=known)
        outcome.new_ingredients += [i.name for i in created]
    outcome.updated += 1


def apply(
    upload: Upload, *, user, skip_errors: bool = False, note: str = "", progress=None
) -> Outcome:
    """Write the upload in one transaction. Rows with errors stop it unless skip_errors;
    ``note`` (the safety changes and their reason) goes on the import's audit event;
    progress(done, total, step), if given, hears how far it is (portal.foundation.long_work)."""
    outcome = Outcome()
    progress = progress or (lambda *args: None)
    with write_transaction():
        progress(0, None, N_("Comparing the file with what is on file"))
        plan = read_plan(upload)  # again, inside the transaction: what is on file now
        if plan.count("error") and not skip_errors:
            raise LayoutError(N_("Some rows have errors; fix them or choose to skip them."))
        model = Product if plan.kind == "products" else Ingredient
        outcome.kind = plan.kind
        known = {i.name.lower(): i for i in Ingredient.select()}
        for number, planned in enumerate(plan.rows):
            if number % 50 == 0:
                progress(number, len(plan.rows), N_("Writing rows"))
            if planned.action in ("error", "same"):
                outcome.skipped += planned.action == "error"
                continue
            if planned.existing is None:
                _add(model, planned, user, known, outcome)
            else:
                _update(model, planned, user, known, outcome)
        progress(len(plan.rows), len(plan.rows), N_("Saving"))
        audit.record(
            "import",
            f"{plan.kind[:-1]}_catalog",
            "",
            note=(
                f"{upload.filename}: {outcome.added} added, {outcome.updated} updated, "
                f"{outcome.skipped} rows with errors skipped" + (f". {note}" if note else "")
            ),
            user=user,
        )
    if outcome.added + outcome.updated >= BULK_ROWS:
        # A catalog of thousands of products: the planner should know of them today.
        refresh_statistics((model._meta.table_name, Ingredient._meta.table_name))
    return outcome
