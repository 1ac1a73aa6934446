"""Master formulation records (USP <795>): what a compounded preparation is and how to make it.

A formula is dispensable like a product, so it lives with the catalog; prescriptions point
at it and read its ingredients for the allergy check. Formulas are versioned: a draft is
edited in place; an approved formula is never changed: editing it makes a new draft version
(a copy) in the same family, and approving that version retires the one before. Compounding
records point at the exact version used.
"""

from __future__ import annotations

from decimal import Decimal

from peewee import (
    JOIN,
    BooleanField,
    CharField,
    Check,
    DateTimeField,
    DecimalField,
    ForeignKeyField,
    IntegerField,
    TextField,
    fn,
)

from portal.audit import log as audit
from portal.audit import transitions
from portal.auth.models import User
from portal.catalog.formulas.rules import (
    FORMULA_MOVES,
    PREPARATION_LABELS,
    QUALITY_CHECK_LABELS,
    STATUS_LABELS,
    STOCK_UNIT_OF,
    FormulaStatus,
    LineFacts,
    approval_problems,
)
from portal.catalog.models import Ingredient, Product
from portal.foundation.dates import utcnow
from portal.foundation.db import BaseModel, write_transaction
from portal.foundation.i18n import N_


class FormulaLocked(ValueError):
    """A change asked of a formula that is not a draft; the message says what to do instead."""


class Formula(BaseModel):
    """One version of a master formulation record."""

    # Versions of one formula share family_id (the id of version 1).
    family_id = IntegerField(null=True, index=True)
    version = IntegerField(default=1)
    status = CharField(max_length=10, default=FormulaStatus.DRAFT, index=True)
    name = CharField(max_length=120)
    strength = CharField(max_length=60, default="")  # "2.5%", "50 mg/mL"
    dosage_form = CharField(max_length=60)  # "cream", "capsule", "oral suspension"
    route = CharField(max_length=20)  # formula_rules.ROUTES
    basis_quantity = DecimalField(max_digits=14, decimal_places=4, auto_round=True)
    basis_unit = CharField(max_length=8)  # formula_rules.BASIS_UNITS
    preparation_type = CharField(max_length=30)  # formula_rules.PREPARATION_TYPES
    preserved = BooleanField(default=False)
    container = CharField(max_length=200, default="")  # container-closure
    equipment = TextField(default="")
    method = TextField(default="")  # one step per line
    description = TextField(default="")  # the finished preparation: look, feel, colour
    storage = CharField(max_length=200, default="")  # blank: as the BUD table says
    auxiliary_labels = TextField(default="")  # one per line
    stability_days = IntegerField(null=True)  # a study-supported BUD, instead of the table
    bud_reference = CharField(max_length=300, default="")
    notes = TextField(default="")
    weighing_tolerance_percent = DecimalField(
        max_digits=5, decimal_places=2, auto_round=True, default=Decimal(5)
    )
    created_by = ForeignKeyField(User, null=True, backref="+", on_delete="RESTRICT")
    created_at = DateTimeField(default=utcnow)
    updated_at = DateTimeField(default=utcnow)
    approved_by = ForeignKeyField(User, null=True, backref="+", on_delete="RESTRICT")
    approved_at = DateTimeField(null=True)
    retired_at = DateTimeField(null=True)

    class Meta:
        table_name = "formula"
        indexes = ((("family_id", "version"), True),)

    # ---- reading -------------------------------------------------------------------------

    @property
    def title(self) -> str:
        """ "Hydrocortisone 2.5% cream"."""
        return " ".join(p for p in (self.name, self.strength, self.dosage_form) if p)

    @property
    def status_label(self) -> str:
        return STATUS_LABELS.get(self.status, self.status)

    @property
    def preparation_label(self) -> str:
        return PREPARATION_LABELS.get(self.preparation_type, self.preparation_type)

    @property
    def is_draft(self) -> bool:
        return self.status == FormulaStatus.DRAFT

    @property
    def method_steps(self) -> list[str]:
        return [line.strip() for line in self.method.splitlines() if line.strip()]

    @property
    def auxiliary_label_list(self) -> list[str]:
        return [line.strip() for line in self.auxiliary_labels.splitlines() if line.strip()]

    @property
    def equipment_list(self) -> list[str]:
        return [line.strip() for line in self.equipment.splitlines() if line.strip()]

    def lines(self) -> list[FormulaIngredient]:
        """Ingredient lines in order, with their ingredient or product loaded."""
        return list(
            FormulaIngredient.select(FormulaIngredient, Ingredient, Product)
            .join_from(FormulaIngredient, Ingredient, JOIN.LEFT_OUTER)
            .join_from(FormulaIngredient, Product, JOIN.LEFT_OUTER)
            .where(FormulaIngredient.formula == self)
            .order_by(FormulaIngredient.position, FormulaIngredient.id)
        )

    def quality_checks(self) -> list[FormulaQualityCheck]:
        return list(self.checks.order_by(FormulaQualityCheck.position, FormulaQualityCheck.id))

    def versions(self) -> list[Formula]:
        """Every version of this formula, newest first."""
        return list(
            Formula.select()
            .where(Formula.family_id == self.family_id)
            .order_by(Formula.version.desc())
        )

    def family_draft(self) -> Formula | None:
        return (
            Formula.select()
            .where((Formula.family_id == self.family_id) & (Formula.status == FormulaStatus.DRAFT))
            .first()
        )

    def allergen_ingredients(self) -> list[tuple[str, tuple[str, ...], str | None]]:
        """(name, allergen classes, schedule) of EVERY component, for the allergy and
        controlled-substance checks: bulk ingredients, and the active ingredients of any
        manufactured product used as a component. Inactive ingredients count too: a
        patient can be allergic to a base or a preservative."""
        found = []
        for line in self.lines():
            if line.ingredient_id:
                item = line.ingredient
                found.append((item.name, item.allergen_class_tuple, item.schedule))
            else:
                for item in line.product.active_ingredients():
                    found.append((item.name, item.allergen_class_tuple, item.schedule))
                if not line.product.active_ingredients():
                    found.append((line.product.name, (), line.product.schedule))
        return found

    @property
    def schedule(self) -> str | None:
        """controlled.md: a compound takes the most restrictive schedule of its ingredients."""
        schedules = [s for _, _, s in self.allergen_ingredients() if s]
        return min(schedules) if schedules else None

    def problems_before_approval(self) -> list[str]:
        lines = self.lines()
        return approval_problems(
            lines=[
                LineFacts(
                    line.component_name, line.amount, line.unit, line.stock_unit, line.is_active
                )
                for line in lines
            ],
            basis_quantity=self.basis_quantity,
            stability_days=self.stability_days,
            bud_reference=self.bud_reference,
            method=self.method,
            quality_checks=self.checks.count(),
        )

    # ---- queries -------------------------------------------------------------------------

    @classmethod
    def current_versions(
        cls, include_retired: bool = False
    ) -> list[tuple[Formula, Formula | None]]:
        """One row per formula family, by name: (the version in use, a draft in progress).

        The version in use is the approved one; a family never approved shows its draft; a
        retired family (no approved version, no draft) shows only when include_retired.
        """
        by_family: dict[int, list[Formula]] = {}
        for formula in cls.select().order_by(cls.family_id, cls.version.desc()):
            by_family.setdefault(formula.family_id, []).append(formula)
        rows = []
        for versions in by_family.values():
            approved = next((f for f in versions if f.status == FormulaStatus.APPROVED), None)
            draft = next((f for f in versions if f.status == FormulaStatus.DRAFT), None)
            if approved is not None:
                rows.append((approved, draft))
            elif draft is not None:
                rows.append((draft, None))
            elif include_retired:
                rows.append((versions[0], None))
        return sorted(rows, key=lambda row: (row[0].name.lower(), row[0].strength))

    @classmethod
    def dispensable(cls):
        """Approved formulas: what a prescription may be written for."""
        return cls.select().where(cls.status == FormulaStatus.APPROVED).order_by(fn.LOWER(cls.name))

    @classmethod
    def dispensable_matching(cls, text: str):
        """Approved formulas whose name, strength or dosage form holds every typed word, so
        "hydrocort oint" finds "Hydrocortisone 2.5% ointment"."""
        query = cls.dispensable()
        for word in text.split()[:5]:
            query = query.where(
                cls.name.contains(word)
                | cls.strength.contains(word)
                | cls.dosage_form.contains(word)
            )
        return query

    def approved_version(self) -> Formula | None:
        return (
            Formula.select()
            .where(
                (Formula.family_id == self.family_id) & (Formula.status == FormulaStatus.APPROVED)
            )
            .first()
        )

    # ---- changes (call inside write_transaction; each is audited) -------------------------

    @classmethod
    def start(cls, user: User, **fields) -> Formula:
        """A new formula family: version 1, a draft."""
        formula = cls.create(created_by=user, **fields)
        formula.family_id = formula.id
        formula.save()
        audit.record("create", "formula", formula.id, after=audit.snapshot(formula), user=user)
        return formula

    def ensure_draft(self) -> None:
        if not self.is_draft:
            raise FormulaLocked(
                f"Version {self.version} of {self.title} is {self.status_label.lower()} and "
                "cannot be changed; make a new version to edit it."
            )

    def save(self, *args, **kwargs):
        self.updated_at = utcnow()
        return super().save(*args, **kwargs)

    def new_version(self, user: User) -> Formula:
        """Copy this approved (or retired) version into a new draft; returns the draft.

        A family has at most one draft: if there is one already, that draft is returned.
        """
        existing = self.family_draft()
        if existing is not None:
            return existing
        top = (
            Formula.select(fn.MAX(Formula.version))
            .where(Formula.family_id == self.family_id)
            .scalar()
        )
        data = {
            name: value
            for name, value in self.__data__.items()
            if name not in {"id", "status", "approved_by", "approved_at", "retired_at"}
        }
        data.update(
            version=top + 1, status=FormulaStatus.DRAFT, created_by=user.id, created_at=utcnow()
        )
        draft = Formula.create(**data)
        for line in self.lines():
            FormulaIngredient.create(
                formula=draft,
                **{k: v for k, v in line.__data__.items() if k not in {"id", "formula"}},
            )
        for check in self.quality_checks():
            FormulaQualityCheck.create(
                formula=draft,
                **{k: v for k, v in check.__data__.items() if k not in {"id", "formula"}},
            )
        audit.record(
            "create",
            "formula",
            draft.id,
            after=audit.snapshot(draft),
            note=f"version {draft.version} of formula family {self.family_id}, "
            f"copied from version {self.version}",
            user=user,
        )
        return draft

    def approve(self, pharmacist: User) -> None:
        """A pharmacist approves this draft; the family's approved version before it retires.
        Opens its own transaction (or joins the caller's)."""
        self.ensure_draft()
        if not pharmacist.is_pharmacist:
            raise FormulaLocked(N_("Only a pharmacist may approve a master formula."))
        problems = self.problems_before_approval()
        if problems:
            raise FormulaLocked(" ".join(problems))
        with write_transaction():
            previous = self.approved_version()
            # This draft first: a second pharmacist approving it at the same moment is
            # refused here, before the version in use is retired.
            self._move(
                FormulaStatus.APPROVED,
                pharmacist,
                action="approve",
                changes={"approved_by": pharmacist, "approved_at": utcnow()},
                check_stored=Formula.ensure_draft,
            )
            if previous is not None:
                previous.retire(pharmacist, note=f"replaced by version {self.version}")

    def retire(self, user: User, note: str = "") -> None:
        """No longer dispensed; records made from it keep pointing at it. Retiring a retired
        version changes nothing."""
        if self.status == FormulaStatus.RETIRED:
            return
        self._move(
            FormulaStatus.RETIRED,
            user,
            action="retire",
            changes={"retired_at": utcnow()},
            note=note,
        )

    def _move(self, to_status: FormulaStatus, user: User, **options) -> None:
        """The one transition (portal.audit.transitions); a refusal is FormulaLocked."""
        try:
            transitions.move(
                self,
                to_status,
                moves=FORMULA_MOVES,
                user=user,
                entity="formula",
                changes={"updated_at": utcnow(), **options.pop("changes", {})},
                what="formula",
                **options,
            )
        except transitions.IllegalMove as refused:
            raise FormulaLocked(str(refused)) from refused

    def __str__(self) -> str:
        return f"{self.title} (v{self.version})"


class FormulaIngredient(BaseModel):
    """One component of a formula: a bulk ingredient or a manufactured product, with its
    amount per batch basis."""

    formula = ForeignKeyField(Formula, backref="ingredient_lines", on_delete="CASCADE")
    position = IntegerField(default=0)
    ingredient = ForeignKeyField(Ingredient, null=True, backref="formula_lines")
    product = ForeignKeyField(Product, null=True, backref="formula_lines")
    amount = DecimalField(max_digits=14, decimal_places=6, auto_round=True)
    unit = CharField(max_length=8)  # formula_rules.LINE_UNITS
    is_active = BooleanField(default=False)  # an active ingredient: named with its amount on labels
    # When the amount is written as the base and the stock is a salt: MW salt ÷ MW base.
    salt_factor = DecimalField(max_digits=7, decimal_places=4, auto_round=True, null=True)

    class Meta:
        table_name = "formula_ingredient"
        constraints = [
            Check(
                "(ingredient_id IS NULL) <> (product_id IS NULL)",
                name="formula_ingredient_one_item",
            )
        ]

    @property
    def item(self) -> Ingredient | Product:
        return self.ingredient if self.ingredient_id else self.product

    @property
    def component_name(self) -> str:
        return self.ingredient.name if self.ingredient_id else self.product.description

    @property
    def stock_unit(self) -> str:
        return self.item.stock_unit

    @property
    def potency_percent(self) -> Decimal:
        """Purity from the certificate of analysis (catalog keeps 0.98 for 98%)."""
        if self.ingredient_id and self.ingredient.potency:
            return self.ingredient.potency * 100
        return Decimal(100)

    @property
    def fits_stock(self) -> bool:
        return STOCK_UNIT_OF.get(self.unit) == self.stock_unit


class FormulaQualityCheck(BaseModel):
    """A check of the finished preparation, with its specification."""

    formula = ForeignKeyField(Formula, backref="checks", on_delete="CASCADE")
    position = IntegerField(default=0)
    kind = CharField(max_length=20)  # formula_rules.QUALITY_CHECK_KINDS
    name = CharField(max_length=120)
    expected = CharField(max_length=300, default="")  # "smooth, white, no grit"
    minimum = DecimalField(max_digits=10, decimal_places=3, auto_round=True, null=True)  # pH low
    maximum = DecimalField(max_digits=10, decimal_places=3, auto_round=True, null=True)  # pH high
    tolerance_percent = DecimalField(
        max_digits=5, decimal_places=2, auto_round=True, null=True
    )  # final weight

    class Meta:
        table_name = "formula_quality_check"

    @property
    def kind_label(self) -> str:
        return QUALITY_CHECK_LABELS.get(self.kind, self.kind)

    @property
    def specification(self) -> str:
        """The spec in words: "± 5% of the quantity made", "pH 5.0 to 6.5"."""
        if self.kind == "final_weight":
            return f"within ± {_plain(self.tolerance_percent or Decimal(5))}% of the quantity made"
        if self.kind == "ph":
            return f"pH {_plain(self.minimum)} to {_plain(self.maximum)}"
        return self.expected


def _plain(value: Decimal | None) -> str:
    if value is None:
        return "?"
    return format(Decimal(value).normalize(), "f")
