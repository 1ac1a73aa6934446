"""Master formulas: versions, approval by a pharmacist, what the allergy check can read."""

from decimal import Decimal

import pytest

from portal.audit.models import AuditEvent
from portal.catalog.formulas.models import Formula, FormulaLocked
from portal.catalog.formulas.rules import LineFacts, approval_problems, unit_fits_stock
from portal.foundation.db import write_transaction
from tests.factories import make_formula, make_ingredient, make_product, make_user

D = Decimal


def test_a_new_formula_is_version_one_of_its_own_family_and_a_draft(app):
    formula = make_formula()
    assert (formula.version, formula.family_id, formula.status) == (1, formula.id, "draft")
    assert formula.title == "Hydrocortisone 2.5% cream"


def test_a_pharmacist_approves_and_it_is_audited(app):
    pharmacist = make_user(roles=("pharmacist",))
    formula = make_formula(approved_by=pharmacist)
    assert formula.status == "approved" and formula.approved_by_id == pharmacist.id
    event = AuditEvent.get((AuditEvent.entity == "formula") & (AuditEvent.action == "approve"))
    assert event.user_id == pharmacist.id
    assert event.after_data()["status"] == "approved"


def test_a_technician_cannot_approve(app):
    formula = make_formula()
    with pytest.raises(FormulaLocked, match="Only a pharmacist"), write_transaction():
        formula.approve(make_user(roles=("technician",)))


def test_an_approved_formula_cannot_be_changed_in_place(app):
    formula = make_formula(approved_by=True)
    with pytest.raises(FormulaLocked, match="make a new version"):
        formula.ensure_draft()


def test_editing_an_approved_formula_makes_a_new_draft_version_with_copies(app):
    formula = make_formula(approved_by=True)
    with write_transaction():
        draft = formula.new_version(make_user(roles=("technician",)))
    assert (draft.version, draft.family_id, draft.status) == (2, formula.family_id, "draft")
    assert [(line.component_name, line.amount) for line in draft.lines()] == [
        (line.component_name, line.amount) for line in formula.lines()
    ]
    assert len(draft.quality_checks()) == 2
    # The original keeps its own lines (records point at it).
    assert {line.formula_id for line in formula.lines()} == {formula.id}
    assert Formula.get_by_id(formula.id).status == "approved"


def test_a_family_has_one_draft_at_a_time(app):
    formula = make_formula(approved_by=True)
    with write_transaction():
        first = formula.new_version(make_user())
        second = formula.new_version(make_user())
    assert first.id == second.id


def test_approving_the_new_version_retires_the_old_one(app):
    formula = make_formula(approved_by=True)
    pharmacist = make_user(roles=("pharmacist",))
    with write_transaction():
        draft = formula.new_version(make_user())
        draft.approve(pharmacist)
    assert Formula.get_by_id(formula.id).status == "retired"
    assert [f.version for f in Formula.dispensable()] == [2]
    assert [(f.version, d) for f, d in Formula.current_versions()] == [(2, None)]


def test_the_list_shows_the_approved_version_with_its_draft_in_progress(app):
    formula = make_formula(approved_by=True)
    with write_transaction():
        draft = formula.new_version(make_user())
    assert [(f.id, d.id) for f, d in Formula.current_versions()] == [(formula.id, draft.id)]


def test_approval_lists_every_problem_in_words(app):
    formula = make_formula(lines=[], checks=[], method="", stability_days=200)
    with pytest.raises(FormulaLocked) as caught, write_transaction():
        formula.approve(make_user(roles=("pharmacist",)))
    message = str(caught.value)
    assert "at least one" in message
    assert "1 to 180 days" in message
    assert "Cite the stability study" in message
    assert "method of preparation" in message
    assert "quality check" in message


def test_line_units_must_fit_the_stock_unit():
    assert unit_fits_stock("mg", "g") and unit_fits_stock("L", "mL")
    assert not unit_fits_stock("mL", "g") and not unit_fits_stock("g", "each")
    problems = approval_problems(
        lines=[LineFacts("Glycerin", D(10), "mL", "g", True)],
        basis_quantity=D(100),
        stability_days=None,
        bud_reference="",
        method="Mix.",
        quality_checks=1,
    )
    assert problems == [
        "Glycerin is measured in mL but stocked in g: use a unit the stock is counted in."
    ]


def test_allergen_ingredients_reach_every_component_including_products(app):
    sulfa = make_ingredient(name="Sulfamethoxazole", allergen_classes="sulfonamides")
    tablets = make_product(ingredients=[sulfa], name="Bactrim", package_unit="each")
    base = make_ingredient(name="Ora-Plus", allergen_classes="parabens")
    formula = make_formula(
        lines=[(tablets, D(10), "each", True), (base, D(50), "mL", False)],
        basis_unit="mL",
    )
    found = {name: classes for name, classes, _ in formula.allergen_ingredients()}
    assert found == {"Sulfamethoxazole": ("sulfonamides",), "Ora-Plus": ("parabens",)}


def test_a_compound_takes_the_most_restrictive_schedule_of_its_ingredients(app):
    formula = make_formula(
        lines=[
            (make_ingredient(name="Testosterone", schedule="3"), D(2), "g", True),
            (make_ingredient(name="Base"), D(98), "g", False),
        ]
    )
    assert formula.schedule == "3"
